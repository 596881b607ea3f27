import Foundation
import FourierEngine
import HalfMapSharpening
import MapbookCore

/// Sharpening by a scale per Fourier shell, from half maps or from a model map (after cctbx
/// `refine_sharpening.py::scale_amplitudes`, on mapbook's one-voxel shells).
public enum ShellAmplitudeScale {
    /// `half_map`: the weights that maximise the expected correlation with the true map
    /// (HalfMapSharpening's `ExpectedCorrelationWeight`, global): FSC_full = 2·FSC/(1 + FSC) of
    /// the half maps with the signal's own envelope divided out to the target B
    /// (`HalfMapSharpeningParameters.targetBFactor`), scaled so the largest is 1. Shells where
    /// either half has no power get 0.
    ///
    /// This replaces cctbx's 2018 rule (flatten to the first shell's level, then weight by
    /// C_ref), which sharpens every map to point atoms and scored below the unsharpened map
    /// against the truth on simulated designs (bench/sharpening_harness_results.md).
    public static func halfMap(map: HalfSpectrum, half1: HalfSpectrum, half2: HalfSpectrum,
                               shells: FourierShells) -> (settings: SharpeningSettings, fsc: FSCCurve) {
        var fsc = shells.fsc(half1, half2)
        if fsc.shellCount > 0 { fsc.fsc[0] = 1 }
        // An undefined shell (a half without power above rounding) counts as empty.
        let bins = HalfMapBin.shells(half1, half2, shells: shells).enumerated().map { i, b in
            fsc.isDefined(i) ? b : HalfMapBin(frequency: b.frequency)
        }
        let weights = ExpectedCorrelationWeight.weights(bins, model: SignalModel.fit(bins),
                                                        targetBFactor: HalfMapSharpeningParameters().targetBFactor)
        let scales = normalised(weights)
        return (.shellScale(.halfMap, frequencies: (0..<shells.shellCount).map(shells.frequency), scales: scales), fsc)
    }

    /// `model`: scale the map's amplitudes to the model map's, weighted by the map–model FSC:
    /// S_i = rms(Fc)ᵢ / rms(F)ᵢ × max(0, FSCᵢ), scaled so the largest is 1. With F = signal +
    /// noise and a model that matches the signal, FSCᵢ = |signal|/|F|, and F·|S|²/|F|² (the
    /// Wiener estimate of the signal) brought to the model's amplitude is exactly this scale.
    public static func model(map: HalfSpectrum, model: HalfSpectrum,
                             shells: FourierShells) -> (settings: SharpeningSettings, fsc: FSCCurve) {
        var fsc = shells.fsc(map, model)
        if fsc.shellCount > 0 { fsc.fsc[0] = 1 }
        let mapPower = shells.meanPower(map), modelPower = shells.meanPower(model)
        let raw = (0..<shells.shellCount).map { i -> Double in
            guard mapPower[i] > 0, !fsc.fsc[i].isNaN else { return 0 }
            return (modelPower[i] / mapPower[i]).squareRoot() * max(0, fsc.fsc[i])
        }
        var scales = normalised(raw)
        if scales.count > 1 { scales[0] = scales[1] }
        return (.shellScale(.model, frequencies: (0..<shells.shellCount).map(shells.frequency), scales: scales), fsc)
    }

    /// Scales divided by their maximum over shells ≥ 1, shell 0 given shell 1's value.
    static func normalised(_ s: [Double]) -> [Double] {
        guard s.count > 1 else { return s }
        let peak = s[1...].max() ?? 0
        var out = s.map { peak > 0 ? $0 / peak : 0 }
        out[0] = out[1]
        return out
    }
}
