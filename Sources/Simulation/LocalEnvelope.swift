import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// How a simulation's local blur acts on the data.
public enum LocalBlurKind: String, Sendable, Codable, CaseIterable, ParameterChoice {
    /// A spatially varying low-pass: the truth itself is blurred, and the half maps are that
    /// truth plus noise. No sharpening can do better than a Wiener filter here, because the
    /// truth has no detail beyond its local resolution.
    case lowpass
    /// A spatially varying B-factor envelope on the half maps' signal, as flexibility, beam
    /// damage and alignment errors attenuate real data: the truth stays the sharp model map,
    /// and sharpening can recover what the envelope attenuated but the noise did not drown.
    case bfactor
}

/// A spatially varying B-factor envelope: each voxel's signal is the model map multiplied in
/// Fourier space by exp(−B s²/4), with B set by the design's blend (0: sharp, 1: blurred).
///
/// Computed like `LocalBlur`: copies of the map at evenly spaced B, blended per voxel with
/// linear weights, so a voxel between two copies takes their weighted mean.
public enum LocalEnvelope {
    /// The envelope B-factors (Å²) of the copies from `sharp` to `blurred`, at most 20 Å² apart.
    public static func levels(sharp: Double, blurred: Double) -> [Double] {
        guard blurred - sharp > 1e-9 else { return [sharp] }
        let count = min(24, max(2, Int(((blurred - sharp) / 20).rounded(.up)) + 1))
        return (0..<count).map { sharp + (blurred - sharp) * Double($0) / Double(count - 1) }
    }

    /// `spectrum`'s map with each voxel's signal under the envelope at its blend (`blend`, in
    /// [0, 1], from the first level to the last).
    public static func apply(_ spectrum: HalfSpectrum, blend: Volume, levels: [Double], shells: FourierShells,
                             planning: FFTPlanning = .fastest) -> Volume {
        var out = Volume(grid: spectrum.grid)
        let last = Double(levels.count - 1)
        for (j, b) in levels.enumerated() {
            var copy = spectrum
            shells.apply(SpectralFilter(bFactor: b), to: &copy)
            let level = FFT.backward(consume copy, planning: planning)
            LevelBlend.add(level, index: j, count: levels.count, keys: blend, into: &out) { t in Double(t) * last }
        }
        return out
    }

    /// The resolution (Å) at which the half-map FSC of signal under each envelope level would
    /// fall to 0.143, given the unattenuated signal's and each half's noise mean power per
    /// shell: FSC_j(s) = P(s)·e^(−B_j s²/2) / (P(s)·e^(−B_j s²/2) + N(s)). Nyquist when it never
    /// falls that low.
    public static func resolutions(levels: [Double], signalPower: [Double], noisePower: [Double],
                                   shells: FourierShells) -> [Double] {
        levels.map { b in
            var previous = 1.0
            for i in 1..<shells.shellCount {
                let s = shells.frequency(i)
                let p = signalPower[i] * exp(-b * s * s / 2)
                let fsc = p + noisePower[i] > 0 ? p / (p + noisePower[i]) : 0
                if fsc < 0.143 {
                    // Linear in frequency between this shell and the last one above the threshold.
                    let s0 = shells.frequency(i - 1)
                    let f = previous - fsc > 0 ? (previous - 0.143) / (previous - fsc) : 0
                    return 1 / (s0 + f * (s - s0))
                }
                previous = fsc
            }
            return shells.nyquistResolution
        }
    }

    /// The local resolution (Å) per voxel from each voxel's blend and the levels' resolutions,
    /// interpolated in frequency.
    public static func resolutionField(blend: Volume, levelResolutions r: [Double]) -> Volume {
        var field = blend
        let last = Double(r.count - 1)
        field.voxels.withUnsafeMutableBufferPointer { f in
            for i in 0..<f.count {
                let p = min(last, max(0, Double(f[i]) * last))
                let j = min(r.count - 1, Int(p)), k = min(r.count - 1, j + 1), w = p - Double(j)
                f[i] = Float(1 / ((1 - w) / r[j] + w / r[k]))
            }
        }
        return field
    }
}
