import Foundation

/// Counts of values in equal-width bins whose edges are multiples of the bin width, so that
/// histograms of different datasets line up bin for bin.
public struct Histogram: Codable, Sendable, Equatable {
    /// Left edge of the first bin.
    public var start: Double
    /// Bin width.
    public var width: Double
    /// Values per bin.
    public var counts: [Int]

    /// Bins `values` (non-finite ones are ignored) with the given width.
    public init(_ values: [Float], binWidth: Double) {
        precondition(binWidth > 0, "bin width must be positive")
        let finite = values.filter(\.isFinite)
        width = binWidth
        guard let lo = finite.min(), let hi = finite.max() else { start = 0; counts = []; return }
        start = (Double(lo) / binWidth).rounded(.down) * binWidth
        let n = max(1, Int(((Double(hi) - start) / binWidth).rounded(.down)) + 1)
        var c = [Int](repeating: 0, count: n)
        for v in finite { c[min(n - 1, max(0, Int((Double(v) - start) / binWidth)))] += 1 }
        counts = c
    }

    /// Total count.
    public var total: Int { counts.reduce(0, +) }

    /// Right edge of the last bin.
    public var end: Double { start + width * Double(counts.count) }

    /// Draws the bars on `area` as a percentage of the total per bin.
    public func drawBars(on area: PlotArea, fill: Color, edge: Color) {
        let t = Double(max(1, total))
        for (i, c) in counts.enumerated() where c > 0 {
            let x0 = start + width * Double(i)
            let top = area.point(x0, 100 * Double(c) / t)
            let right = area.px(x0 + width)
            let r = Rect(x: top.x, y: top.y, width: right - top.x, height: area.py(0) - top.y)
            area.canvas.fill(r, color: fill)
            area.canvas.stroke(r, color: edge, width: 0.5)
        }
    }
}
