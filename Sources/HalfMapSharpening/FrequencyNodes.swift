import Foundation

/// Evenly spaced frequency nodes q_k = k·spacing with triangular weights: a partition of unity
/// over frequency, so a weight known at the nodes is applied as its piecewise-linear
/// interpolation, Σ_k w_k·tri_k(q). Local statistics are gathered with the same triangles, so
/// each node's sums describe the frequencies it is applied to.
public struct FrequencyNodes: Sendable, Equatable {
    /// Node spacing (Å⁻¹).
    public var spacing: Double
    /// Number of nodes (from q = 0).
    public var count: Int

    /// Nodes `spacing` apart from 0 through at least `maximum`.
    public init(spacing: Double, through maximum: Double) {
        self.spacing = spacing
        self.count = Int((maximum / spacing).rounded(.up)) + 1
    }

    /// Frequency of node k.
    public func frequency(_ k: Int) -> Double { Double(k) * spacing }

    /// The two nodes whose triangles cover `q` and the weight of the lower one (the upper has
    /// 1 − that); the upper index may be `count` (past the last node) with weight 0.
    @inline(__always) public func bracket(_ q: Double) -> (lower: Int, weight: Double) {
        let t = q / spacing
        let k = min(count - 1, Int(t))
        return (k, max(0, min(1, 1 - (t - Double(k)))))
    }

    /// The triangle of node k at `q`.
    public func triangle(_ k: Int, at q: Double) -> Double {
        max(0, 1 - abs(q / spacing - Double(k)))
    }
}
