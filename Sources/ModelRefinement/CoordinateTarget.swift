import Foundation
import MapbookCore

/// The target of `CoordinateRefinement` (its energy and gradient at given coordinates), with
/// the per-atom scratch it sums from, kept between evaluations so no step allocates.
struct CoordinateTarget {
    let start: [SIMD3<Double>]
    let atomWeights: [Double]
    let geometry: ModelGeometry
    let sampler: MapSampler
    /// The self term, or an empty one (`hasSelf` false) that is never read.
    let own: CoordinateRefinement.SelfTerm
    let hasSelf: Bool
    let w: CoordinateRefinement.Weights
    let totalWeight: Double
    var energy: [Double]
    var mapValue: [Double]

    init(start: [SIMD3<Double>], atomWeights: [Double], geometry: ModelGeometry, sampler: MapSampler,
         selfTerm: CoordinateRefinement.SelfTerm?, weights: CoordinateRefinement.Weights) {
        self.start = start; self.atomWeights = atomWeights; self.geometry = geometry; self.sampler = sampler
        own = selfTerm ?? .init(anchors: [], scale: 0, profiles: AtomProfiles.none)
        hasSelf = selfTerm != nil
        w = weights
        totalWeight = max(1e-12, atomWeights.reduce(0, +))
        energy = [Double](repeating: 0, count: start.count)
        mapValue = energy
    }

    /// E and ∇E at `x` (gradient into `gradient`); returns E and the weighted mean map value.
    /// Each atom is computed on its own, in parallel; the sums are taken in atom order, so the
    /// result does not depend on the thread count.
    mutating func evaluate(_ x: [SIMD3<Double>], gradient: inout [SIMD3<Double>]) -> (Double, Double) {
        let n = x.count
        let (start, atomWeights, geometry, sampler, own, hasSelf, w) = (start, atomWeights, geometry, sampler, own, hasSelf, self.w)
        var energy = self.energy, mapValue = self.mapValue
        self.energy = []; self.mapValue = []   // unique buffers: no copy on write below
        x.withUnsafeBufferPointer { xs in
            start.withUnsafeBufferPointer { s in
                atomWeights.withUnsafeBufferPointer { aw in
                    geometry.start.withUnsafeBufferPointer { rowStart in
                        geometry.partner.withUnsafeBufferPointer { partner in
                            geometry.length.withUnsafeBufferPointer { length in
                                geometry.isBond.withUnsafeBufferPointer { isBond in
                                    sampler.values.withUnsafeBufferPointer { map in
                                        energy.withUnsafeMutableBufferPointer { e in
                                            mapValue.withUnsafeMutableBufferPointer { mv in
                                                gradient.withUnsafeMutableBufferPointer { g in
                                                    Parallelism.forEachRange(n, minimumPerChunk: 512) { _, range in
                                                        for a in range {
                                                            let p = xs[a]
                                                            let (m, dm) = sampler.sample(p, map)
                                                            let d0 = p - s[a]
                                                            var ea = -w.map * aw[a] * m + 0.5 * w.start * (d0 * d0).sum()
                                                            var ga = -w.map * aw[a] * dm + w.start * d0
                                                            var value = m
                                                            if hasSelf {
                                                                let c = p - own.anchors[a]
                                                                let iv = own.profiles.inverseVariance[a]
                                                                let peak = own.scale * own.profiles.peak[a] * exp(-0.5 * iv * (c * c).sum())
                                                                value += peak
                                                                ea -= w.map * aw[a] * peak
                                                                ga += (w.map * aw[a] * peak * iv) * c
                                                            }
                                                            for k in rowStart[a]..<rowStart[a + 1] {
                                                                let d = p - xs[Int(partner[k])]
                                                                let r = max(1e-9, (d * d).sum().squareRoot())
                                                                let delta = r - length[k]
                                                                let spring = isBond[k] ? w.bond : w.angle
                                                                // Each pair is stored at both ends: half its energy here.
                                                                ea += 0.25 * spring * delta * delta
                                                                ga += (spring * delta / r) * d
                                                            }
                                                            e[a] = ea; g[a] = ga; mv[a] = aw[a] * value
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        self.energy = energy; self.mapValue = mapValue
        var total = 0.0, values = 0.0
        for a in 0..<n { total += energy[a]; values += mapValue[a] }
        return (total, values / totalWeight)
    }
}
