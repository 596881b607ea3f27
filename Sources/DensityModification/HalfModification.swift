import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// What is done to one half: its noise, its modified map, and the combination of its
/// original, modified (and model) coefficients shell by shell.
extension DensityModification {
    /// Noise power per coefficient of one half, per shell: half the mean power of the
    /// difference of the two halves, |A − B|² = |A|² + |B|² − 2 Re(A B*).
    static func halfNoisePower(_ a: HalfSpectrum, _ b: HalfSpectrum, shells: FourierShells) -> [Double] {
        let pa = shells.meanPower(a), pb = shells.meanPower(b), x = shells.crossPower(a, b)
        return (0..<shells.shellCount).map { s in
            shells.counts[s] > 0 ? max(0, 0.5 * (pa[s] + pb[s] - 2 * x[s] / shells.counts[s])) : 0
        }
    }

    /// One half's modified map: solvent flattened to its mean level and, inside, the molecule
    /// moved by what the density prior says of the filtered copy (`filtered`, the map the mask
    /// and the prior were drawn from): map + (E[ρ | filtered] − filtered), or kept; blended
    /// through the soft mask. The correction is added to the unfiltered map rather than
    /// replacing it, so each shell keeps its own signal (see `modifiedHalves`).
    static func modify(_ map: Volume, filtered: Volume, mask: Volume, molecule: [Bool], noiseVariance: Double,
                       parameters p: DensityModificationParameters) -> (map: Volume, solventLevel: Double, prior: DensityExpectation?) {
        var solventSum = 0.0, solventCount = 0.0
        var inside: [Float] = []
        let stride = max(1, molecule.count / 200_000)
        map.voxels.withUnsafeBufferPointer { v in
            filtered.voxels.withUnsafeBufferPointer { f in
                mask.voxels.withUnsafeBufferPointer { m in
                    for i in 0..<v.count {
                        if m[i] < 0.5 { solventSum += Double(v[i]); solventCount += 1 }
                        if molecule[i] && i % stride == 0 { inside.append(f[i]) }
                    }
                }
            }
        }
        let level = solventCount > 0 ? solventSum / solventCount : 0
        var prior: DensityExpectation? = nil
        if p.molecule == .expectation, inside.count >= 100 {
            prior = DensityExpectation.fit(inside, noiseVariance: noiseVariance, count: p.mixtureComponents)
        }
        var out = map
        let flat = Float(level)
        out.voxels.withUnsafeMutableBufferPointer { v in
            filtered.voxels.withUnsafeBufferPointer { f in
                mask.voxels.withUnsafeBufferPointer { m in
                    Parallelism.forEachRange(v.count, minimumPerChunk: 1 << 14) { _, r in
                        for i in r {
                            let w = m[i]
                            if w <= 0 { v[i] = flat; continue }
                            let expected = prior.map { v[i] + Float($0.expected(Double(f[i]))) - f[i] } ?? v[i]
                            v[i] = w * expected + (1 - w) * flat
                        }
                    }
                }
            }
        }
        return (out, level, prior)
    }

    /// gainO·O + gainD·D (+ gainM·M), shell by shell; coefficients outside every shell keep O.
    static func combine(_ O: HalfSpectrum, _ D: HalfSpectrum, _ M: HalfSpectrum?, _ gainO: [Float], _ gainD: [Float], _ gainM: [Float],
                        shells: FourierShells) -> HalfSpectrum {
        var out = O
        out.coefficients.withUnsafeMutableBufferPointer { o in
            D.coefficients.withUnsafeBufferPointer { dd in
                shells.shellIndex.withUnsafeBufferPointer { idx in
                    let model = M?.coefficients
                    Parallelism.forEachRange(o.count, minimumPerChunk: 1 << 15) { _, r in
                        for j in r {
                            let s = Int(idx[j])
                            if s == Int(FourierShells.outside) { continue }
                            let a = gainO[s], b = gainD[s]
                            var v = ComplexF(a * o[j].re + b * dd[j].re, a * o[j].im + b * dd[j].im)
                            if let model, gainM[s] != 0 {
                                let q = model[j]
                                v.re += gainM[s] * q.re; v.im += gainM[s] * q.im
                            }
                            o[j] = v
                        }
                    }
                }
            }
        }
        return out
    }
}
