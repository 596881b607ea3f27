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

        for t in thresholds {
            let style = Self.thresholdStyle(t.name)
            if t.frequency.isEmpty, let v = t.values.first {
                area.horizontalLine(at: v, style: style)
                let right = Point(frame.maxX - 4, area.py(v) - 2)
                if canvas.textBox(t.name, at: right, size: FigureFont.tick, horizontal: .right, vertical: .bottom).intersects(legendBox) {
                    area.label(t.name, at: Point(frame.minX + 4, area.py(v) - 2), color: Color(hex: 0x555555), horizontal: .left, vertical: .bottom)
                } else {
                    area.label(t.name, at: right, color: Color(hex: 0x555555), horizontal: .right, vertical: .bottom)
                }
            } else {
                // Varying thresholds are named in the legend: an inline label would sit among
                // the curves where they cross it.
                area.curve(x: t.frequency, y: t.values, style: style)
            }
        }
        // The corrected curve goes on top of the others.
        let order = curves.indices.sorted { (curves[$0].role == .corrected ? 1 : 0) < (curves[$1].role == .corrected ? 1 : 0) }
        for i in order {
            let c = curves[i]
            area.curve(x: c.frequency, y: c.fsc, style: Self.style(for: c.role, index: i))
        }
        drawCrossings(area, avoiding: legendBox)
        area.drawFrame()
        area.drawBottomAxis(xTicks, title: "Spatial frequency (Å⁻¹)")
        area.drawTopAxis(topTicks, title: "Resolution (Å)")
        area.drawLeftAxis(yTicks, title: "Fourier shell correlation")
        Legend.draw(entries, on: canvas, in: frame, corner: corner)
    }

    private func drawCrossings(_ area: PlotArea, avoiding legend: Rect) {
        var placed: [Rect] = [legend]
        for c in crossings.sorted(by: { $0.frequency < $1.frequency }) where c.frequency.isFinite && area.containsX(c.frequency) {
            let style = Self.style(for: c.role)
            area.verticalLine(at: c.frequency, from: area.yDomain.lowerBound, to: c.value,
                              style: LineStyle(color: style.color, width: 0.9, dash: LineStyle.dotted))
            let p = area.point(c.frequency, c.value)
            area.canvas.fillCircle(center: p, radius: 2.8, color: style.color)
            // Candidate places: right of the drop line above the threshold, left of it, then
            // the same below; then stepping upwards. The first that stays inside the frame and
            // clear of the legend and earlier labels wins.
            let m = area.canvas.fontMetrics(size: FigureFont.tick)
            let step = m.ascent + m.descent + 2
            var candidates: [(Point, HorizontalAlignment, VerticalAlignment)] = [
                (Point(p.x + 6, p.y - 5), .left, .bottom), (Point(p.x - 6, p.y - 5), .right, .bottom),
                (Point(p.x + 6, p.y + 5), .left, .top), (Point(p.x - 6, p.y + 5), .right, .top),
            ]
            for k in 1...8 {
                candidates.append((Point(p.x + 6, p.y - 5 - step * Double(k)), .left, .bottom))
                candidates.append((Point(p.x - 6, p.y - 5 - step * Double(k)), .right, .bottom))
            }
            let text = c.label
            func box(_ place: (Point, HorizontalAlignment, VerticalAlignment)) -> Rect {
                area.canvas.textBox(text, at: place.0, size: FigureFont.tick, horizontal: place.1, vertical: place.2).insetBy(-2)
            }
            let inside = area.frame.insetBy(2)
            let pick = candidates.first { cand in
                let b = box(cand)
                return b.minX >= inside.minX && b.maxX <= inside.maxX && b.minY >= inside.minY && b.maxY <= inside.maxY
                    && !placed.contains { $0.intersects(b) }
            } ?? candidates[0]
            placed.append(box(pick))
            area.label(c.label, at: pick.0, color: .ink, horizontal: pick.1, vertical: pick.2)
        }
    }
}
