import Foundation
import FourierEngine
import HalfMapSharpening

/// The correlation with the true map that the average of two half maps is expected to reach
/// after a radial amplitude factor f(q), judged from the half maps alone (never a truth):
///
/// CC(f) = Σ nᵢ fᵢ wᵢ Mᵢ / √(Σ nᵢ fᵢ² Mᵢ · Σ nᵢ wᵢ Mᵢ rᵢ),
///
/// per Fourier shell i with nᵢ coefficients, Mᵢ the average map's measured power per
/// coefficient, wᵢ = FSC_fullᵢ · rᵢ the expected-correlation weight of half-map sharpening
/// (`ExpectedCorrelationWeight`, the same signal model and tail) and rᵢ = exp((B − B_target)·q²/4)
/// the amplitude ratio of the true map (a sharp protein of envelope B_target) to the map's
/// signal (envelope B, fitted by `SignalModel`). The signal's power is FSC_full·M, the true
/// map's FSC_full·M·r², and their cross-power FSC_full·M·r (same phases), which gives the sums
/// above. f = w maximises CC(f): half-map sharpening is this quantity's optimum, so the guard
/// and the half_map method judge by one model.
///
/// Automatic sharpening uses it as a guard (phenix's `discard_if_worse`, judged by half-map
/// evidence rather than by the clarity score): a searched sharpening whose expected correlation
/// is below the unsharpened map's (f ≡ 1) is not chosen.
public struct ExpectedTruthCorrelation: Sendable, Equatable, Codable {
    /// Shell frequencies (Å⁻¹).
    public var frequencies: [Double]
    /// nᵢ·wᵢ·Mᵢ: the expected cross-power of the unsharpened average with the true map.
    var crossPower: [Double]
    /// nᵢ·Mᵢ: the average map's power.
    var mapPower: [Double]
    /// Σ nᵢ·wᵢ·Mᵢ·rᵢ: the true map's power.
    var truthPower: Double
    /// The expected correlation of the unsharpened average (f ≡ 1).
    public var unsharpened: Double

    /// The expectation for the average of two half maps given by their spectra on `shells`'
    /// grid (masked around the molecule: the unmasked solvent's noise would dominate M). Nil
    /// when the halves hold no signal past 10 Å (no signal model: nothing to judge by).
    public init?(half1: HalfSpectrum, half2: HalfSpectrum, shells: FourierShells, targetBFactor: Double) {
        let bins = HalfMapBin.shells(half1, half2, shells: shells)
        guard let model = SignalModel.fit(bins) else { return nil }
        let weights = ExpectedCorrelationWeight.weights(bins, model: model, targetBFactor: targetBFactor)
        frequencies = bins.map(\.frequency)
        // Shell 0 is the mean, which a correlation ignores.
        let power = bins.enumerated().map { i, b in
            i == 0 ? 0 : max(0, (b.power1 + b.power2 + 2 * b.cross) / 4)
        }
        let cross = bins.indices.map { weights[$0] * power[$0] }
        mapPower = power
        crossPower = cross
        truthPower = bins.indices.reduce(0) { sum, i in
            let q = bins[i].frequency
            return sum + cross[i] * exp((model.bFactor - targetBFactor) * q * q / 4)
        }
        unsharpened = 0
        guard truthPower > 0 else { return nil }
        unsharpened = correlation { _ in 1 }
    }

    /// The expected correlation after multiplying the average's amplitudes by `factor(q)`.
    public func correlation(_ factor: (Double) -> Double) -> Double {
        var cross = 0.0, power = 0.0
        for i in frequencies.indices where mapPower[i] > 0 {
            let f = factor(frequencies[i])
            cross += f * crossPower[i]
            power += f * f * mapPower[i]
        }
        guard power > 0 else { return 0 }
        return cross / (power * truthPower).squareRoot()
    }
}
