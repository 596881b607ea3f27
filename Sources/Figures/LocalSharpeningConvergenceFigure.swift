import Foundation

/// How a LocalDeblur run converged: the cost ‖V0 − H V_i‖/‖V0‖ at every inner iteration (top)
/// and the step size λ in force at that iteration (bottom), over the inner iterations of all
/// rounds in order, with the rounds' boundaries marked.
public struct LocalSharpeningConvergenceFigure: Figure, Codable, Sendable {
    /// Title above the plot.
    public var title: String
    /// The cost at each inner iteration, one array per round.
    public var costs: [[Double]]
    /// λ of each round.
    public var lambdas: [Double]
    /// Size in points.
    public var size: FigureSize

    /// A convergence plot of `costs` (per round, per inner iteration) and `lambdas` (per round).
    public init(title: String, costs: [[Double]], lambdas: [Double], size: FigureSize = FigureSize(600, 440)) {
        precondition(costs.count == lambdas.count, "one λ per round")
        self.title = title; self.costs = costs; self.lambdas = lambdas; self.size = size
    }

    static let costStyle = LineStyle(color: OkabeIto.blue, width: 1.6)
    static let lambdaStyle = LineStyle(color: OkabeIto.vermillion, width: 1.8)
    /// The line between rounds.
    public static let boundaryStyle = LineStyle(color: Color.threshold, width: 1, dash: LineStyle.dotted)

    /// The x position (cumulative inner iteration, from 1) of every iteration of round `r`.
    func positions(round r: Int) -> [Double] {
        let before = costs[..<r].reduce(0) { $0 + $1.count }
        return (0..<costs[r].count).map { Double(before + $0 + 1) }
    }

    /// Draws the figure.
    public func draw(on canvas: Canvas) {
        PlotLayout.drawTitle(title, on: canvas)
        let total = max(1, costs.reduce(0) { $0 + $1.count })
        let left = 66.0, right = 18.0, gap = 22.0, bottom = 46.0, top = costs.count > 1 ? 52.0 : 40.0
        let height = size.height - top - bottom - gap
        let costFrame = Rect(x: left, y: top, width: size.width - left - right, height: height * 0.62)
        let lambdaFrame = Rect(x: left, y: costFrame.maxY + gap, width: costFrame.width, height: height * 0.38)
        let (xLo, xHi) = (0.5, Double(total) + 0.5)
        let xTicks = NiceTicks.ticks(from: 1, to: Double(total), target: min(10, total)).filter { $0.value == $0.value.rounded() }

        let allCosts = costs.flatMap { $0 }.filter(\.isFinite)
        let (cLo, cHi) = NiceTicks.niceRange(allCosts.min() ?? 0, allCosts.max() ?? 1, target: 5)
        let costArea = PlotArea(canvas: canvas, frame: costFrame, x: xLo...xHi, y: cLo...max(cHi, cLo + 1e-9))
        let cTicks = NiceTicks.ticks(from: cLo, to: cHi, target: 5)
        costArea.drawGrid(x: [], y: cTicks.map(\.value))
        let finiteLambdas = lambdas.filter(\.isFinite)
        let (lLo0, lHi0) = NiceTicks.niceRange(min(0, finiteLambdas.min() ?? 0), (finiteLambdas.max() ?? 1) * 1.1, target: 4)
        let lambdaArea = PlotArea(canvas: canvas, frame: lambdaFrame, x: xLo...xHi, y: lLo0...max(lHi0, lLo0 + 1e-9))
        let lTicks = NiceTicks.ticks(from: lLo0, to: lHi0, target: 4)
        lambdaArea.drawGrid(x: [], y: lTicks.map(\.value))

        for r in costs.indices {
            let xs = positions(round: r)
            costArea.curve(x: xs, y: costs[r], style: Self.costStyle)
            for (x, c) in zip(xs, costs[r]) where c.isFinite { canvas.fillCircle(center: costArea.point(x, c), radius: 2.4, color: Self.costStyle.color) }
            if let first = xs.first, let last = xs.last, lambdas[r].isFinite {
                lambdaArea.curve(x: [first - 0.4, last + 0.4], y: [lambdas[r], lambdas[r]], style: Self.lambdaStyle)
                canvas.fillCircle(center: lambdaArea.point(first, lambdas[r]), radius: 3, color: Self.lambdaStyle.color)
                lambdaArea.label(String(format: "λ = %.2f", lambdas[r]), at: Point(lambdaArea.px(first), lambdaArea.py(lambdas[r]) - 5),
                                 color: Self.lambdaStyle.color, horizontal: .left, vertical: .bottom)
            }
            if r > 0, let first = xs.first {
                costArea.verticalLine(at: first - 0.5, style: Self.boundaryStyle)
                lambdaArea.verticalLine(at: first - 0.5, style: Self.boundaryStyle)
            }
            // Round names above the frame, centred over their iterations.
            if costs.count > 1, let first = xs.first, let last = xs.last {
                canvas.text("round \(r + 1)", at: Point(costArea.px((first + last) / 2), costFrame.minY - 4), size: FigureFont.tick,
                            color: Color(hex: 0x555555), horizontal: .center, vertical: .bottom)
            }
        }
        costArea.drawFrame()
        costArea.drawLeftAxis(cTicks, title: "Cost ‖V0 − H V‖ / ‖V0‖")
        lambdaArea.drawFrame()
        lambdaArea.drawLeftAxis(lTicks, title: "Step λ")
        lambdaArea.drawBottomAxis(xTicks, title: costs.count > 1 ? "Inner iteration (all rounds in order)" : "Inner iteration")
    }
}
