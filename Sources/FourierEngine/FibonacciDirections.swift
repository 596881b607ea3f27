import Foundation

/// Quasi-uniform directions over the half sphere z > 0, from the Fibonacci (golden-angle)
/// lattice: direction i of K has z = 1 − (i + ½)/K and azimuth i·π(3 − √5). Equal steps in z
/// cut the half sphere into bands of equal area (Archimedes), and the golden-angle turn spreads
/// the points evenly around them, so every direction stands for the same solid angle 2π/K.
///
/// A half sphere is enough for correlations of real maps: by Friedel symmetry the Fourier
/// coefficient at −k is the conjugate of that at k, so a direction and its opposite see the
/// same data (used by SIMPLE's fsc_area_score and by 3DFSC, Tan et al. 2017).
public enum FibonacciDirections {
    /// `count` unit vectors over the half sphere z > 0 (count ≥ 1).
    public static func halfSphere(count: Int) -> [SIMD3<Double>] {
        precondition(count >= 1, "at least one direction")
        let turn = Double.pi * (3 - 5.0.squareRoot())
        return (0..<count).map { i in
            let z = 1 - (Double(i) + 0.5) / Double(count)
            let r = max(0, 1 - z * z).squareRoot()
            let phi = Double(i) * turn
            return SIMD3(r * cos(phi), r * sin(phi), z)
        }
    }

    /// The typical angle (radians) between neighbouring directions of a set of `count` over the
    /// half sphere: the side of a square of the solid angle each stands for, √(2π/K).
    public static func spacing(count: Int) -> Double { (2 * Double.pi / Double(max(1, count))).squareRoot() }
}
