import Foundation

/// The half maps' signal power as an ideal protein's times a Gaussian envelope,
/// P_S(q) = K · P_protein(q) · exp(−B·q²/2), fitted to the cross-power of the halves: the
/// map's own fall-off, measured against what a sharp protein map would show.
///
/// The fit uses the bins from `lowFrequency` (10 Å: below it a protein's power does not follow
/// Wilson statistics, solvent contrast and domain shapes dominate) out to the last bin where
/// the full map's FSC, 2·FSC/(1 + FSC), is at least `minimumFullFSC` (beyond it the
/// cross-power is mostly noise), weighted by coefficient count times that FSC squared.
public struct SignalModel: Sendable, Equatable, Codable {
    /// The envelope B (Å²): how much faster than point atoms the signal falls off.
    public var bFactor: Double
    /// ln K.
    public var logScale: Double
    /// Bins used in the fit.
    public var binsUsed: Int

    /// Lowest frequency used (Å⁻¹).
    public static let lowFrequency = 0.1
    /// Lowest full-map FSC of a bin used.
    public static let minimumFullFSC = 0.2

    /// The model, or nil when fewer than three bins qualify (no signal past 10 Å).
    public static func fit(_ bins: [HalfMapBin]) -> SignalModel? {
        var sw = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, used = 0
        for b in bins where b.frequency >= lowFrequency {
            guard let f = b.halfFSC, f > 0 else { break }
            let full = 2 * f / (1 + f)
            if full < minimumFullFSC { break }
            let p = b.signalPower
            guard p > 0 else { continue }
            let x = b.frequency * b.frequency
            let y = log(p / ProteinScattering.power(atFrequency: b.frequency))
            let w = b.count * full * full
            sw += w; sx += w * x; sy += w * y; sxx += w * x * x; sxy += w * x * y
            used += 1
        }
        let det = sw * sxx - sx * sx
        guard used >= 3, det > 1e-12 * sw * sw else { return nil }
        let slope = (sw * sxy - sx * sy) / det
        let intercept = (sy - slope * sx) / sw
        guard slope.isFinite, intercept.isFinite else { return nil }
        return SignalModel(bFactor: -2 * slope, logScale: intercept, binsUsed: used)
    }

    /// The model's signal power per coefficient at `q`.
    public func signalPower(atFrequency q: Double) -> Double {
        exp(logScale - bFactor * q * q / 2) * ProteinScattering.power(atFrequency: q)
    }
}

/// The shell weight that maximises the expected correlation of the sharpened map with the true
/// map, a sharp protein of envelope B `targetBFactor`:
///
/// w(q) = FSC_full(q) · exp((B − B_target)·q²/4),
///
/// the Wiener estimate of the signal (weight FSC_full = 2·FSC/(1 + FSC) = C_ref², the signal's
/// share of the average map's power) with the signal's own envelope B, fitted by `SignalModel`,
/// divided out down to the target's. This is cctbx's C_ref × (expected true amplitude /
/// observed amplitude) (`refine_sharpening.py`; Terwilliger et al. 2020, local_aniso_sharpen),
/// with the expected true amplitude taken from the map's own fall-off.
///
/// FSC_full is the measured one out to the first bin where the half-map FSC falls below
/// `tailStart` (0.143); from there on it is the FSC the signal model predicts against the
/// measured noise, P_S/(P_S + N/2), with the model scaled to the measured signal power of the
/// last bin before it. The measured FSC beyond the resolution only scatters about zero, and
/// exp(+B q²/4) would amplify that scatter; the model's tail falls smoothly instead (cctbx
/// replaces the tail of its CC curve by a fitted exponential for the same reason). Inside the
/// resolution the measured curve is kept: the protein spectrum is not Wilson-like at low
/// resolution, and a model there would misjudge the signal.
public enum ExpectedCorrelationWeight {
    /// Where the modelled tail takes over from the measured FSC.
    public static let tailStart = 0.143

    /// The weight of each bin. Without a model (no signal past 10 Å), the measured FSC_full
    /// alone: a Wiener filter that does not sharpen.
    public static func weights(_ bins: [HalfMapBin], model: SignalModel?, targetBFactor: Double) -> [Double] {
        let measured = bins.map(measuredFullFSC)
        guard let model else { return measured }
        let tail = tailIndex(bins)
        let scale = tailScale(bins, model: model, tail: tail)
        return bins.indices.map { i in
            let b = bins[i], q = b.frequency
            // A bin where either half has no power holds nothing to weight.
            guard b.halfFSC != nil else { return 0 }
            var full = measured[i]
            if i >= tail {
                let s = scale * model.signalPower(atFrequency: q), n = b.noisePower
                full = s + n / 2 > 0 ? s / (s + n / 2) : 0
            }
            return full * exp((model.bFactor - targetBFactor) * q * q / 4)
        }
    }

    /// The first bin (from 1) where the half-map FSC falls below `tailStart` or is undefined:
    /// where the modelled tail takes over (the bin count when it never does).
    public static func tailIndex(_ bins: [HalfMapBin]) -> Int {
        (1..<max(1, bins.count)).first { !((bins[$0].halfFSC ?? -1) >= tailStart) } ?? bins.count
    }

    /// The factor that scales `model` to the measured signal power of the last bin before
    /// `tail`; 1 when there is no such bin or either power is not positive.
    public static func tailScale(_ bins: [HalfMapBin], model: SignalModel, tail: Int) -> Double {
        guard tail > 1, tail < bins.count else { return 1 }
        let last = bins[tail - 1]
        let predicted = model.signalPower(atFrequency: last.frequency)
        return last.signalPower > 0 && predicted > 0 ? last.signalPower / predicted : 1
    }

    /// 2·FSC/(1 + FSC) of the bin, 0 where the FSC is not positive.
    public static func measuredFullFSC(_ b: HalfMapBin) -> Double {
        guard let f = b.halfFSC, f > 0 else { return 0 }
        return 2 * f / (1 + f)
    }
}
