import Foundation
import FourierEngine
import MapbookCore

/// Sharpening by a scale per Fourier shell, from half maps or from a model map
/// (cctbx `refine_sharpening.py::scale_amplitudes`, on mapbook's one-voxel shells).
public enum ShellAmplitudeScale {
    /// `half_map`: flatten the map's amplitudes to the level of the first shell and weight them
    /// by C_ref = √(2·FSC/(1 + FSC)) of the half maps (FourierEngine's `FSCWeight`, zero from
    /// the first shell where the FSC drops below 1e-4):
    /// S_i = rms(F)₁ / rms(F)ᵢ × C_ref,i, scaled so the largest is 1.
    ///
    /// phenix fits an exponential tail to the FSC and corrects a baseline; on one-voxel shells the
    /// FSC weight itself goes to zero where the halves stop agreeing, so neither is needed here.
    public static func halfMap(map: HalfSpectrum, half1: HalfSpectrum, half2: HalfSpectrum,
                               shells: FourierShells) -> (settings: SharpeningSettings, fsc: FSCCurve) {
        var fsc = shells.fsc(half1, half2)
        if fsc.shellCount > 0 { fsc.fsc[0] = 1 }
        let weights = FSCWeight.weights(fsc)
        let scales = normalised(flatteningRatios(shells.meanPower(map)).enumerated().map { $0.element * weights[$0.offset] })
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

    /// rms(F)₁ / rms(F)ᵢ per shell (1 for shell 0, the mean alone; 0 where a shell is empty).
    static func flatteningRatios(_ power: [Double]) -> [Double] {
        guard power.count > 1, power[1] > 0 else { return [Double](repeating: 1, count: power.count) }
        let reference = power[1].squareRoot()
        return power.enumerated().map { i, p in i == 0 ? 1 : (p > 0 ? reference / p.squareRoot() : 0) }
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
