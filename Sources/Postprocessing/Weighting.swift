import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// The weighting phase's numbers: FSC weights, Guinier plots and the B-factor chosen.
struct Weighting {
    /// C_ref per shell, nil when weighting is off.
    var weights: [Double]?
    /// Guinier plot of the average map.
    var original: GuinierCurve
    /// Guinier plot after FSC weighting.
    var weighted: GuinierCurve
    /// The automatic B fit (nil for a given B, or when too few points).
    var fit: GuinierFit?
    /// The B-factor to apply (Å², factor exp(−B s²/4)).
    var bFactor: Double
    /// Low-pass to apply (Å), if any.
    var lowPass: Double?
    /// Things the user should know.
    var warnings: [String]
}

extension Postprocess {
    /// The weighting phase: FSC weights from the corrected curve, the Guinier plots before
    /// and after weighting, and the B-factor (given, or fitted on the weighted plot) and
    /// low-pass to apply.
    static func weighting(_ fsc: HalfMapFSCReport, average: HalfSpectrum, shells: FourierShells,
                          parameters: PostprocessParameters) -> Weighting {
        var warnings: [String] = []
        let meanAmp = shells.meanAmplitude(average)
        let weights = parameters.fscWeighting ? FSCWeight.weights(fsc.fscCorrected) : nil
        let weightedAmp = weights.map { w in meanAmp.enumerated().map { $0.element * (($0.offset < w.count) ? w[$0.offset] : 0) } } ?? meanAmp
        let guinierWeighted = GuinierCurve(meanAmplitude: weightedAmp, shells: shells)
        var fit: GuinierFit? = nil
        let bFactor: Double
        switch parameters.bFactor {
        case .fixed(let b):
            bFactor = b
        case .automatic(let low, let high):
            fit = GuinierFit(guinierWeighted, lowResolution: low, highResolution: high ?? 0)
            if let fit {
                bFactor = fit.bFactor
            } else {
                bFactor = 0
                warnings.append(String(format: "too few Guinier points finer than %.1f Å to fit a B-factor; the map is not sharpened", low))
            }
        }
        var lowPass: Double? = nil
        switch parameters.lowPass {
        case .none: break
        case .fscResolution?: lowPass = fsc.resolution.shellResolution.isFinite ? fsc.resolution.shellResolution : nil
        case .resolution(let d)?: lowPass = d
        }
        return Weighting(weights: weights, original: GuinierCurve(meanAmplitude: meanAmp, shells: shells), weighted: guinierWeighted,
                         fit: fit, bFactor: bFactor, lowPass: lowPass, warnings: warnings)
    }

    /// The sharpening phase: applies the weights, B-factor and low-pass to `average` (the
    /// transform of the average of the half maps, consumed) and returns the sharpened map, its
    /// masked copy and the report.
    static func sharpen(_ fsc: HalfMapFSCReport, mask: Volume?, average: consuming HalfSpectrum, weighting w: Weighting,
                        shells: FourierShells, parameters: PostprocessParameters, progress: ProgressReporter) -> PostprocessOutput {
        progress.step(String(format: "Sharpening with B = %.1f Å²", w.bFactor))
        let filter = SpectralFilter(shellWeights: w.weights, bFactor: w.bFactor, lowPass: w.lowPass, lowPassEdgeShells: parameters.lowPassEdgeShells)
        let sharpenedAmp = shells.apply(filter, to: &average)
        let sharpened = FFT.backward(consume average)
        var sharpenedMasked: Volume? = nil
        if let mask {
            var m = sharpened
            multiply(&m, by: mask)
            sharpenedMasked = m
        }
        let report = PostprocessReport(
            grid: fsc.grid, fscUnmasked: fsc.fscUnmasked, fscMasked: fsc.fscMasked, fscRandomizedMasked: fsc.fscRandomizedMasked,
            fscCorrected: fsc.fscCorrected, randomizationShell: fsc.randomizationShell, randomizationResolution: fsc.randomizationResolution,
            resolution: fsc.resolution, resolutionHalfBit: fsc.resolutionHalfBit, resolutionHalf: fsc.resolutionHalf,
            resolutionUnmasked: fsc.resolutionUnmasked, mask: fsc.mask, fscWeights: w.weights,
            guinierOriginal: w.original, guinierWeighted: w.weighted,
            guinierSharpened: GuinierCurve(meanAmplitude: sharpenedAmp, shells: shells),
            guinierFit: w.fit, appliedBFactor: w.bFactor, lowPassResolution: w.lowPass, warnings: fsc.warnings + w.warnings,
            parameters: parameters)
        return PostprocessOutput(report: report, sharpened: sharpened, sharpenedMasked: sharpenedMasked, mask: mask)
    }
}
