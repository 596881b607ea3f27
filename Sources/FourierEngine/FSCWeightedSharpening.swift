import Foundation
import MapbookCore
import MapModel

/// FSC weighting and B-factor sharpening of an average map's transform (Rosenthal &
/// Henderson 2003), as the last phase of relion_postprocess does it: weights C_ref per shell
/// from an FSC curve, Guinier plots before and after weighting, a B-factor given or fitted on
/// the weighted plot, and an optional low-pass. Post-processing and density modification's
/// final map both sharpen with it.
public struct FSCWeightedSharpening: Sendable {
    /// How the B-factor is chosen.
    public enum BFactorRule: Sendable, Equatable, Codable {
        /// Fitted on the FSC-weighted Guinier plot from `lowResolution` Å down to
        /// `highResolution` Å; nil runs the fit to the last shell with any weighted
        /// amplitude, as RELION does by default.
        case automatic(lowResolution: Double, highResolution: Double?)
        /// A given B (Å², applied as exp(−B s²/4): negative sharpens).
        case fixed(Double)
    }

    /// C_ref per shell, nil when weighting is off.
    public var weights: [Double]?
    /// Guinier plot of the average map.
    public var original: GuinierCurve
    /// Guinier plot after FSC weighting.
    public var weighted: GuinierCurve
    /// The automatic B fit (nil for a given B, or when too few points).
    public var fit: GuinierFit?
    /// The B-factor to apply (Å², factor exp(−B s²/4)).
    public var bFactor: Double
    /// Low-pass to apply (Å), if any.
    public var lowPass: Double?
    /// Raised-cosine width of the low-pass edge, shells.
    public var lowPassEdgeShells: Double
    /// Things the user should know.
    public var warnings: [String]

    /// Chooses the weights and the B-factor for `average` (the transform of the average of the
    /// half maps) from `fsc` (the curve to weight by); nothing is applied yet.
    public init(fsc: FSCCurve, average: HalfSpectrum, shells: FourierShells, weighting: Bool, bFactor rule: BFactorRule,
                lowPass: Double?, lowPassEdgeShells: Double = 2) {
        warnings = []
        let meanAmp = shells.meanAmplitude(average)
        weights = weighting ? FSCWeight.weights(fsc) : nil
        let weightedAmp = weights.map { w in meanAmp.enumerated().map { $0.element * (($0.offset < w.count) ? w[$0.offset] : 0) } } ?? meanAmp
        original = GuinierCurve(meanAmplitude: meanAmp, shells: shells)
        weighted = GuinierCurve(meanAmplitude: weightedAmp, shells: shells)
        fit = nil
        switch rule {
        case .fixed(let b):
            bFactor = b
        case .automatic(let low, let high):
            fit = GuinierFit(weighted, lowResolution: low, highResolution: high ?? 0)
            if let fit {
                bFactor = fit.bFactor
            } else {
                bFactor = 0
                warnings.append(String(format: "too few Guinier points finer than %.1f Å to fit a B-factor; the map is not sharpened", low))
            }
        }
        self.lowPass = lowPass
        self.lowPassEdgeShells = lowPassEdgeShells
    }

    /// Applies the weights, B-factor and low-pass to `average` (consumed) and returns the
    /// sharpened map with its Guinier plot.
    public func apply(to average: consuming HalfSpectrum, shells: FourierShells) -> (map: Volume, guinier: GuinierCurve) {
        let filter = SpectralFilter(shellWeights: weights, bFactor: bFactor, lowPass: lowPass, lowPassEdgeShells: lowPassEdgeShells)
        let amplitude = shells.apply(filter, to: &average)
        return (FFT.backward(consume average), GuinierCurve(meanAmplitude: amplitude, shells: shells))
    }
}
