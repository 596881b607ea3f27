import Foundation

/// The best linear combination, in one resolution shell, of several estimates of the same true
/// map, each normalised to unit rms in the shell.
///
/// Model: estimate j is `c_j·T + e_j` with T the (unit-rms) truth, so c_j is its correlation with
/// the truth, and R is the matrix of correlations between the estimates (errors of estimates
/// made from one half map are correlated; R carries that). The weights w = R⁻¹c maximise the
/// correlation of Σ w_j X_j with T, which is then wᵀc / sqrt(wᵀRw) = sqrt(cᵀR⁻¹c).
public struct ShellCombination: Sendable, Equatable, Codable {
    /// Weight of each estimate (not negative; they need not sum to 1).
    public var weights: [Double]
    /// Predicted correlation of the combination with the truth.
    public var correlation: Double
    /// rms of the combination in units of the estimates' rms: sqrt(wᵀRw).
    public var rms: Double

    /// A combination with the given weights.
    public init(weights: [Double], correlation: Double, rms: Double) {
        self.weights = weights; self.correlation = correlation; self.rms = rms
    }

    /// The optimal non-negative weights for correlations with the truth `c` and the correlation
    /// matrix `R` (row-major, k×k; its diagonal need not be 1: for the average of two halves
    /// it is (1 + FSC)/2, the covariance of the averaged estimates).
    ///
    /// Negative weights are removed one at a time (the estimate is dropped and the rest solved
    /// again), because a negative weight relies on a correlation estimate being exact. A
    /// singular system (two estimates carrying the same information, |r| → 1) keeps the first
    /// estimate only. When no estimate correlates with the truth, the first is kept alone.
    public static func optimal(correlations c: [Double], matrix R: [[Double]]) -> ShellCombination {
        let k = c.count
        var active = Array(0..<k).filter { c[$0] > 0 }
        while !active.isEmpty {
            let sub = active.map { i in active.map { j in R[i][j] } }
            guard let w = solve(sub, active.map { c[$0] }) else {
                active.removeLast()
                continue
            }
            if let worst = w.indices.filter({ w[$0] < 0 }).min(by: { w[$0] < w[$1] }) {
                active.remove(at: worst)
                continue
            }
            var full = [Double](repeating: 0, count: k)
            for (n, i) in active.enumerated() { full[i] = w[n] }
            return evaluate(weights: full, correlations: c, matrix: R)
        }
        var first = [Double](repeating: 0, count: k)
        first[0] = 1
        return evaluate(weights: first, correlations: c, matrix: R)
    }

    /// The correlation with the truth and the rms of the combination with `weights`.
    public static func evaluate(weights w: [Double], correlations c: [Double], matrix R: [[Double]]) -> ShellCombination {
        var wc = 0.0, wRw = 0.0
        for i in w.indices {
            wc += w[i] * max(0, c[i])
            for j in w.indices { wRw += w[i] * R[i][j] * w[j] }
        }
        let rms = max(0, wRw).squareRoot()
        return ShellCombination(weights: w, correlation: rms > 0 ? min(1, max(0, wc / rms)) : 0, rms: rms)
    }

    /// Solves A x = b by Gaussian elimination with partial pivoting; nil when A is (nearly)
    /// singular: a pivot below 1e-3 means two estimates are almost the same map.
    static func solve(_ A: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = A, x = b
        for col in 0..<n {
            guard let p = (col..<n).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }), abs(m[p][col]) > 1e-3 else { return nil }
            m.swapAt(col, p); x.swapAt(col, p)
            for row in (col + 1)..<n {
                let f = m[row][col] / m[col][col]
                for j in col..<n { m[row][j] -= f * m[col][j] }
                x[row] -= f * x[col]
            }
        }
        for row in stride(from: n - 1, through: 0, by: -1) {
            var s = x[row]
            for j in (row + 1)..<n { s -= m[row][j] * x[j] }
            x[row] = s / m[row][row]
        }
        return x
    }
}
