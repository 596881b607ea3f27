import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// The curves of the masked part of the FSC phase.
struct MaskedCurves {
    /// FSC of the masked half maps.
    var masked: FSCCurve? = nil
    /// FSC of the masked, phase-randomised half maps.
    var randomized: FSCCurve? = nil
    /// Shell beyond which phases were randomised.
    var randomizationShell: Int? = nil
    /// The corrected curve (the masked one when there is no randomisation, the unmasked one
    /// without a mask).
    var final: FSCCurve
    /// Things the user should know.
    var warnings: [String] = []
}

extension Postprocess {
    /// The masked FSC, corrected by phase randomisation beyond the shell where the unmasked FSC
    /// falls below `randomizeAtFSC` (or beyond `randomizeAtResolution`), from the masked half
    /// maps (consumed: they become their spectra). When it randomises, it turns `f1` into the
    /// average of the halves' transforms and releases `f2` (needed separately no more).
    static func maskedCurves(masked1: consuming Volume, masked2: consuming Volume, f1: inout HalfSpectrum?, f2: inout HalfSpectrum?,
                             mask: Volume, unmasked: FSCCurve, shells: FourierShells, parameters: HalfMapFSCParameters,
                             names: PostprocessInputNames, progress: ProgressReporter) throws -> MaskedCurves {
        progress.step("FSC of the masked half maps")
        var m1: HalfSpectrum? = FFT.forward(consume masked1)
        var m2: HalfSpectrum? = FFT.forward(consume masked2)
        let rawMasked = shells.fsc(m1!, m2!)
        if !rawMasked.isDefined(1) {
            throw MapbookError("the masked half maps have no power above rounding level at the lowest resolution (shell 1): the mask covers none of their density, so the masked FSC is undefined", path: names.mask)
        }
        let masked = rawMasked.withDefinedDCShell()
        m1 = nil
        m2 = nil
        var out = MaskedCurves(masked: masked, final: masked)
        if let d = parameters.randomizeAtResolution {
            out.randomizationShell = min(shells.maxShell, max(1, Int(shells.referenceLength / d)))
        } else {
            // An undefined shell counts as below: beyond it the halves share nothing.
            out.randomizationShell = unmasked.firstShell(below: parameters.randomizeAtFSC)
        }
        guard let ir = out.randomizationShell else {
            out.warnings.append(String(format: "the unmasked FSC never falls below %.2f, so the masked FSC cannot be corrected by phase randomisation; the masked FSC is used as it is", parameters.randomizeAtFSC))
            return out
        }
        progress.step("Phase randomisation beyond shell \(ir) (\(String(format: "%.2f", shells.resolution(ir))) Å)")
        let r1 = randomizedMaskedSpectrum(f1!, mask: mask, shells: shells, shell: ir, seed: parameters.seed)
        let copy2 = f2!
        f1!.formAverage(with: f2!)
        f2 = nil
        let r2 = randomizedMaskedSpectrum(consume copy2, mask: mask, shells: shells, shell: ir, seed: parameters.seed &+ 1)
        let random = shells.fsc(r1, r2).withDefinedDCShell()
        out.randomized = random
        out.final = correctedFSC(masked: masked, randomized: random, randomizationShell: ir)
        return out
    }

    /// The resolutions read from the curves, with the checks on them: the unmasked curve
    /// replaces a masked one that reaches less far (unless `forceMask`), and a phase-randomised
    /// curve still high at the resolution shell points to a sharp or tight mask.
    static func resolutions(unmasked: FSCCurve, curves: MaskedCurves, masked: Bool, summary: MaskSummary?, warnings: [String],
                            shells: FourierShells, parameters: HalfMapFSCParameters) throws -> HalfMapFSCReport {
        var warnings = warnings
        var final = curves.final
        var resolution = try final.resolution(at: .goldStandard)
        let resolutionUnmasked = try unmasked.resolution(at: .goldStandard)
        if masked, resolutionUnmasked.lastShellAbove > resolution.lastShellAbove {
            if parameters.forceMask {
                warnings.append("the unmasked FSC reaches a higher resolution than the masked, corrected FSC; kept the masked curve (force_mask)")
            } else {
                warnings.append("the unmasked FSC reaches a higher resolution than the masked, corrected FSC, which points to a problem with the mask; the unmasked curve is used (set force_mask to keep the masked one)")
                final = unmasked
                resolution = resolutionUnmasked
            }
        }
        if let random = curves.randomized, resolution.status == .crossed {
            let v = random.fsc[min(resolution.lastShellAbove + 1, random.shellCount - 1)]
            if v > 0.1 {
                warnings.append(String(format: "the phase-randomised masked FSC is %.2f at the resolution shell; the mask may be too sharp or too tight", v))
            }
        }
        return HalfMapFSCReport(
            grid: shells.grid, fscUnmasked: unmasked, fscMasked: curves.masked, fscRandomizedMasked: curves.randomized,
            fscCorrected: final, randomizationShell: curves.randomizationShell,
            randomizationResolution: curves.randomizationShell.map { shells.resolution($0) },
            resolution: resolution,
            resolutionHalfBit: try final.resolution(at: .halfBit(symmetryOrder: parameters.symmetryOrder)),
            resolutionHalf: try final.resolution(at: .fixed(0.5)),
            resolutionUnmasked: resolutionUnmasked, mask: summary, warnings: warnings, parameters: parameters)
    }
}
