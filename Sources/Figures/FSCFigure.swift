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
        /// Masked half maps (blue, narrower than the corrected curve and drawn over it).
        case masked
        /// Masked, phase-randomised half maps (reddish purple).
        case phaseRandomizedMasked
        /// A curve shown for context but not to be read against the others (grey, dotted,
        /// thin), such as the measured FSC of halves that are no longer independent.
        case context
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
    /// The curves (drawn in `drawOrder`).
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

    /// The colour and weight of a curve in `role`; `index` picks a colour for `other`. The
    /// masked curve is narrower than the corrected one and drawn over it (`drawOrder`), so
    /// where the two coincide (below the randomisation shell) it shows as a blue core inside
    /// the black line instead of vanishing under it.
    public static func style(for role: Role, index: Int = 0) -> LineStyle {
        switch role {
        case .corrected: return LineStyle(color: OkabeIto.black, width: 2.6)
        case .unmasked: return LineStyle(color: OkabeIto.orange, width: 1.6)
        case .masked: return LineStyle(color: OkabeIto.blue, width: 1.2)
        case .phaseRandomizedMasked: return LineStyle(color: OkabeIto.reddishPurple, width: 1.4)
        case .context: return LineStyle(color: Color(hex: 0x9a9a9a), width: 1.2, dash: LineStyle.dotted)
        case .other: return LineStyle(color: OkabeIto.cycle[(index + 1) % OkabeIto.cycle.count], width: 1.6)
        }
    }

    /// The style of a threshold line by its name.
    public static func thresholdStyle(_ name: String) -> LineStyle {
        switch name {
        case "0.143": return LineStyle(color: .threshold, width: 1, dash: LineStyle.dashed)
        case "0.5": return LineStyle(color: .threshold, width: 1, dash: LineStyle.dotted)
        default: return LineStyle(color: OkabeIto.bluishGreen, width: 1, dash: LineStyle.dashDot)
        }
    }

    /// The order the curves are drawn in (indices into `curves`): the others first, then the
    /// corrected curve, then the masked curve on top of it (narrower, so both show).
    public var drawOrder: [Int] {
        func rank(_ r: Role) -> Int { r == .corrected ? 1 : (r == .masked ? 2 : 0) }
        return curves.indices.sorted { (rank(curves[$0].role), $0) < (rank(curves[$1].role), $1) }
    }

    /// A label as placed on the figure.
    struct PlacedLabel {
        /// The text.
        var text: String
        /// Where it is drawn.
        var placement: LabelPlacer.Placement
        /// The point it labels (a crossing), or nil for a threshold's name.
        var target: Point?
        /// Text colour.
        var color: Color
    }

    /// Where everything goes: the plot area, the legend and its corner, and the labels.
    struct Layout {
        var area: PlotArea
        var entries: [LegendEntry]
        var corner: LegendCorner
        var labels: [PlacedLabel]
        var lines: [Segment]
    }

    func layout(on canvas: Canvas) -> Layout {
        let frame = PlotLayout.frame(in: size, topAxis: true)
        let maxX = maxFrequency > 0 && maxFrequency.isFinite ? maxFrequency : 0.5
        let lowest = curves.flatMap(\.fsc).filter(\.isFinite).min() ?? 0
        let yMin = min(-0.05, (lowest * 10).rounded(.down) / 10)
        let area = PlotArea(canvas: canvas, frame: frame, x: 0...maxX, y: yMin...1.05)

        // The legend's place is chosen first, away from the curves, so that labels can keep
        // clear of it; it is drawn last, on top.
        var entries = curves.enumerated().map { LegendEntry($0.element.name, style: Self.style(for: $0.element.role, index: $0.offset)) }
        for t in thresholds where !t.frequency.isEmpty {
            entries.append(LegendEntry("\(t.name) threshold", style: Self.thresholdStyle(t.name)))
        }
        let shown = shownCrossings(area)
        let drawn = curves.flatMap { area.samplePoints(x: $0.frequency, y: $0.fsc) } + shown.map { area.point($0.frequency, $0.value) }
        let corner = Legend.bestCorner(entries, on: canvas, in: frame, avoiding: drawn)
        let legendBox = Legend.box(entries, on: canvas, in: frame, corner: corner).insetBy(-3)

        // Every line drawn keeps labels off: curves, thresholds and the crossings' drop lines.
        var lines = curves.flatMap { area.segments(x: $0.frequency, y: $0.fsc.map { Optional($0) }) }
        for t in thresholds {
            if t.frequency.isEmpty, let v = t.values.first, area.yDomain.contains(v) {
                lines.append(Segment(Point(frame.minX, area.py(v)), Point(frame.maxX, area.py(v))))
            } else {
                lines += area.segments(x: t.frequency, y: t.values.map { Optional($0) })
            }
        }
        for c in shown { lines.append(Segment(area.point(c.frequency, area.yDomain.lowerBound), area.point(c.frequency, c.value))) }

        var placer = LabelPlacer(bounds: frame.insetBy(2), lines: lines, taken: [legendBox])
        var labels: [PlacedLabel] = []
        // Crossings first: they carry the numbers; the thresholds' names can go anywhere along their lines.
        let m = canvas.fontMetrics(size: FigureFont.tick)
        let step = m.ascent + m.descent + 3
        for c in shown {
            let p = area.point(c.frequency, c.value)
            labels.append(PlacedLabel(text: c.label, placement: placer.place(c.label, size: FigureFont.tick, on: canvas, candidates: Self.crossingCandidates(p, step: step, bottom: frame.maxY)),
                                      target: p, color: .ink))
        }
        for t in thresholds where t.frequency.isEmpty {
            guard let v = t.values.first, area.yDomain.contains(v) else { continue }
            let y = area.py(v)
            var candidates: [LabelPlacer.Candidate] = []
            for x in stride(from: frame.maxX - 4, through: frame.minX + 40, by: -24) {
                candidates += [(Point(x, y - 2), .right, .bottom), (Point(x, y + 2), .right, .top)]
            }
            labels.append(PlacedLabel(text: t.name, placement: placer.place(t.name, size: FigureFont.tick, on: canvas, candidates: candidates),
                                      target: nil, color: Color(hex: 0x555555)))
        }
        return Layout(area: area, entries: entries, corner: corner, labels: labels, lines: lines)
    }

    /// The crossings inside the x range, lowest frequency first.
    func shownCrossings(_ area: PlotArea) -> [Crossing] {
        crossings.filter { $0.frequency.isFinite && $0.value.isFinite && area.containsX($0.frequency) }.sorted { $0.frequency < $1.frequency }
    }

    /// Beside the crossing first, then beside its drop line further down, then above:
    /// anywhere along the line it still reads as belonging to it.
    static func crossingCandidates(_ p: Point, step: Double, bottom: Double) -> [LabelPlacer.Candidate] {
        var candidates: [LabelPlacer.Candidate] = [(Point(p.x + 6, p.y - 4), .left, .bottom), (Point(p.x - 6, p.y - 4), .right, .bottom),
                                                   (Point(p.x + 6, p.y + 4), .left, .top), (Point(p.x - 6, p.y + 4), .right, .top)]
        var y = p.y + step
        while y < bottom - 4 {
            candidates += [(Point(p.x + 5, y), .left, .middle), (Point(p.x - 5, y), .right, .middle)]
            y += step / 2
        }
        for k in 1...8 {
            candidates += [(Point(p.x + 6, p.y - 4 - step * Double(k)), .left, .bottom), (Point(p.x - 6, p.y - 4 - step * Double(k)), .right, .bottom)]
        }
        return candidates
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        let l = layout(on: canvas)
        let area = l.area, frame = area.frame
        let maxX = area.xDomain.upperBound
        let xTicks = NiceTicks.ticks(from: 0, to: maxX, target: 6)
        let yTicks = NiceTicks.ticks(from: max(area.yDomain.lowerBound, -1), to: 1, target: 5).filter { $0.value >= area.yDomain.lowerBound }
        let topTicks = ResolutionTicks.ticks(lo: 0, hi: maxX, position: { 1 / $0 }, pointsPerUnit: area.pointsPerXUnit) {
            canvas.textWidth($0, size: FigureFont.tick)
        }
        area.drawGrid(x: xTicks.map(\.value), y: yTicks.map(\.value))
        area.horizontalLine(at: 0, style: LineStyle(color: Color(hex: 0xaaaaaa), width: 0.8))
        for t in thresholds {
            if t.frequency.isEmpty, let v = t.values.first {
                area.horizontalLine(at: v, style: Self.thresholdStyle(t.name))
            } else {
                // Varying thresholds are named in the legend.
                area.curve(x: t.frequency, y: t.values, style: Self.thresholdStyle(t.name))
            }
        }
        for i in drawOrder {
            area.curve(x: curves[i].frequency, y: curves[i].fsc, style: Self.style(for: curves[i].role, index: i))
        }
        for c in shownCrossings(area) {
            let style = Self.style(for: c.role)
            area.verticalLine(at: c.frequency, from: area.yDomain.lowerBound, to: c.value,
                              style: LineStyle(color: style.color, width: 0.9, dash: LineStyle.dotted))
            area.canvas.fillCircle(center: area.point(c.frequency, c.value), radius: 2.8, color: style.color)
        }
        for label in l.labels {
            let p = label.placement
            if p.displaced, let target = label.target {
                // Far from its crossing: a thin leader line says which one it names.
                let b = p.box
                let end = Point(min(max(target.x, b.minX), b.maxX), min(max(target.y, b.minY), b.maxY))
                canvas.strokeLine(from: target, to: end, color: Color(hex: 0x888888), width: 0.6)
            }
            area.label(label.text, at: p.candidate.point, color: label.color, horizontal: p.candidate.horizontal, vertical: p.candidate.vertical)
        }
        area.drawFrame()
        area.drawBottomAxis(xTicks, title: "Spatial frequency (Å⁻¹)")
        area.drawTopAxis(topTicks, title: "Resolution (Å)")
        area.drawLeftAxis(yTicks, title: "Fourier shell correlation")
        Legend.draw(l.entries, on: canvas, in: frame, corner: l.corner)
    }
}
