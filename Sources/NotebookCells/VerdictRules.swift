import Foundation
import DensityModification
import FourierEngine
import ModelValidation
import Notebook
import Postprocessing

/// The verdict rules, one function per kind of section, with their thresholds. The README's
/// "Verdict rules" table lists the same rules and their sources.
enum VerdictRules {
    /// Phase-randomised masked FSC above this, two shells past the randomisation shell and
    /// up to the final resolution, means the mask itself correlates the halves (Chen et al. 2013:
    /// it should fall to about zero).
    static let randomizedFSCLimit = 0.2
    /// A mask holding less than this fraction of the box: most of the work is solvent.
    static let smallMaskFraction = 0.02
    /// A Guinier fit with r² below this does not determine B (RELION reports the same r²).
    static let guinierR2Limit = 0.8
    /// Mean Q this far below the expected value fails; half as far is a caution.
    static let qShortfall = 0.2
    /// CC_mask below this is a caution (Afonine et al. 2018 report ≳ 0.7 for good fits).
    static let ccMaskLimit = 0.5
    /// The model correlating with one half map this much better than with the other.
    static let halfMapCCDifference = 0.05

    /// The half-map FSC: Nyquist-limited, data that end, a mask too tight, too small or cut by the box.
    static func fsc(_ r: HalfMapFSCReport, section: String) -> [Verdict] {
        var out: [Verdict] = []
        let nyquist = 2 * r.grid.voxelSize.max()
        switch r.resolution.status {
        case .neverCrosses:
            out.append(Verdict(section, .caution, String(format: "Nyquist-limited: the FSC stays above 0.143 up to %.2f Å", nyquist),
                               action: "re-extract the particles with a smaller pixel size"))
        case .dataEnds:
            out.append(Verdict(section, .caution, String(format: "the FSC ends at %.2f Å, where a half map holds no power (low-pass filtered half maps?)", r.resolution.shellResolution),
                               action: "give the unfiltered half maps"))
        default: break
        }
        if let random = r.fscRandomizedMasked, let shell = r.randomizationShell {
            let end = min(random.shellCount, r.resolution.lastShellAbove + 1)
            let beyond = (min(shell + 2, end)..<end).filter { random.isDefined($0) }.map { random.fsc[$0] }
            if let worst = beyond.max(), worst > randomizedFSCLimit {
                out.append(Verdict(section, .fail, String(format: "the phase-randomised masked FSC reaches %.2f beyond the randomisation shell: the mask is too tight", worst),
                                   action: "widen or soften the mask (mask_extend, mask_edge, or a looser mask file)"))
            }
        }
        if let m = r.mask {
            if m.touchesBoxEdge {
                out.append(Verdict(section, .caution, "the mask reaches the edge of the box", action: "use a larger box or a smaller mask"))
            }
            if m.fractionAboveHalf < smallMaskFraction {
                out.append(Verdict(section, .caution, String(format: "the molecule (mask) fills %.1f %% of the box", 100 * m.fractionAboveHalf),
                                   action: "cut a smaller box around the molecule: faster, and the same resolution"))
            }
        }
        return out
    }

    /// Post-processing: the FSC's findings and the B-factor's.
    static func postprocess(_ r: PostprocessReport, section: String) -> [Verdict] {
        var out = fsc(r.fscReport, section: section)
        if let fit = r.guinierFit, fit.correlation < guinierR2Limit {
            out.append(Verdict(section, .caution, String(format: "Guinier fit r² %.2f: the B-factor is unreliable", fit.correlation),
                               action: "fit another range (autob_lowres, autob_highres) or give bfactor"))
        }
        if r.appliedBFactor > 0 {
            out.append(Verdict(section, .caution, String(format: "B = +%.1f Å² blurs the map rather than sharpening it", r.appliedBFactor),
                               action: "check the Guinier fit range, or give bfactor"))
        }
        return out
    }

    /// The model fit: mean Q against the expected value, CC_mask, a model that favours one
    /// half, a model that fits better shifted.
    static func modelFit(_ r: ModelFitReport, section: String) -> [Verdict] {
        var out: [Verdict] = []
        if let e = r.expectedQ, r.meanQ < e - qShortfall / 2 {
            let level: Verdict.Level = r.meanQ < e - qShortfall ? .fail : .caution
            out.append(Verdict(section, level, String(format: "mean Q %.2f is %.2f below the %.2f expected at %.2f Å", r.meanQ, e - r.meanQ, e, r.resolution),
                               action: "check the fit: refine the model, or look at the worst residues"))
        }
        if r.correlations.mask < ccMaskLimit {
            out.append(Verdict(section, .caution, String(format: "CC_mask %.2f: the model explains little of the map around it", r.correlations.mask),
                               action: "check the model's placement and completeness"))
        }
        if let h = r.fscHalves, h.count == 2, abs(h[0].correlation - h[1].correlation) > halfMapCCDifference {
            out.append(Verdict(section, .caution, String(format: "the model correlates %.3f with one half map and %.3f with the other: overfitted to one half?", h[0].correlation, h[1].correlation),
                               action: "refine against one half only and compare (Brown et al. 2015)"))
        }
        if r.placement.bestShiftVoxels != .zero && r.placement.correlationAtBestShift > r.placement.correlationAsPlaced + 0.1 {
            out.append(Verdict(section, .fail, "the model fits the map better shifted by whole voxels", action: "check the map's origin against the model's frame"))
        }
        return out
    }

    /// Density modification: a gain, or none.
    static func densityModification(_ r: DensityModificationReport, section: String) -> [Verdict] {
        guard r.fscRefHalfGain > 0 else {
            return [Verdict(section, .caution, String(format: "no gain: FSC_ref 0.5 moves by %.2f Å", r.fscRefHalfGain),
                            action: "check the solvent fraction (sequence, molecular_mass) and the mask")]
        }
        return []
    }
}
