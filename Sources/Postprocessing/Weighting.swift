import Foundation
import FourierEngine
import MapbookCore
import MapModel

extension Postprocess {
    /// The weighting phase: FSC weights from the corrected curve, the Guinier plots before
    /// and after weighting, and the B-factor (given, or fitted on the weighted plot) and
    /// low-pass to apply.
    static func weighting(_ fsc: HalfMapFSCReport, average: HalfSpectrum, shells: FourierShells,
                          parameters: PostprocessParameters) -> FSCWeightedSharpening {
        var lowPass: Double? = nil
        switch parameters.lowPass {
        case .none: break
        case .fscResolution?: lowPass = fsc.resolution.shellResolution.isFinite ? fsc.resolution.shellResolution : nil
        case .resolution(let d)?: lowPass = d
        }
        return FSCWeightedSharpening(fsc: fsc.fscCorrected, average: average, shells: shells, weighting: parameters.fscWeighting,
                                     bFactor: parameters.bFactor, lowPass: lowPass, lowPassEdgeShells: parameters.lowPassEdgeShells)
    }

    /// The sharpening phase: applies the weights, B-factor and low-pass to `average` (the
    /// transform of the average of the half maps, consumed) and returns the sharpened map, its
    /// masked copy and the report.
    static func sharpen(_ fsc: HalfMapFSCReport, mask: Volume?, average: consuming HalfSpectrum, weighting w: FSCWeightedSharpening,
                        shells: FourierShells, parameters: PostprocessParameters, progress: ProgressReporter) -> PostprocessOutput {
        progress.step(String(format: "Sharpening with B = %.1f Å²", w.bFactor))
        let (sharpened, guinierSharpened) = w.apply(to: consume average, shells: shells)
        var sharpenedMasked: Volume? = nil
        if let mask {
            var m = sharpened
            m.multiply(by: mask)
            sharpenedMasked = m
        }
        let report = PostprocessReport(
            grid: fsc.grid, fscUnmasked: fsc.fscUnmasked, fscMasked: fsc.fscMasked, fscRandomizedMasked: fsc.fscRandomizedMasked,
            fscCorrected: fsc.fscCorrected, randomizationShell: fsc.randomizationShell, randomizationResolution: fsc.randomizationResolution,
            resolution: fsc.resolution, resolutionHalfBit: fsc.resolutionHalfBit, resolutionHalf: fsc.resolutionHalf,
            resolutionUnmasked: fsc.resolutionUnmasked, mask: fsc.mask, fscWeights: w.weights,
            guinierOriginal: w.original, guinierWeighted: w.weighted,
            guinierSharpened: guinierSharpened,
            guinierFit: w.fit, appliedBFactor: w.bFactor, lowPassResolution: w.lowPass, warnings: fsc.warnings + w.warnings,
            parameters: parameters)
        return PostprocessOutput(report: report, sharpened: sharpened, sharpenedMasked: sharpenedMasked, mask: mask)
    }
}
