import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// The molecule/solvent mask of one half map: the (1 − f_s) fraction of the box where the local
/// rms of the map is highest, with a soft edge.
///
/// Made from one half map only, never from both: a mask made from the average would carry each
/// half's noise into the other and inflate the FSC of the modified halves.
public enum SolventMask {
    /// The local rms, sqrt(G_σ ∗ (m − mean)²), with a Gaussian of standard deviation
    /// `sigma` Å (applied in Fourier space as exp(−2π²σ²s²)).
    public static func localRMS(_ map: Volume, sigma: Double, shells: FourierShells) -> Volume {
        let mean = Float(map.statistics.mean)
        var squared = map
        squared.voxels.withUnsafeMutableBufferPointer { v in
            Parallelism.forEachRange(v.count, minimumPerChunk: 1 << 16) { _, r in
                for i in r { let d = v[i] - mean; v[i] = d * d }
            }
        }
        var spectrum = FFT.forward(consume squared)
        // exp(−B s²/4) with B = 8π²σ² is a real-space Gaussian of standard deviation σ.
        shells.apply(SpectralFilter(bFactor: 8 * Double.pi * Double.pi * sigma * sigma), to: &spectrum)
        var smooth = FFT.backward(consume spectrum)
        smooth.voxels.withUnsafeMutableBufferPointer { v in
            Parallelism.forEachRange(v.count, minimumPerChunk: 1 << 16) { _, r in
                for i in r { v[i] = max(0, v[i]).squareRoot() }
            }
        }
        return smooth
    }

    /// The mask of `map`: 1 on the `1 − solventFraction` of the voxels with the highest local
    /// rms (only voxels where `allowed` is ≥ 0.5 may be molecule, when given), a raised-cosine
    /// edge `edgeVoxels` wide outwards, 0 elsewhere. Also returns the binary molecule region and
    /// its core, the half of the molecule with the highest local rms (the strong density, whose
    /// separate pieces stay apart even where the molecule region reaches across the box).
    public static func make(_ map: Volume, solventFraction: Double, sigma: Double, edgeVoxels: Double,
                            allowed: Volume? = nil, shells: FourierShells) -> (mask: Volume, molecule: [Bool], core: [Bool]) {
        let rms = localRMS(map, sigma: sigma, shells: shells)
        let n = rms.grid.count
        // Quantile from a regular subsample: exact enough for a threshold, and it bounds the
        // memory and time of the selection on large boxes.
        let stride = max(1, n / 2_000_000)
        var sample: [Float] = []
        sample.reserveCapacity(n / stride + 1)
        rms.voxels.withUnsafeBufferPointer { v in
            var i = 0
            while i < n {
                if allowed.map({ $0.voxels[i] >= 0.5 }) ?? true { sample.append(v[i]) } else { sample.append(-1) }
                i += stride
            }
        }
        let threshold = sample.isEmpty ? 0 : Selection.quantile(&sample, solventFraction)
        let coreThreshold = sample.isEmpty ? 0 : Selection.quantile(&sample, 1 - 0.5 * (1 - solventFraction))
        var molecule = [Bool](repeating: false, count: n)
        var core = [Bool](repeating: false, count: n)
        rms.voxels.withUnsafeBufferPointer { v in
            molecule.withUnsafeMutableBufferPointer { m in
                core.withUnsafeMutableBufferPointer { c in
                    Parallelism.forEachRange(n, minimumPerChunk: 1 << 16) { _, r in
                        for i in r {
                            m[i] = v[i] > threshold && (allowed.map { $0.voxels[i] >= 0.5 } ?? true)
                            c[i] = m[i] && v[i] > coreThreshold
                        }
                    }
                }
            }
        }
        let mask = SoftMask.fromBinary(molecule, grid: map.grid, extendVoxels: 0, softEdgeVoxels: edgeVoxels)
        return (mask, molecule, core)
    }
}
