import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Noise for simulated half maps, shaped in Fourier space so that a half-map pair has a chosen
/// FSC: each half is signal + noise, and with signal power S and noise power N in a shell the
/// FSC there is S / (S + N). Used by `SyntheticPairGenerator` and `DatasetSimulator`.
public struct NoiseShaper: Sendable {
    /// The shells of the grid the noise lives on.
    public let shells: FourierShells
    /// FFT plans for the noise transforms (`.reproducible` for byte-identical datasets).
    public let planning: FFTPlanning

    /// A shaper for `shells`' grid.
    public init(shells: FourierShells, planning: FFTPlanning = .fastest) {
        self.shells = shells
        self.planning = planning
    }

    /// Unit-variance white Gaussian noise on `grid`, drawn in x-fastest order from one stream
    /// seeded with `seed` (serial on purpose: the values depend on the seed alone).
    public static func whiteNoise(grid: VoxelGrid, seed: UInt64) -> Volume {
        var rng = SeededGenerator(seed: seed)
        return Volume(grid: grid) { _, _, _ in Float(rng.nextGaussian()) }
    }

    /// The noise power per shell that makes the FSC `fsc[i]` against signal power `signal[i]`:
    /// N = S·(1/F − 1). Shell 0 gets no noise. In shells where F ≤ `fscFloor` or the signal
    /// is negligible (below 10⁻¹² of the strongest shell) the noise power of the nearest
    /// lower shell carries on, so noise never vanishes where the signal does.
    public static func noisePower(signal: [Double], fsc: [Double], fscFloor: Double = 1e-3) -> [Double] {
        precondition(signal.count == fsc.count)
        let strongest = signal.dropFirst().max() ?? 0
        var power = [Double](repeating: 0, count: signal.count)
        var last = 0.0
        for i in 1..<signal.count {
            if signal[i] > 1e-12 * strongest && fsc[i] > fscFloor && fsc[i] < 1 {
                last = signal[i] * (1 / fsc[i] - 1)
            } else if last == 0 && fsc[i] <= fscFloor && signal[i] > 0 {
                last = signal[i] * (1 / fscFloor - 1)
            }
            power[i] = last
        }
        return power
    }

    /// Shapes the spectrum `noise` in place: first, shell by shell, it loses its components
    /// along each spectrum in `orthogonalTo` (which must be mutually orthogonal shell by shell,
    /// as a signal and a noise made orthogonal to it are); then it is scaled so that its mean
    /// power in shell i is exactly `power[i]`. Shell 0 and the corners outside every shell are
    /// zeroed. Every coefficient of a shell is scaled alike — including those of the outermost
    /// shell that lie just beyond Nyquist, which the FSC counts — so that orthogonality and
    /// the FSC design hold in every shell.
    public func shape(_ noise: inout HalfSpectrum, power: [Double], orthogonalTo directions: [HalfSpectrum] = []) {
        for d in directions { removeComponent(&noise, along: d) }
        let realised = shells.meanPower(noise)
        var scale = [Float](repeating: 0, count: shells.shellCount)
        for i in 1..<shells.shellCount where i < power.count && realised[i] > 0 { scale[i] = Float((power[i] / realised[i]).squareRoot()) }
        let n = shells.grid.size
        let hCount = n.x / 2 + 1
        noise.coefficients.withUnsafeMutableBufferPointer { f in
            shells.shellIndex.withUnsafeBufferPointer { idx in
                Parallelism.forEachRange(n.z) { _, planes in
                    for i in (planes.lowerBound * n.y * hCount)..<(planes.upperBound * n.y * hCount) {
                        let shell = Int(idx[i])
                        let g: Float = shell == Int(FourierShells.outside) ? 0 : scale[shell]
                        f[i] = ComplexF(f[i].re * g, f[i].im * g)
                    }
                }
            }
        }
    }

    /// noise ← noise − (⟨noise, d⟩ / ⟨d, d⟩)·d in every shell (Hermitian-weighted inner
    /// products, the ones FSC sums use).
    func removeComponent(_ noise: inout HalfSpectrum, along d: HalfSpectrum) {
        let dot = shells.crossPower(noise, d)
        let norm = shells.crossPower(d, d)
        let c = (0..<shells.shellCount).map { norm[$0] > 0 ? Float(dot[$0] / norm[$0]) : 0 }
        let n = shells.grid.size
        let hCount = n.x / 2 + 1
        noise.coefficients.withUnsafeMutableBufferPointer { f in
            d.coefficients.withUnsafeBufferPointer { g in
                shells.shellIndex.withUnsafeBufferPointer { idx in
                    Parallelism.forEachRange(n.z) { _, planes in
                        for i in (planes.lowerBound * n.y * hCount)..<(planes.upperBound * n.y * hCount) {
                            let shell = Int(idx[i])
                            if shell == Int(FourierShells.outside) { continue }
                            f[i] = ComplexF(f[i].re - c[shell] * g[i].re, f[i].im - c[shell] * g[i].im)
                        }
                    }
                }
            }
        }
    }

    /// Two half maps, `signal` + noise of power `noisePower[i]` per shell, the noise of half h
    /// drawn from `seeds[h]`.
    ///
    /// - `envelope`: when given, the white noise is multiplied by it voxel by voxel before
    ///   shaping, so the noise is stronger where it is larger (non-uniform solvent noise); the
    ///   shaping then still fixes the power per shell.
    /// - `exact`: the noise of each half is made orthogonal, shell by shell, to the signal (and
    ///   the second half's to the first's), so the realised FSC equals S / (S + N) to rounding
    ///   instead of scattering about it by ~1/√(coefficients in the shell).
    /// - `amplitude`: when given, one factor per half-spectrum coefficient that multiplies the
    ///   noise's transform before shaping: the noise's shape within each shell (a direction-
    ///   dependent FSC, `AnisotropyDesign`); the shaping then sets each shell's level.
    public func halfMaps(signal: HalfSpectrum, noisePower: [Double], seeds: (UInt64, UInt64),
                         envelope: Volume? = nil, amplitude: [Float]? = nil, exact: Bool) -> (Volume, Volume) {
        var noises: [HalfSpectrum] = []
        var halves: [Volume] = []
        for seed in [seeds.0, seeds.1] {
            var white = Self.whiteNoise(grid: shells.grid, seed: seed)
            if let envelope { white.multiply(by: envelope) }
            var noise = FFT.forward(white, planning: planning)
            if let amplitude {
                noise.coefficients.withUnsafeMutableBufferPointer { f in
                    for i in 0..<f.count { f[i] = ComplexF(f[i].re * amplitude[i], f[i].im * amplitude[i]) }
                }
            }
            shape(&noise, power: noisePower, orthogonalTo: exact ? [signal] + noises : [])
            if exact { noises.append(noise) }
            noise.coefficients.withUnsafeMutableBufferPointer { nz in
                signal.coefficients.withUnsafeBufferPointer { s in
                    for i in 0..<nz.count { nz[i] = ComplexF(nz[i].re + s[i].re, nz[i].im + s[i].im) }
                }
            }
            halves.append(FFT.backward(consume noise, planning: planning))
        }
        return (halves[0], halves[1])
    }
}
