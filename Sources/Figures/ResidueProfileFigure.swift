import Foundation

/// A value per residue along a model's chains (Q-score, atomic B, local resolution), the
/// chains laid end to end with a separator and the chain's name above each: one plot for any
/// number of chains, as EMDB's validation pages read a model from start to end.
public struct ResidueProfileFigure: Figure, Codable, Sendable {
    /// One chain's stretch of the x axis.
    public struct Chain: Codable, Sendable, Equatable {
        /// Chain identifier.
        public var id: String
        /// Residue numbers, in order.
        public var residues: [Int]

        /// A chain.
        public init(id: String, residues: [Int]) { self.id = id; self.residues = residues }
    }

    /// One plotted quantity, one value per residue of every chain in order (NaN breaks the line).
    public struct Series: Codable, Sendable {
        /// Legend text.
        public var label: String
        /// The values, chains concatenated.
        public var values: [Double]

        /// A series.
        public init(label: String, values: [Double]) { self.label = label; self.values = values }
    }

    /// A horizontal reference (an expected value).
    public struct Reference: Codable, Sendable {
        /// Legend text.
        public var label: String
        /// Its value.
        public var value: Double

        /// A reference.
        public init(label: String, value: Double) { self.label = label; self.value = value }
    }

    /// Title above the plot.
    public var title: String
    /// Axis title of the values, with the unit.
    public var valueLabel: String
    /// The chains, in plot order.
    public var chains: [Chain]
    /// The quantities.
    public var series: [Series]
    /// Horizontal references.
    public var references: [Reference]
    /// Fixed value range; nil fits the data.
    public var valueRange: ClosedRange<Double>?
    /// Size in points.
    public var size: FigureSize

    /// A profile; every series holds one value per residue of `chains`.
    public init(title: String, valueLabel: String, chains: [Chain], series: [Series], references: [Reference] = [],
                valueRange: ClosedRange<Double>? = nil, size: FigureSize = .plot) {
        let count = chains.reduce(0) { $0 + $1.residues.count }
        precondition(series.allSatisfy { $0.values.count == count }, "one value per residue")
        self.title = title; self.valueLabel = valueLabel; self.chains = chains; self.series = series
        self.references = references; self.valueRange = valueRange; self.size = size
    }

    /// Where each chain starts on the x axis (residue positions 0, 1, …).
    var chainStarts: [Int] {
        var starts: [Int] = [], n = 0
        for c in chains { starts.append(n); n += c.residues.count }
        return starts
    }

    /// The horizontal line of the `index`-th reference value.
    public static func referenceStyle(index: Int) -> LineStyle {
        LineStyle(color: OkabeIto.cycle[(index + 1) % OkabeIto.cycle.count], width: 1.2, dash: LineStyle.dashed)
    }

    /// The vertical line between chains.
    public static let chainBoundaryStyle = LineStyle(color: .ink, width: 0.8, dash: LineStyle.dotted)

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        let frame = PlotLayout.frame(in: size, topAxis: true)
        let total = max(1, chains.reduce(0) { $0 + $1.residues.count })
        let finite = (series.flatMap(\.values) + references.map(\.value)).filter(\.isFinite)
        let (yLo, yHi) = valueRange.map { ($0.lowerBound, $0.upperBound) } ?? NiceTicks.niceRange(finite.min() ?? 0, finite.max() ?? 1, target: 5)
        let area = PlotArea(canvas: canvas, frame: frame, x: -0.5...(Double(total) - 0.5), y: yLo...yHi)
        let yTicks = NiceTicks.ticks(from: yLo, to: yHi, target: 5)
        area.drawGrid(x: [], y: yTicks.map(\.value))
        let starts = chainStarts
        for (c, start) in zip(chains, starts) {
            if start > 0 { area.verticalLine(at: Double(start) - 0.5, style: Self.chainBoundaryStyle) }
            canvas.text(c.id, at: Point(area.px(Double(start) + Double(c.residues.count) / 2 - 0.5), frame.minY - 6), size: FigureFont.tick,
                        weight: .bold, horizontal: .center, vertical: .bottom)
        }
        var entries: [LegendEntry] = []
        var samples: [Point] = []
        for (i, s) in series.enumerated() {
            let style = LineStyle(color: OkabeIto.cycle[(i + 5) % OkabeIto.cycle.count], width: 1.2)
            // Each chain is its own line: no segment joins one chain's end to the next's start.
            for (c, start) in zip(chains, starts) {
                let xs = (0..<c.residues.count).map { Double(start + $0) }
                let ys = Array(s.values[start..<(start + c.residues.count)])
                area.curve(x: xs, y: ys, style: style)
                samples += area.samplePoints(x: xs, y: ys.map { Optional($0) })
            }
            entries.append(LegendEntry(s.label, style: style))
        }
        for (i, r) in references.enumerated() where r.value.isFinite {
            let style = Self.referenceStyle(index: i)
            area.horizontalLine(at: r.value, style: style)
            entries.append(LegendEntry("\(r.label) (\(NiceTicks.format(r.value, decimals: 2)))", style: style))
        }
        area.drawFrame()
        area.drawBottomAxis(residueTicks(total: total), title: "Residue (chains end to end)")
        area.drawLeftAxis(yTicks, title: valueLabel)
        Legend.draw(entries, on: canvas, in: frame, avoiding: samples)
    }

    /// Ticks at round residue numbers inside each chain, labelled with the residue number.
    func residueTicks(total: Int) -> [Tick] {
        let step = max(1, Int(NiceTicks.step(span: Double(total), target: 8)))
        var ticks: [Tick] = []
        for (c, start) in zip(chains, chainStarts) {
            for (k, number) in c.residues.enumerated() where number % step == 0 {
                // Keep ticks apart when a chain boundary brings two close together.
                if let last = ticks.last, Double(start + k) - last.value < Double(step) / 2 { continue }
                ticks.append(Tick(Double(start + k), String(number)))
            }
        }
        return ticks
    }
}
