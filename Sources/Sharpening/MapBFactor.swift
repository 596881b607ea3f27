import Foundation
import FourierEngine

/// The map's own B-factor (positive = blurred), from the slope of its Guinier plot: what
/// phenix calls the original b_iso. phenix fits an anisotropic tensor by maximum-likelihood
/// scaling; a straight-line Guinier fit (FourierEngine's `GuinierFit`) over 6 Å (or
/// 1.5 × resolution, if coarser) to the resolution serves as well here, because the search
/// grid is wide and only the difference between this B and the target matters.
public struct MapBFactor: Sendable, Equatable, Codable {
    /// The map's B (Å²; the applied factor exp(−B s²/4) would undo it with −B).
    public var bFactor: Double
    /// The fit, nil when too few shells lay in range (then `bFactor` is phenix's 200 Å²).
    public var fit: GuinierFit?

    /// Fits the Guinier plot of `spectrum` between `max(6, 1.5·resolution)` Å and `resolution`.
    public static func estimate(_ spectrum: HalfSpectrum, shells: FourierShells, resolution: Double) -> MapBFactor {
        let curve = GuinierCurve(meanAmplitude: shells.meanAmplitude(spectrum), shells: shells)
        let fit = GuinierFit(curve, lowResolution: max(6, 1.5 * resolution), highResolution: resolution)
        guard let fit, fit.mapBFactor.isFinite else { return MapBFactor(bFactor: SharpeningDefaults.fallbackMapB, fit: nil) }
        return MapBFactor(bFactor: fit.mapBFactor, fit: fit)
    }
}
