import Foundation
import FourierEngine
import MapModel
import ModelMaps

/// Each atom of a model as a map low-passed to resolution d shows it, near its centre: a
/// Gaussian A·exp(−r²/2σ²) with the peak A and the curvature of the exact radial profile
/// P(r) = ∫ 4πs² F(s) g(s) sin(2πsr)/(2πsr) ds, where F(s) = occ·Σ aᵢ exp(−(bᵢ + B) s²/4) is
/// the atom's scattering factor with its Debye–Waller factor (as `ModelMap` uses) and g the
/// low-pass. So A = ∫ 4πs² F g ds and A/σ² = (4π²/3) ∫ 4πs⁴ F g ds.
///
/// The coordinate refinement uses it to put an atom's own density back into the difference map
/// it samples (see `CoordinateRefinement.SelfTerm`); it is only needed within a fraction of an
/// ångström of the centre, where the Gaussian and the exact profile agree. Computed once per
/// (element, B rounded to 0.5 Å²).
public struct AtomProfiles: Sendable {
    /// Peak density of each atom (occupancy included), in the units of `ModelMap`.
    public let peak: [Double]
    /// 1/σ² of each atom's Gaussian, Å⁻².
    public let inverseVariance: [Double]

    /// No atoms.
    public static let none = AtomProfiles(peak: [], inverseVariance: [])

    init(peak: [Double], inverseVariance: [Double]) { self.peak = peak; self.inverseVariance = inverseVariance }

    /// The profiles of `model`'s atoms with an extra B of `extraB` Å², under the low-pass of
    /// `filter` (its `lowPass` and edge) on a grid of reference length `referenceLength` Å.
    public init(model: AtomicModel, filter: SpectralFilter, referenceLength: Double, extraB: Double) {
        let centre = 1 / (filter.lowPass ?? 0.5)
        let smax = centre + 0.5 * filter.lowPassEdgeShells / referenceLength
        let steps = 300
        let ds = smax / Double(steps)
        var gains = [Double](repeating: 0, count: steps + 1)
        for i in 0...steps { gains[i] = filter.lowPassGain(Double(i) * ds, referenceLength: referenceLength) }
        var cache: [SIMD2<Int>: SIMD2<Double>] = [:]
        var peak = [Double](), inverse = [Double]()
        peak.reserveCapacity(model.atoms.count); inverse.reserveCapacity(model.atoms.count)
        for atom in model.atoms {
            let key = SIMD2(atom.element.atomicNumber, Int((2 * (atom.bFactor + extraB)).rounded()))
            let moments: SIMD2<Double>
            if let known = cache[key] {
                moments = known
            } else {
                let f = ElectronScattering.formFactor(atom.element)
                let b = Double(key.y) / 2
                var m0 = 0.0, m2 = 0.0
                for i in 0...steps {
                    let s = Double(i) * ds
                    var form = 0.0
                    for t in 0..<f.a.count { form += f.a[t] * exp(-max(0.1, f.b[t] + b) * s * s / 4) }
                    let w = ((i == 0 || i == steps) ? 0.5 : 1) * ds * 4 * .pi * s * s * form * gains[i]
                    m0 += w; m2 += w * s * s
                }
                moments = SIMD2(m0, 4 * .pi * .pi / 3 * m2)
                cache[key] = moments
            }
            let occ = max(0, atom.occupancy)
            peak.append(occ * moments.x)
            inverse.append(moments.x > 0 ? moments.y / moments.x : 0)
        }
        self.peak = peak
        self.inverseVariance = inverse
    }
}
