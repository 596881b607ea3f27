import Foundation
import LocalResolution
import LocalSharpening
import Notebook
import Sharpening

/// The verdict rules of the sections that change or map the density itself: local resolution,
/// automatic sharpening and local sharpening. As in `VerdictRules`, one function per kind,
/// thresholds named here, and the README's "Verdict rules" table lists the same.
extension VerdictRules {
    /// Local resolution assigned to less than this fraction of the mask fails (MonoRes's own
    /// warning level); less than `cautionAssigned` is a caution.
    static let failAssigned = 0.2
    static let cautionAssigned = 0.5
    /// How close to Nyquist (Å) the 5th percentile may come before the finest regions count
    /// as limited by the pixel size (xmipp's finest MonoRes step; the default step is 0.5 Å).
    static let nyquistMargin = 0.25

    /// Local resolution: too little of the mask assigned, regions at Nyquist.
    static func localResolution(_ s: MonoResSummary, nyquist: Double, section: String) -> [Verdict] {
        var out: [Verdict] = []
        if s.assignedFraction < cautionAssigned {
            out.append(Verdict(section, s.assignedFraction < failAssigned ? .fail : .caution,
                               String(format: "only %.0f %% of the mask received a local resolution: the map is unreliable there", 100 * s.assignedFraction),
                               action: "give a mask that follows the molecule, and unmasked half maps"))
        }
        if s.percentile5 <= nyquist + nyquistMargin {
            out.append(Verdict(section, .caution, String(format: "5 %% or more of the voxels are at Nyquist (%.2f Å): the local resolution is limited by the pixel size there", nyquist),
                               action: "re-extract the particles with a smaller pixel size"))
        }
        return out
    }

    /// Automatic sharpening: a forced map, a score that cannot discriminate, no better score,
    /// a map blurred rather than sharpened.
    static func sharpening(_ r: SharpeningReport, effectiveBFactor: Double, section: String) -> [Verdict] {
        var out: [Verdict] = []
        let method = r.choice.settings.method
        // The guards record a refusal overridden by force as a warning ending thus.
        if r.warnings.contains(where: { $0.hasSuffix("(sharpened anyway: forced)") }) {
            out.append(Verdict(section, .fail, "the map looks masked, boxed or already sharpened, and was sharpened only because force was set",
                               action: "sharpen the unmasked, unsharpened map"))
        }
        if method.isSearched && r.parameters.resolution > SharpeningDefaults.worstDiscriminatingResolution {
            out.append(Verdict(section, .caution, String(format: "at %.1f Å the clarity score hardly discriminates between sharpenings", r.parameters.resolution),
                               action: "give the half maps (half-map sharpening) or a model"))
        }
        if method.isSearched, let reference = r.choice.referenceScore, r.choice.score <= reference {
            out.append(Verdict(section, .caution, "no sharpening scored better than the map as it was",
                               action: "keep the unsharpened map, or check the resolution given"))
        }
        if effectiveBFactor > 0 {
            out.append(Verdict(section, .caution, String(format: "B = +%.1f Å² blurs the map rather than sharpening it", effectiveBFactor),
                               action: "look at the slices: the map may be over-sharpened already, or noisier than its resolution says"))
        }
        return out
    }

    /// Local sharpening: an imported resolution map, rounds that stopped early, iterations
    /// that hit the cap.
    static func localSharpening(_ s: LocalSharpeningSummary, section: String) -> [Verdict] {
        var out: [Verdict] = []
        if s.resolutionMapOrigin == .imported {
            out.append(Verdict(section, .caution, "the local-resolution map was imported, not measured on this map",
                               action: "check that it belongs to this map, is in Å and has a zero background"))
        }
        if s.stopReason == .reestimationImpossible || s.stopReason == .roundCap {
            out.append(Verdict(section, .caution, "the rounds stopped early: \(s.stopReason.rawValue)",
                               action: "use the first round's map (iterations: 1)"))
        }
        if let capped = s.rounds.first(where: { !$0.deblur.stoppedByRule }) {
            out.append(Verdict(section, .caution, "LocalDeblur reached its cap of \(s.parameters.deblur.maximumInnerIterations) inner iterations in round \(capped.round) without converging",
                               action: "raise max_inner, or lower lambda"))
        }
        return out
    }
}
