import Foundation
import FourierEngine

/// A quantity measured along a set of directions over the half sphere, read in any direction
/// by a Gaussian kernel in angle: a direction and its opposite are the same (Friedel), and σ is
/// half the spacing of the measured directions, narrow beside the 20° cones that already
/// smooth each measurement, so the field keeps their variation and fills in between them.
public struct DirectionField: Sendable {
    /// The measured directions (unit vectors).
    public let directions: [SIMD3<Double>]
    /// The value along each (finite).
    public let values: [Double]
    /// Kernel width (radians).
    public let sigma: Double

    /// A field from values along `directions` (non-finite values are left out).
    public init(directions: [SIMD3<Double>], values: [Double]) {
        precondition(directions.count == values.count, "one value per direction")
        let kept = zip(directions, values).filter { $0.1.isFinite }
        self.directions = kept.map(\.0)
        self.values = kept.map(\.1)
        sigma = FibonacciDirections.spacing(count: max(1, directions.count)) / 2
    }

    /// The value in direction `v` (a unit vector): the kernel-weighted mean of the measured
    /// values, by the angle between v and each direction or its opposite; NaN with no values.
    public func value(_ v: SIMD3<Double>) -> Double {
        var sum = 0.0, weight = 0.0
        let scale = 1 / (2 * sigma * sigma)
        for (u, x) in zip(directions, values) {
            let angle = acos(min(1, abs((u * v).sum())))
            let w = exp(-angle * angle * scale)
            sum += w * x
            weight += w
        }
        if weight < 1e-300 {
            // Far from every measurement (impossible for Fibonacci sets): the nearest one.
            guard let j = directions.indices.max(by: { abs((directions[$0] * v).sum()) < abs((directions[$1] * v).sum()) }) else { return .nan }
            return values[j]
        }
        return sum / weight
    }
}
