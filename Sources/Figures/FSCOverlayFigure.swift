import Foundation

/// Many datasets' final FSC curves on one plot, for a facility comparing a batch: thin,
/// half-transparent lines coloured by each dataset's 0.143 resolution (a colour bar instead of
/// a legend, so 60 curves stay readable), the 0.143 line, and Nyquist-limited datasets dashed.
/// x is spatial frequency up to the finest Nyquist of the batch, with a top axis in Å.
public struct FSCOverlayFigure: Figure, Codable, Sendable {
    /// One dataset's curve.
    public struct Curve: Codable, Sendable {
        /// The dataset.
        public var name: String
        /// Spatial frequency per shell (Å⁻¹).
        public var frequency: [Double]
        /// FSC per shell (NaN where undefined).
        public var fsc: [Double]
        /// The dataset's 0.143 resolution (Å), which sets the colour; nil when it has none.
        public var resolution: Double?
        /// Whether that resolution is only a limit (the curve stays above 0.143 up to Nyquist).
        public var nyquistLimited: Bool

        /// A curve.
        public init(name: String, frequency: [Double], fsc: [Double], resolution: Double?, nyquistLimited: Bool) {
            self.name = name; self.frequency = frequency; self.fsc = fsc; self.resolution = resolution; self.nyquistLimited = nyquistLimited
        }
    }

    /// Title above the plot.
    public var title: String
    /// The curves, one per dataset.
    public var curves: [Curve]
    /// Size in points.
    public var size: FigureSize

    /// The colour map of resolution (dark = fine).
    public static let colorMap = ColorMap.viridis
    /// Line width of every curve, in points: thin, so that many curves stay apart.
    public static let lineWidth = 0.8
    /// Opacity of every curve: where many overlap, the crowd shows darker.
    public static let lineAlpha = 0.7

    /// An overlay of `curves`.
    public init(title: String, curves: [Curve], size: FigureSize = .plot) {
        self.title = title; self.curves = curves; self.size = size
    }

    /// Right end of the x axis: the largest frequency any curve reaches (its Nyquist).
    public var maxFrequency: Double {
        let top = curves.flatMap(\.frequency).filter(\.isFinite).max() ?? 0
        return top > 0 ? top : 0.5
    }

    /// The range of resolutions the colours span (finest, coarsest); nil when no curve has one.
    public var resolutionRange: ClosedRange<Double>? {
        let r = curves.compactMap(\.resolution).filter { $0.isFinite && $0 > 0 }
        guard let lo = r.min(), let hi = r.max() else { return nil }
        return lo...hi
    }

    /// The style of `curve`: its colour by resolution (grey without one), dashed when Nyquist-limited.
    public func style(of curve: Curve) -> LineStyle {
        var color = Color(hex: 0x999999)
        if let d = curve.resolution, d.isFinite, let range = resolutionRange {
            color = Self.colorMap.color(at: range.upperBound > range.lowerBound ? (d - range.lowerBound) / (range.upperBound - range.lowerBound) : 0.5)
        }
        return LineStyle(color: color.withAlpha(Self.lineAlpha), width: Self.lineWidth, dash: curve.nyquistLimited ? [3, 2] : [])
    }

    /// The title with the count: "Final FSC of every dataset (54; dashed: 10 Nyquist-limited)".
    public var titleWithCount: String {
        let limited = curves.filter(\.nyquistLimited).count
        return "\(title) (\(curves.count)" + (limited > 0 ? "; dashed: \(limited) Nyquist-limited)" : ")")
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        // The count goes in the title: inside the frame it would lie on curves.
        PlotLayout.drawTitle(titleWithCount, on: canvas)
        let range = resolutionRange
        let frame = PlotLayout.frame(in: size, topAxis: true, rightMargin: range == nil ? 18 : 78)
        let maxX = maxFrequency
        let lowest = curves.flatMap(\.fsc).filter(\.isFinite).min() ?? 0
        let yMin = min(-0.05, (lowest * 10).rounded(.down) / 10)
        let area = PlotArea(canvas: canvas, frame: frame, x: 0...maxX, y: max(yMin, -1)...1.05)

        let xTicks = NiceTicks.ticks(from: 0, to: maxX, target: 6)
        let yTicks = NiceTicks.ticks(from: max(yMin, -1), to: 1, target: 5).filter { $0.value >= yMin }
        let topTicks = ResolutionTicks.ticks(lo: 0, hi: maxX, position: { 1 / $0 }, pointsPerUnit: area.pointsPerXUnit) {
            canvas.textWidth($0, size: FigureFont.tick)
        }
        area.drawGrid(x: xTicks.map(\.value), y: yTicks.map(\.value))
        area.horizontalLine(at: 0, style: LineStyle(color: Color(hex: 0xaaaaaa), width: 0.8))
        // Coarse datasets first, so the finest (the ones a facility looks for) lie on top.
        let order = curves.indices.sorted { (curves[$0].resolution ?? .infinity) > (curves[$1].resolution ?? .infinity) }
        for i in order { area.curve(x: curves[i].frequency, y: curves[i].fsc, style: style(of: curves[i])) }
        area.horizontalLine(at: 0.143, style: LineStyle(color: .ink, width: 1, dash: LineStyle.dashed))
        area.label("0.143", at: Point(frame.maxX - 4, area.py(0.143) - 2), color: .ink, horizontal: .right, vertical: .bottom)
        area.drawFrame()
        area.drawBottomAxis(xTicks, title: "Spatial frequency (Å⁻¹)")
        area.drawTopAxis(topTicks, title: "Resolution (Å)")
        area.drawLeftAxis(yTicks, title: "Fourier shell correlation")
        if let range {
            let bar = Rect(x: frame.maxX + 14, y: frame.minY, width: 10, height: frame.height)
            ColorBar.vertical(Self.colorMap, lo: range.lowerBound, hi: max(range.upperBound, range.lowerBound + 0.01), in: bar,
                              title: "Resolution at 0.143 (Å)", on: canvas)
        }
    }
}
