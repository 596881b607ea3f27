import Foundation

/// Fourier shell correlation curves against spatial frequency, with threshold lines and the
/// labelled crossings (the report convention: x in Å⁻¹ with a top axis in Å, dashed 0.143,
/// optional 0.5 and half-bit, RELION's four curves in the Okabe–Ito palette).
public struct FSCFigure: Figure, Codable, Sendable {
    /// What a curve is, which fixes its colour and weight.
    public enum Role: String, Codable, Sendable {
        /// The final, phase-randomisation-corrected curve (black, heavy).
        case corrected
        /// Half maps without a mask (orange).
        case unmasked
        /// Masked half maps (blue).
        case masked
        /// Masked, phase-randomised half maps (reddish purple).
        case phaseRandomizedMasked
        /// Anything else (colours from the Okabe–Ito cycle).
        case other
    }

    /// One FSC curve.
    public struct Curve: Codable, Sendable {
        /// Legend text.
        public var name: String
        /// Which curve this is.
        public var role: Role
        /// Spatial frequency per shell (Å⁻¹).
        public var frequency: [Double]
        /// FSC per shell (NaN where a shell is empty).
        public var fsc: [Double]

        /// A curve.
        public init(name: String, role: Role, frequency: [Double], fsc: [Double]) {
            self.name = name; self.role = role; self.frequency = frequency; self.fsc = fsc
        }
    }

    /// A threshold: a constant (0.143, 0.5) or a curve over frequency (half-bit).
    public struct Threshold: Codable, Sendable {
        /// Label ("0.143", "half-bit").
        public var name: String
        /// Spatial frequency of each value; empty for a constant.
        public var frequency: [Double]
        /// One value (constant) or one per frequency.
        public var values: [Double]

        /// A constant threshold.
        public init(constant value: Double, name: String) { self.name = name; frequency = []; values = [value] }
        /// A threshold that varies with frequency.
        public init(name: String, frequency: [Double], values: [Double]) {
            self.name = name; self.frequency = frequency; self.values = values
        }
    }

    /// A reported crossing of a curve with a threshold.
    public struct Crossing: Codable, Sendable {
        /// Spatial frequency of the crossing (Å⁻¹).
        public var frequency: Double
        /// FSC value there (the threshold's value).
        public var value: Double
        /// Text beside the drop line, such as "4.52 Å (0.143, corrected)".
        public var label: String
        /// The curve crossed (for the colour).
        public var role: Role

        /// A crossing.
        public init(frequency: Double, value: Double, label: String, role: Role) {
            self.frequency = frequency; self.value = value; self.label = label; self.role = role
        }
    }

    /// Title above the plot.
    public var title: String
    /// The curves, drawn in order (the corrected curve is drawn last, on top).
    public var curves: [Curve]
    /// Threshold lines.
    public var thresholds: [Threshold]
    /// Crossings to mark.
    public var crossings: [Crossing]
    /// Right end of the x axis: the Nyquist frequency 1/(2·voxel) (Å⁻¹).
    public var maxFrequency: Double
    /// Size in points.
    public var size: FigureSize

    /// A figure of the given curves, thresholds and crossings.
    public init(title: String, curves: [Curve], thresholds: [Threshold], crossings: [Crossing], maxFrequency: Double,
                size: FigureSize = .plot) {
        self.title = title; self.curves = curves; self.thresholds = thresholds; self.crossings = crossings
        self.maxFrequency = maxFrequency; self.size = size
    }

    /// The colour and weight of a curve in `role`; `index` picks a colour for `other`.
    public static func style(for role: Role, index: Int = 0) -> LineStyle {
        switch role {
        case .corrected: return LineStyle(color: OkabeIto.black, width: 2.2)
        case .unmasked: return LineStyle(color: OkabeIto.orange, width: 1.6)
        case .masked: return LineStyle(color: OkabeIto.blue, width: 1.6)
        case .phaseRandomizedMasked: return LineStyle(color: OkabeIto.reddishPurple, width: 1.4)
        case .other: return LineStyle(color: OkabeIto.cycle[(index + 1) % OkabeIto.cycle.count], width: 1.6)
        }
    }

    static func thresholdStyle(_ name: String) -> LineStyle {
        switch name {
        case "0.143": return LineStyle(color: .threshold, width: 1, dash: LineStyle.dashed)
        case "0.5": return LineStyle(color: .threshold, width: 1, dash: LineStyle.dotted)
        default: return LineStyle(color: OkabeIto.bluishGreen, width: 1, dash: LineStyle.dashDot)
        }
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        let frame = PlotLayout.frame(in: size, topAxis: true)
        let maxX = maxFrequency > 0 && maxFrequency.isFinite ? maxFrequency : 0.5
        let lowest = curves.flatMap(\.fsc).filter(\.isFinite).min() ?? 0
        let yMin = min(-0.05, (lowest * 10).rounded(.down) / 10)
        let area = PlotArea(canvas: canvas, frame: frame, x: 0...maxX, y: yMin...1.05)

        let xTicks = NiceTicks.ticks(from: 0, to: maxX, target: 6)
        let yTicks = NiceTicks.ticks(from: max(yMin, -1), to: 1, target: 5).filter { $0.value >= yMin }
        let topTicks = ResolutionTicks.ticks(lo: 0, hi: maxX, position: { 1 / $0 }, pointsPerUnit: area.pointsPerXUnit) {
            canvas.textWidth($0, size: FigureFont.tick)
        }
        area.drawGrid(x: xTicks.map(\.value), y: yTicks.map(\.value))
        area.horizontalLine(at: 0, style: LineStyle(color: Color(hex: 0xaaaaaa), width: 0.8))

        // The legend's place is chosen first, away from the curves, so that labels can keep
        // clear of it; it is drawn last, on top.
        var entries = curves.enumerated().map { LegendEntry($0.element.name, style: Self.style(for: $0.element.role, index: $0.offset)) }
        for t in thresholds where !t.frequency.isEmpty {
            entries.append(LegendEntry("\(t.name) threshold", style: Self.thresholdStyle(t.name)))
        }
        let drawn = curves.flatMap { area.samplePoints(x: $0.frequency, y: $0.fsc) }
            + crossings.filter { $0.frequency.isFinite && area.containsX($0.frequency) }.map { area.point($0.frequency, $0.value) }
        let corner = Legend.bestCorner(entries, on: canvas, in: frame, avoiding: drawn)
        let legendBox = Legend.box(entries, on: canvas, in: frame, corner: corner).insetBy(-3)

        // Labels go where they hide the least: the curves (and the legend) are obstacles.
        var obstacles = drawn
        for t in thresholds where !t.frequency.isEmpty { obstacles += area.samplePoints(x: t.frequency, y: t.values.map { Optional($0) }) }
        var placer = LabelPlacer(bounds: frame.insetBy(2), obstacles: obstacles, taken: [legendBox])
        for t in thresholds {
            let style = Self.thresholdStyle(t.name)
            if t.frequency.isEmpty, let v = t.values.first {
                area.horizontalLine(at: v, style: style)
                let y = area.py(v)
                let place = placer.place(t.name, size: FigureFont.tick, on: canvas, candidates: [
                    (Point(frame.maxX - 4, y - 2), .right, .bottom), (Point(frame.maxX - 4, y + 2), .right, .top),
                    (Point(frame.minX + 4, y - 2), .left, .bottom), (Point(frame.minX + 4, y + 2), .left, .top),
                ])
                area.label(t.name, at: place.point, color: Color(hex: 0x555555), horizontal: place.horizontal, vertical: place.vertical)
            } else {
                // Varying thresholds are named in the legend.
                area.curve(x: t.frequency, y: t.values, style: style)
            }
        }
        // The corrected curve goes on top of the others.
        let order = curves.indices.sorted { (curves[$0].role == .corrected ? 1 : 0) < (curves[$1].role == .corrected ? 1 : 0) }
        for i in order {
            let c = curves[i]
            area.curve(x: c.frequency, y: c.fsc, style: Self.style(for: c.role, index: i))
        }
        drawCrossings(area, placer: &placer)
        area.drawFrame()
        area.drawBottomAxis(xTicks, title: "Spatial frequency (Å⁻¹)")
        area.drawTopAxis(topTicks, title: "Resolution (Å)")
        area.drawLeftAxis(yTicks, title: "Fourier shell correlation")
        Legend.draw(entries, on: canvas, in: frame, corner: corner)
    }

    private func drawCrossings(_ area: PlotArea, placer: inout LabelPlacer) {
        let m = area.canvas.fontMetrics(size: FigureFont.tick)
        let step = m.ascent + m.descent + 3
        for c in crossings.sorted(by: { $0.frequency < $1.frequency }) where c.frequency.isFinite && area.containsX(c.frequency) {
            let style = Self.style(for: c.role)
            area.verticalLine(at: c.frequency, from: area.yDomain.lowerBound, to: c.value,
                              style: LineStyle(color: style.color, width: 0.9, dash: LineStyle.dotted))
            let p = area.point(c.frequency, c.value)
            area.canvas.fillCircle(center: p, radius: 2.8, color: style.color)
        }
        for c in crossings.sorted(by: { $0.frequency < $1.frequency }) where c.frequency.isFinite && area.containsX(c.frequency) {
            // Beside the crossing first, then beside its drop line further down, then above:
            // anywhere along the line it still reads as belonging to it.
            let p = area.point(c.frequency, c.value)
            var candidates: [LabelPlacer.Candidate] = [(Point(p.x + 6, p.y - 4), .left, .bottom), (Point(p.x - 6, p.y - 4), .right, .bottom)]
            var y = p.y + step
            while y < area.frame.maxY - 4 {
                candidates += [(Point(p.x + 5, y), .left, .middle), (Point(p.x - 5, y), .right, .middle)]
                y += step
            }
            for k in 1...6 {
                candidates += [(Point(p.x + 6, p.y - 4 - step * Double(k)), .left, .bottom), (Point(p.x - 6, p.y - 4 - step * Double(k)), .right, .bottom)]
            }
            let place = placer.place(c.label, size: FigureFont.tick, on: area.canvas, candidates: candidates)
            area.label(c.label, at: place.point, color: .ink, horizontal: place.horizontal, vertical: place.vertical)
        }
    }
}
