import Foundation

/// A sharpening score against the sharpening parameter (usually B), one point per candidate,
/// with the chosen value marked and reference values (the Guinier or RELION B) drawn as
/// vertical guides.
public struct SharpeningScoreFigure: Figure, Codable, Sendable {
    /// A reference value of the parameter.
    public struct Reference: Codable, Sendable {
        /// Legend text, such as "Guinier B".
        public var label: String
        /// Parameter value.
        public var value: Double

        /// A reference.
        public init(label: String, value: Double) { self.label = label; self.value = value }
    }

    /// Title above the plot.
    public var title: String
    /// Axis title of the parameter, with its unit ("B-factor (Å²)").
    public var parameterLabel: String
    /// Axis title of the score.
    public var scoreLabel: String
    /// Parameter value of each candidate.
    public var parameters: [Double]
    /// Score of each candidate.
    public var scores: [Double]
    /// The chosen parameter value, if any.
    public var chosen: Double?
    /// Reference values to draw.
    public var references: [Reference]
    /// Size in points.
    public var size: FigureSize

    /// A score plot.
    public init(title: String, parameterLabel: String = "B-factor (Å²)", scoreLabel: String, parameters: [Double], scores: [Double],
                chosen: Double?, references: [Reference] = [], size: FigureSize = .plot) {
        precondition(parameters.count == scores.count, "one score per parameter value")
        self.title = title; self.parameterLabel = parameterLabel; self.scoreLabel = scoreLabel
        self.parameters = parameters; self.scores = scores; self.chosen = chosen; self.references = references; self.size = size
    }

    static let curveStyle = LineStyle(color: OkabeIto.blue, width: 1.6)
    static let chosenStyle = LineStyle(color: OkabeIto.vermillion, width: 1.6)
    /// The vertical guide of the `index`-th reference value.
    public static func referenceStyle(index: Int) -> LineStyle {
        LineStyle(color: OkabeIto.cycle[(index + 3) % OkabeIto.cycle.count], width: 1.2, dash: LineStyle.dashed)
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        let frame = PlotLayout.frame(in: size, topAxis: false)
        let xsAll = (parameters + references.map(\.value) + (chosen.map { [$0] } ?? [])).filter(\.isFinite)
        let (xLo, xHi) = NiceTicks.niceRange(xsAll.min() ?? 0, xsAll.max() ?? 1, target: 6)
        let finite = scores.filter(\.isFinite)
        let (yLo, yHi) = NiceTicks.niceRange(finite.min() ?? 0, finite.max() ?? 1, target: 5)
        let area = PlotArea(canvas: canvas, frame: frame, x: xLo...xHi, y: yLo...yHi)
        let xTicks = NiceTicks.ticks(from: xLo, to: xHi, target: 6)
        let yTicks = NiceTicks.ticks(from: yLo, to: yHi, target: 5)
        area.drawGrid(x: xTicks.map(\.value), y: yTicks.map(\.value))
        var entries = [LegendEntry(scoreLabel, style: Self.curveStyle)]
        for (i, r) in references.enumerated() {
            let style = Self.referenceStyle(index: i)
            area.verticalLine(at: r.value, style: style)
            entries.append(LegendEntry("\(r.label) (\(NiceTicks.format(r.value, decimals: 1)))", style: style))
        }
        let order = parameters.indices.sorted { parameters[$0] < parameters[$1] }
        area.curve(x: order.map { parameters[$0] }, y: order.map { scores[$0] }, style: Self.curveStyle)
        for i in order where scores[i].isFinite {
            canvas.fillCircle(center: area.point(parameters[i], scores[i]), radius: 2.4, color: Self.curveStyle.color)
        }
        if let chosen {
            area.verticalLine(at: chosen, style: LineStyle(color: Self.chosenStyle.color, width: 1.2))
            if let i = parameters.indices.min(by: { abs(parameters[$0] - chosen) < abs(parameters[$1] - chosen) }), scores[i].isFinite {
                canvas.fillCircle(center: area.point(parameters[i], scores[i]), radius: 4.2, color: Self.chosenStyle.color)
            }
            entries.append(LegendEntry("chosen (\(NiceTicks.format(chosen, decimals: 1)))", style: Self.chosenStyle))
        }
        area.drawFrame()
        area.drawBottomAxis(xTicks, title: parameterLabel)
        area.drawLeftAxis(yTicks, title: scoreLabel)
        Legend.draw(entries, on: canvas, in: frame, avoiding: area.samplePoints(x: order.map { parameters[$0] }, y: order.map { scores[$0] }))
    }
}
