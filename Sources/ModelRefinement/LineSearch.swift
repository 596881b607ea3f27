import Foundation

/// The backtracking line search of `CoordinateRefinement`: halves the step until the
/// Armijo condition holds (at most 20 times), with its buffers kept between steps.
struct LineSearch {
    /// The last point tried (the accepted one after a successful search).
    var trial: [SIMD3<Double>]
    /// The gradient at the point the search started from.
    var previousGradient: [SIMD3<Double>]

    init(atomCount n: Int) {
        trial = [SIMD3<Double>](repeating: .zero, count: n)
        previousGradient = trial
    }

    /// Searches from `positions` along `direction`, starting at step `alpha`; returns the
    /// target and map value at the accepted point (its gradient in `gradient`), or nil when no
    /// step decreased the target enough (`gradient` then holds the last trial's).
    mutating func search(from positions: [SIMD3<Double>], along direction: [SIMD3<Double>], alpha: Double, f: Double, slope: Double,
                         target: inout CoordinateTarget, gradient: inout [SIMD3<Double>]) -> (Double, Double)? {
        let n = positions.count
        for i in 0..<n { previousGradient[i] = gradient[i] }
        var alpha = alpha
        for _ in 0..<20 {
            for i in 0..<n { trial[i] = positions[i] + alpha * direction[i] }
            let (fNew, valueNew) = target.evaluate(trial, gradient: &gradient)
            if fNew <= f + 1e-4 * alpha * slope { return (fNew, valueNew) }
            alpha *= 0.5
        }
        return nil
    }
}
