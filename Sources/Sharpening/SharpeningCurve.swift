import Foundation

/// The amplitude factor a `SharpeningSettings` applies at spatial frequency s (Å⁻¹): the
/// resolution-dependent functions of phenix's `apply_sharpening` and
/// `adjust_amplitudes_linear`, in mapbook's B convention.
extension SharpeningSettings {
    /// The factor at frequency `s` (Å⁻¹). `whitening(s)` divides out the map's own shell rms
    /// amplitude; it is used only when `whitens` is true and defaults to 1.
    public func factor(at s: Double, whitening: (Double) -> Double = { _ in 1 }) -> Double {
        let s2 = s * s
        switch method {
        case .bIso:
            return exp(-(bFactor ?? 0) * s2 / 4)
        case .bIsoToDCut, .targetBIso:
            return exp(-effectiveB(at: s) * s2 / 4)
        case .resolutionDependent:
            return exp(logScale(stol2: s2 / 4)) * whitening(s)
        case .halfMap, .model:
            return interpolatedShellScale(at: s)
        }
    }

    /// `b_iso_to_d_cut`: the B in force at frequency s. With d = 1/s and
    /// v = clamp(k·(d_cut − d), −20, 20), the low-resolution weight is 1/(1 + eᵛ): 1 well below
    /// d_cut's frequency, ½ exactly at d_cut, 0 well beyond it, where B + blur applies.
    public func effectiveB(at s: Double) -> Double {
        let b = bFactor ?? 0
        guard let dCut, let k = kSharpen, let blur = blurBeyondCut, s > 0 else { return b }
        let v = min(20, max(-20, k * (dCut - 1 / s)))
        let low = 1 / (1 + exp(v))
        return b * low + (b + blur) * (1 - low)
    }

    /// `resolution_dependent`: ln(scale) against stol² = s²/4, piecewise linear through
    /// (0, 0), (1/(8r²), b0), (1/(4r²), b1), (1/(4·(0.833r)²), b1 + b2), the last segment
    /// extended beyond.
    public func logScale(stol2 x: Double) -> Double {
        guard let r = knotResolution, let b0, let b1, let b2 else { return 0 }
        let x1 = 1 / (8 * r * r), x2 = 1 / (4 * r * r), x3 = 1 / (4 * pow(SharpeningDefaults.dMinRatio * r, 2))
        if x <= x1 { return b0 * x / x1 }
        if x <= x2 { return b0 + (b1 - b0) * (x - x1) / (x2 - x1) }
        return b1 + b2 * (x - x2) / (x3 - x2)
    }

    /// `half_map`, `model`: the shell scales, linear in s between the given frequencies; the
    /// first scale below the first frequency, the last beyond the last.
    func interpolatedShellScale(at s: Double) -> Double {
        guard let f = shellFrequencies, let v = shellScales, !v.isEmpty else { return 1 }
        if s <= f[0] { return v[0] }
        if s >= f[f.count - 1] { return v[v.count - 1] }
        // Binary search for the bracketing pair.
        var lo = 0, hi = f.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if f[mid] <= s { lo = mid } else { hi = mid }
        }
        let t = (s - f[lo]) / (f[hi] - f[lo])
        return v[lo] + t * (v[hi] - v[lo])
    }
}

/// phenix's defaults, where mapbook keeps them (cctbx `segment_and_split_map.py` phil).
public enum SharpeningDefaults {
    /// Coefficients finer than `dMinRatio × resolution` are dropped (a soft edge here, a hard
    /// cut in phenix).
    public static let dMinRatio = 0.833
    /// Steepness of the `b_iso_to_d_cut` switch (Å⁻¹).
    public static let kSharpen = 10.0
    /// B added beyond d_cut by `b_iso_to_d_cut` (Å²).
    public static let blurBeyondCut = 200.0
    /// `target_b_iso`: the target map B is this × resolution² (Å²).
    public static let targetBIsoRatio = 5.9
    /// The contour encloses this fraction of the expected molecular volume.
    public static let enclosedFraction = 0.2
    /// The surface is measured over the biggest regions until they hold this share of the
    /// enclosed voxels.
    public static let surfaceAreaShare = 0.3
    /// At most this many regions (plus one) are walked for the surface area.
    public static let maxRegionsToTest = 30
    /// Region weight when the calibration fails or does not run.
    public static let fallbackRegionWeight = 30.0
    /// Search range of the map's B after sharpening (Å²), widened to include the map's own B.
    public static let searchTargetBMin = -100.0
    /// See `searchTargetBMin`.
    public static let searchTargetBMax = 300.0
    /// Grid points of the B search.
    public static let searchSteps = 21
    /// Map B assumed when none can be fitted (Å²), as phenix.
    public static let fallbackMapB = 200.0
    /// Resolutions worse than this get a warning that the score may not discriminate.
    public static let worstDiscriminatingResolution = 4.5
    /// Maps with more than this fraction of identical voxels are refused unless forced.
    public static let maxConstantFraction = 0.3
}
