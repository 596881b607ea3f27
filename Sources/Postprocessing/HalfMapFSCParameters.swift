import Foundation
import MapbookCore

/// The parameters of the corrected FSC of two half maps (`Postprocess.fsc`): phase
/// randomisation after Chen et al. (2013), as relion_postprocess does it, and the automatic mask.
public struct HalfMapFSCParameters: DeclaredParameters, Equatable {
    /// How a mask is made when it is made from the half maps.
    public var automaticMask = AutoMaskParameters()
    /// Phases are randomised beyond the first shell where the unmasked FSC drops below this.
    @Parameter("randomize_at_fsc", .open(0, 1), "randomise phases beyond the shell where the unmasked FSC first drops below this",
               source: "Chen et al. 2013; RELION relion_postprocess --randomize_at_fsc")
    public var randomizeAtFSC = 0.8
    /// If set, randomise beyond this resolution (Å) instead.
    @Parameter("randomize_at", .positive, unit: "Å", "randomise phases beyond this resolution instead",
               source: "RELION relion_postprocess --randomize_at_A", defaultMeaning: "from randomize_at_fsc", inStarterPlan: false)
    public var randomizeAtResolution: Double? = nil
    /// Seed of the phase randomisation (RELION's default is 0 as well; the streams differ).
    @Parameter("seed", "seed of the phase randomisation")
    public var seed: UInt64 = 0
    /// Keep the masked curve even when it looks worse than the unmasked one.
    @Parameter("force_mask", "keep the masked FSC even when the unmasked one reaches further",
               source: "RELION relion_postprocess --force_mask")
    public var forceMask = false
    /// Point-group order, used by the half-bit threshold. A plan takes it from the dataset's symmetry.
    @Parameter("symmetry_order", .atLeast(1), "point-group order, for the half-bit threshold", source: "van Heel & Schatz 2005",
               scope: .commandLine)
    public var symmetryOrder = 1

    /// RELION's defaults.
    public init() {}
}
