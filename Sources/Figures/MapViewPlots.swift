import Foundation

/// One map's curve in a plot of several maps (histogram, volume against contour, spectrum).
public struct MapCurve: Codable, Sendable, Equatable {
    /// Legend text (the map's name).
    public var name: String
    /// x values.
    public var x: [Double]
    /// y values; nil where there is nothing to plot (an empty bin on a log scale).
    public var y: [Double?]

    /// A curve.
    public init(name: String, x: [Double], y: [Double?]) { self.name = name; self.x = x; self.y = y }

    /// The style of the `index`-th curve: the Okabe–Ito cycle.
    public static func style(_ index: Int) -> LineStyle { LineStyle(color: OkabeIto.cycle[index % OkabeIto.cycle.count], width: 1.6) }
}

/// Ticks at the powers of ten in `lo ... hi` (log10 units), labelled 10ⁿ.
enum LogTicks {
    static func ticks(_ lo: Double, _ hi: Double) -> [Tick] {
        let first = Int(lo.rounded(.up)), last = Int(hi.rounded(.down))
        guard first <= last else { return [] }
        let every = max(1, (last - first + 1) / 6)
        return stride(from: first, through: last, by: every).map { Tick(Double($0), "10" + superscript($0)) }
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(String(abs(n)).map { digits[Int(String($0))!] })
    }

    /// The range of the finite log10 values of `curves`, widened to whole decades.
    static func range(_ curves: [MapCurve]) -> ClosedRange<Double> {
        let ys = curves.flatMap { $0.y.compactMap { $0 } }.filter { $0.isFinite }
        let lo = (ys.min() ?? 0).rounded(.down), hi = (ys.max() ?? 1).rounded(.up)
        return lo...(hi > lo ? hi : lo + 1)
    }
}

/// Draws plots of map curves: the shared frame, grid, axes and legend of the views cell's
/// histogram, volume-against-contour and power-spectrum figures.
enum MapCurvePlot {
    static func draw(_ curves: [MapCurve], title: String, size: FigureSize, x: ClosedRange<Double>, y: ClosedRange<Double>,
                     xTitle: String, yTitle: String, yTicks: [Tick], topAxis: ((PlotArea) -> (ticks: [Tick], title: String))? = nil,
                     on canvas: Canvas, extra: (PlotArea) -> [LegendEntry] = { _ in [] }) {
        PlotLayout.drawTitle(title, on: canvas)
        let frame = PlotLayout.frame(in: size, topAxis: topAxis != nil)
        let area = PlotArea(canvas: canvas, frame: frame, x: x, y: y)
        let xTicks = NiceTicks.ticks(from: x.lowerBound, to: x.upperBound, target: 6)
        area.drawGrid(x: xTicks.map(\.value), y: yTicks.map(\.value))
        for (i, c) in curves.enumerated() { area.curve(x: c.x, y: c.y, style: MapCurve.style(i)) }
        let entries = curves.enumerated().map { LegendEntry($0.element.name, style: MapCurve.style($0.offset)) } + extra(area)
        area.drawFrame()
        area.drawBottomAxis(xTicks, title: xTitle)
        if let topAxis { let t = topAxis(area); area.drawTopAxis(t.ticks, title: t.title) }
        area.drawLeftAxis(yTicks, title: yTitle)
        Legend.draw(entries, on: canvas, in: frame, avoiding: curves.flatMap { area.samplePoints(x: $0.x, y: $0.y) })
    }
}

/// The density histogram of each map, as EMDB shows it: voxel counts per density bin on a log
/// scale, so the few voxels of the molecule show beside the many of the solvent.
public struct DensityHistogramFigure: Figure, Codable, Sendable {
    /// Title above the plot.
    public var title: String
    /// Per map: bin centres (density) and log10 of the voxel count (nil for an empty bin).
    public var curves: [MapCurve]
    /// What the density axis is in ("density (σ)").
    public var densityLabel: String
    /// Size in points.
    public var size: FigureSize

    /// A histogram figure.
    public init(title: String, curves: [MapCurve], densityLabel: String, size: FigureSize = .plot) {
        self.title = title; self.curves = curves; self.densityLabel = densityLabel; self.size = size
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        let xs = curves.flatMap(\.x).filter(\.isFinite)
        let (lo, hi) = NiceTicks.niceRange(xs.min() ?? 0, xs.max() ?? 1, target: 6)
        let y = LogTicks.range(curves)
        MapCurvePlot.draw(curves, title: title, size: size, x: lo...hi, y: min(0, y.lowerBound)...y.upperBound, xTitle: densityLabel,
                          yTitle: "voxels per bin (log scale)", yTicks: LogTicks.ticks(min(0, y.lowerBound), y.upperBound), on: canvas)
    }
}

/// The volume enclosed by the contour surface against the contour level, one curve per map,
/// with each map's recommended level marked where it meets its curve.
public struct VolumeContourFigure: Figure, Codable, Sendable {
    /// A map's recommended contour level and the volume it encloses.
    public struct Mark: Codable, Sendable, Equatable {
        /// The level (the map's units).
        public var level: Double
        /// The enclosed volume at the level (in the figure's volume unit).
        public var volume: Double

        /// A mark.
        public init(level: Double, volume: Double) { self.level = level; self.volume = volume }
    }

    /// Title above the plot.
    public var title: String
    /// Per map: contour levels and the enclosed volume at each (in `volumeUnit`).
    public var curves: [MapCurve]
    /// Per map, its recommended level.
    public var marks: [Mark]
    /// The target volume (the molecule's, from the sequence), when known.
    public var targetVolume: Double?
    /// "nm³" or "Å³".
    public var volumeUnit: String
    /// What the level axis is in ("contour level (σ)").
    public var levelLabel: String
    /// Size in points.
    public var size: FigureSize

    /// A volume-against-contour figure.
    public init(title: String, curves: [MapCurve], marks: [Mark], targetVolume: Double?, volumeUnit: String, levelLabel: String, size: FigureSize = .plot) {
        self.title = title; self.curves = curves; self.marks = marks; self.targetVolume = targetVolume
        self.volumeUnit = volumeUnit; self.levelLabel = levelLabel; self.size = size
    }

    /// The marks' style (a ring on the curve, in its colour) and the target line's.
    public static let targetStyle = LineStyle(color: .threshold, width: 1, dash: LineStyle.dashed)

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        let xs = curves.flatMap(\.x).filter(\.isFinite)
        let ys = curves.flatMap { $0.y.compactMap { $0 } }.filter(\.isFinite)
        let (xLo, xHi) = NiceTicks.niceRange(xs.min() ?? 0, xs.max() ?? 1, target: 6)
        let (_, yHi) = NiceTicks.niceRange(0, max(ys.max() ?? 1, targetVolume ?? 0), target: 5)
        MapCurvePlot.draw(curves, title: title, size: size, x: xLo...xHi, y: 0...yHi, xTitle: levelLabel, yTitle: "enclosed volume (\(volumeUnit))",
                          yTicks: NiceTicks.ticks(from: 0, to: yHi, target: 5), on: canvas) { area in
            var entries: [LegendEntry] = []
            if let t = targetVolume {
                area.horizontalLine(at: t, style: Self.targetStyle)
                entries.append(LegendEntry("molecular volume from the sequence", style: Self.targetStyle))
            }
            for (i, m) in marks.enumerated() where area.containsX(m.level) {
                let p = area.point(m.level, m.volume)
                area.canvas.fillCircle(center: p, radius: 4.5, color: MapCurve.style(i).color)
                area.canvas.fillCircle(center: p, radius: 2.5, color: .white)
            }
            if !marks.isEmpty { entries.append(LegendEntry("○ recommended contour level", style: LineStyle(color: .white, width: 0))) }
            return entries
        }
    }
}

/// The rotationally averaged power spectrum of each map: mean |F|² per Fourier shell on a log
/// scale against spatial frequency (1/Å), with resolution (Å) on a top axis.
public struct PowerSpectrumFigure: Figure, Codable, Sendable {
    /// Title above the plot.
    public var title: String
    /// Per map: shell frequencies (1/Å) and log10 of the mean power (nil for no power).
    public var curves: [MapCurve]
    /// Size in points.
    public var size: FigureSize

    /// A power-spectrum figure.
    public init(title: String, curves: [MapCurve], size: FigureSize = .plot) { self.title = title; self.curves = curves; self.size = size }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        let maxX = max(curves.flatMap(\.x).filter(\.isFinite).max() ?? 0.5, 1e-6)
        let y = LogTicks.range(curves)
        MapCurvePlot.draw(curves, title: title, size: size, x: 0...maxX, y: y, xTitle: "spatial frequency (1/Å)",
                          yTitle: "mean power |F|² (log scale)", yTicks: LogTicks.ticks(y.lowerBound, y.upperBound),
                          topAxis: { area in
                              (ResolutionTicks.ticks(lo: 0, hi: maxX, position: { 1 / $0 }, pointsPerUnit: area.pointsPerXUnit) {
                                  canvas.textWidth($0, size: FigureFont.tick)
                              }, "resolution (Å)")
                          }, on: canvas)
    }
}
