import Foundation

/// The memory of limited-memory BFGS over per-atom vectors: the last six steps s and gradient
/// changes y, from which the two-loop recursion turns a gradient into a quasi-Newton direction.
/// The buffers are allocated once, so no step allocates.
struct LBFGSMemory {
    /// Pairs kept.
    static let capacity = 6
    var sHistory: [[SIMD3<Double>]]
    var yHistory: [[SIMD3<Double>]]
    var rho: [Double]
    var alphas: [Double]
    /// Pairs held (0 after `forget`), and the slot of the newest.
    var stored = 0, newest = -1

    init(atomCount n: Int) {
        sHistory = [[SIMD3<Double>]](repeating: [SIMD3<Double>](repeating: .zero, count: n), count: Self.capacity)
        yHistory = sHistory
        rho = [Double](repeating: 0, count: Self.capacity)
        alphas = rho
    }

    /// Whether no pair is held (the direction is then steepest descent).
    var isEmpty: Bool { stored == 0 }

    /// Drops the pairs: the next direction is steepest descent.
    mutating func forget() { stored = 0 }

    /// −H·g by the two-loop recursion (steepest descent with no history), into `direction`.
    mutating func descentDirection(_ gradient: [SIMD3<Double>], into direction: inout [SIMD3<Double>]) {
        let n = gradient.count, memory = Self.capacity
        for i in 0..<n { direction[i] = -gradient[i] }
        guard stored > 0 else { return }
        var k = newest
        for _ in 0..<stored {
            var a = 0.0
            for i in 0..<n { a += (sHistory[k][i] * direction[i]).sum() }
            a *= rho[k]
            alphas[k] = a
            for i in 0..<n { direction[i] -= a * yHistory[k][i] }
            k = (k - 1 + memory) % memory
        }
        let gamma = 1 / (rho[newest] * Self.dot(yHistory[newest], yHistory[newest]))
        for i in 0..<n { direction[i] *= gamma }
        k = (newest - stored + 1 + memory) % memory
        for _ in 0..<stored {
            var b = 0.0
            for i in 0..<n { b += (yHistory[k][i] * direction[i]).sum() }
            b *= rho[k]
            for i in 0..<n { direction[i] += (alphas[k] - b) * sHistory[k][i] }
            k = (k + 1) % memory
        }
    }

    /// Records an accepted step from `positions` to `trial` (and moves `positions` there), with
    /// the gradient change it brought; a step along which the curvature is not positive starts
    /// the memory afresh.
    mutating func record(from positions: inout [SIMD3<Double>], to trial: [SIMD3<Double>], gradient: [SIMD3<Double>],
                         previousGradient: [SIMD3<Double>]) {
        newest = (newest + 1) % Self.capacity
        for i in 0..<positions.count {
            sHistory[newest][i] = trial[i] - positions[i]
            yHistory[newest][i] = gradient[i] - previousGradient[i]
            positions[i] = trial[i]
        }
        let sy = Self.dot(sHistory[newest], yHistory[newest])
        if sy > 1e-12 {
            rho[newest] = 1 / sy
            stored = min(Self.capacity, stored + 1)
        } else {
            stored = 0
        }
    }

    /// Σᵢ aᵢ·bᵢ over atoms, in atom order.
    static func dot(_ a: [SIMD3<Double>], _ b: [SIMD3<Double>]) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += (a[i] * b[i]).sum() }
        return s
    }
}
