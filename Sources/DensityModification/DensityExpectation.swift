import Foundation
import MapbookCore

/// The expected true density inside the molecule given the observed (noisy) value: a Gaussian
/// mixture fitted to the molecule's density histogram, with the noise variance taken out of
/// each component, is the prior; the posterior mean moves each value towards the means of the
/// components it probably belongs to. This is histogram matching in Bayesian form: values that
/// the histogram says are unlikely are pulled in, typical ones are left nearly alone.
public struct DensityExpectation: Sendable, Equatable, Codable {
    /// One mixture component.
    public struct Component: Sendable, Equatable, Codable {
        /// Mixing proportion.
        public var weight: Double
        /// Mean density.
        public var mean: Double
        /// Variance of the true density in this component (noise removed).
        public var variance: Double
    }

    /// The prior's components.
    public var components: [Component]
    /// Noise variance of the observed values.
    public var noiseVariance: Double

    /// Fits `count` components by expectation–maximisation to `values` (the observed densities
    /// inside the molecule), then removes `noiseVariance` from each component's variance (kept at
    /// no less than 5 % of it, so no component collapses to a point).
    public static func fit(_ values: [Float], noiseVariance: Double, count: Int = 2, iterations: Int = 50) -> DensityExpectation {
        precondition(!values.isEmpty && count >= 1)
        let sorted = values.sorted()
        let n = Double(sorted.count)
        var comps: [Component] = (0..<count).map { j in
            // Start on equal-count slices of the sorted values.
            let lo = j * sorted.count / count, hi = max(lo + 1, (j + 1) * sorted.count / count)
            let slice = sorted[lo..<hi]
            let m = slice.reduce(0.0) { $0 + Double($1) } / Double(slice.count)
            let v = slice.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(slice.count)
            return Component(weight: 1 / Double(count), mean: m, variance: max(v, 1e-12))
        }
        var resp = [Double](repeating: 0, count: count)
        for _ in 0..<iterations {
            var sw = [Double](repeating: 0, count: count), sx = sw, sxx = sw
            for x32 in sorted {
                let x = Double(x32)
                var total = 0.0
                for j in 0..<count {
                    let c = comps[j]
                    let d = x - c.mean
                    resp[j] = c.weight * exp(-0.5 * d * d / c.variance) / c.variance.squareRoot()
                    total += resp[j]
                }
                guard total > 0 else { continue }
                for j in 0..<count {
                    let g = resp[j] / total
                    sw[j] += g; sx[j] += g * x; sxx[j] += g * x * x
                }
            }
            for j in 0..<count where sw[j] > 0 {
                let m = sx[j] / sw[j]
                comps[j] = Component(weight: sw[j] / n, mean: m, variance: max(sxx[j] / sw[j] - m * m, 1e-12))
            }
        }
        let deconvolved = comps.map { c in
            Component(weight: c.weight, mean: c.mean, variance: max(c.variance - noiseVariance, 0.05 * c.variance))
        }
        return DensityExpectation(components: deconvolved, noiseVariance: noiseVariance)
    }

    /// E[ρ | observed x]: each component shrinks x towards its mean by s²/(s² + σ_n²), weighted
    /// by how likely x is under that component with the noise added.
    @inline(__always)
    public func expected(_ x: Double) -> Double {
        var num = 0.0, den = 0.0
        for c in components {
            let total = c.variance + noiseVariance
            let d = x - c.mean
            let p = c.weight * exp(-0.5 * d * d / total) / total.squareRoot()
            num += p * (c.mean * noiseVariance + x * c.variance) / total
            den += p
        }
        return den > 0 ? num / den : x
    }
}
