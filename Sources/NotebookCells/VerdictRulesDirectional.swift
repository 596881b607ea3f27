import Foundation
import Notebook
import Postprocessing

/// The verdict rule of the directional FSC, with its threshold. As in `VerdictRules`, the
/// README's "Verdict rules" table lists it.
extension VerdictRules {
    /// Sphericity of the FSC-0.5 surface (3DFSC, Tan et al. 2017) below this is a caution. Our
    /// threshold, not a published one: 0.90 is the sphericity of an oblate spheroid 2.1 : 1 —
    /// the FSC-0.5 resolution along the worst direction 2.1 times that along the best, as with
    /// one missing view direction — where anisotropy shows plainly in a map (2 : 1 gives 0.913,
    /// 1.5 : 1 gives 0.970).
    static let sphericityLimit = 0.9

    /// The directional FSC: resolution that depends strongly on direction.
    static func directional(_ r: DirectionalFSCReport?, section: String) -> [Verdict] {
        guard let r, r.sphericity < sphericityLimit else { return [] }
        return [Verdict(section, .caution,
                        String(format: "anisotropic: sphericity %.2f; the 0.143 resolution ranges from %.2f Å to %.2f Å over directions", r.sphericity, r.spread.minimum, r.spread.maximum),
                        action: "check the particles' orientation distribution (preferred orientation); collect tilted data")]
    }
}
