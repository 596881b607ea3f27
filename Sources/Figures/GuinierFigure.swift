import Foundation

/// The Guinier plot: ln(mean amplitude) against 1/d² per shell, for the map before and after
/// FSC weighting and sharpening, with the straight-line fit drawn over its range only, the
/// range shaded, and the B-factor, range and fit quality printed.
public struct GuinierFigure: Figure, Codable, Sendable {
    /// Which curve this is, which fixes its colour.
    public enum Role: String, Codable, Sendable {
        /// The unweighted average map (black).
        case original
        /// After FSC weighting (blue).
        case weighted
        /// After sharpening (vermillion).
        case sharpened
        /// Anything else (colours from the Okabe–Ito cycle).
        case other
    }

    /// One curve.
    public struct Curve: Codable, Sendable {
        /// Legend text.
        public var name: String
        /// Which curve this is.
        public var role: Role
        /// 1/d² per point (Å⁻²).
        public var frequencySquared: [Double]
        /// ln(mean amplitude) per point; nil where the amplitude is zero.
        public var logAmplitude: [Double?]

        /// A curve.
        public init(name: String, role: Role, frequencySquared: [Double], logAmplitude: [Double?]) {
            self.name = name; self.role = role; self.frequencySquared = frequencySquared; self.logAmplitude = logAmplitude
        }
    }

    /// The fitted straight line.
    public struct Fit: Codable, Sendable {
        /// Slope of ln|F| against 1/d² (Å²).
        public var slope: Double
        /// Intercept at 1/d² = 0.
        public var intercept: Double
        /// Low-resolution end of the fit (Å).
        public var lowResolution: Double
        /// High-resolution end of the fit (Å).
        public var highResolution: Double
        /// r² of the fit.
        public var correlation: Double
        /// Points in the fit.
        public var points: Int

        /// A fit.
        public init(slope: Double, intercept: Double, lowResolution: Double, highResolution: Double, correlation: Double, points: Int) {
            self.slope = slope; self.intercept = intercept; self.lowResolution = lowResolution
            self.highResolution = highResolution; self.correlation = correlation; self.points = points
        }
    }

    /// Title above the plot.
    public var title: String
    /// The curves.
    public var curves: [Curve]
    /// The fit, when the B-factor was fitted.
    public var fit: Fit?
    /// The B-factor applied (Å²; negative sharpens).
    public var appliedBFactor: Double
    /// Size in points.
    public var size: FigureSize

    /// A Guinier plot.
    public init(title: String, curves: [Curve], fit: Fit?, appliedBFactor: Double, size: FigureSize = .plot) {
        self.title = title; self.curves = curves; self.fit = fit; self.appliedBFactor = appliedBFactor; self.size = size
    }

    static func style(_ role: Role, index: Int) -> LineStyle {
        switch role {
        case .original: return LineStyle(color: OkabeIto.black, width: 1.6)
        case .weighted: return LineStyle(color: OkabeIto.blue, width: 1.6)
        case .sharpened: return LineStyle(color: OkabeIto.vermillion, width: 1.6)
        case .other: return LineStyle(color: OkabeIto.cycle[(index + 1) % OkabeIto.cycle.count], width: 1.6)
        }
    }

    /// The fitted line's style.
    public static let fitStyle = LineStyle(color: OkabeIto.bluishGreen, width: 2.4, dash: [7, 3])

    /// The text summarising the B-factor and the fit.
    public var annotation: String {
        let b = "B = \(NiceTicks.format(appliedBFactor, decimals: 1)) Å²"
        guard let fit else { return b + " (given)" }
        return b + String(format: " · fit %.1f–%.2f Å · %d points · r² = %.3f", fit.lowResolution, fit.highResolution, fit.points, fit.correlation)
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        canvas.text(annotation, at: Point(size.width - 12, 12), size: FigureFont.tick, horizontal: .right, vertical: .top)
        let frame = PlotLayout.frame(in: size, topAxis: true)
        let xs = curves.flatMap(\.frequencySquared).filter(\.isFinite)
        let ys = curves.flatMap { $0.logAmplitude.compactMap { $0 } }.filter(\.isFinite)
        let maxX = max(xs.max() ?? 0.1, 1e-6)
        let (yLo, yHi) = NiceTicks.niceRange(ys.min() ?? 0, ys.max() ?? 1, target: 6)
        let area = PlotArea(canvas: canvas, frame: frame, x: 0...maxX, y: yLo...yHi)
        let xTicks = NiceTicks.ticks(from: 0, to: maxX, target: 5)
        let yTicks = NiceTicks.ticks(from: yLo, to: yHi, target: 6)
        let topTicks = ResolutionTicks.ticks(lo: 0, hi: maxX, position: { 1 / ($0 * $0) }, pointsPerUnit: area.pointsPerXUnit) {
            canvas.textWidth($0, size: FigureFont.tick)
        }
        area.drawGrid(x: xTicks.map(\.value), y: yTicks.map(\.value))
        if let fit {
            let x0 = 1 / (fit.lowResolution * fit.lowResolution), x1 = 1 / (fit.highResolution * fit.highResolution)
            area.shadeBand(from: x0, to: x1, color: OkabeIto.skyBlue.withAlpha(0.16))
            area.curve(x: [x0, x1], y: [fit.intercept + fit.slope * x0, fit.intercept + fit.slope * x1], style: Self.fitStyle)
        }
        for (i, c) in curves.enumerated() {
            area.curve(x: c.frequencySquared, y: c.logAmplitude, style: Self.style(c.role, index: i))
        }
        area.drawFrame()
        area.drawBottomAxis(xTicks, title: "1/d² (Å⁻²)")
        area.drawTopAxis(topTicks, title: "Resolution (Å)")
        area.drawLeftAxis(yTicks, title: "ln(mean amplitude)")
        var entries = curves.enumerated().map { LegendEntry($0.element.name, style: Self.style($0.element.role, index: $0.offset)) }
        if fit != nil {
            entries.append(LegendEntry("fit (shaded: fit range)", style: Self.fitStyle))
        }
        let drawn = curves.flatMap { area.samplePoints(x: $0.frequencySquared, y: $0.logAmplitude) }
        Legend.draw(entries, on: canvas, in: frame, avoiding: drawn)
    }
}
