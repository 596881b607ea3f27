/// How LocalDeblur computes its operator.
public enum DeblurFormulation: String, Sendable, Codable, CaseIterable {
    /// One inverse transform per band, weights evaluated exactly (`FilterBankOperator`).
    case filterBank = "filter-bank"
    /// One inverse transform per interpolation node (`InterpolatedDeblurOperator`): the default.
    case interpolated
}

import MapbookCore

/// Parameters of one LocalDeblur run (xmipp's `volume_local_sharpening`), with mapbook's
/// defaults (`xmipp` gives xmipp's own).
public struct LocalDeblurParameters: DeclaredParameters, Equatable {
    /// K (Å⁻²): band weights are exp(−K (R_b − ρ)²). Recommended 0.01–0.05; 0.01 for maps
    /// worse than 6 Å.
    @Parameter("k", .positive, unit: "Å⁻²", "K of the band weights exp(−K (R − ρ)²); 0.01–0.05, 0.01 for maps worse than 6 Å",
               source: "Ramírez-Aportela et al. 2020 (LocalDeblur); Xmipp xmipp_volume_local_sharpening -k")
    public var k: Double = 0.025
    /// Step size λ of the update. 1 is xmipp's sentinel for "automatic": ‖V0‖ / (12 ‖H V0‖).
    @Parameter("lambda", .positive, "step size λ of the first round; 1 = automatic (‖V0‖ / (12 ‖H V0‖))",
               source: "Ramírez-Aportela et al. 2020 (LocalDeblur); Xmipp xmipp_volume_local_sharpening -l")
    public var lambda: Double = 1
    /// Most inner iterations. xmipp caps at 50 and stops by `InnerStopRule`, which cannot fire
    /// before the third; mapbook stops at that third iteration, because xmipp's rule runs 8–10
    /// iterations and boosts 2–3 times too much on every simulated design (`LocalDeblur`).
    @Parameter("max_inner", .atLeast(1), "cap on the inner iterations of each round (xmipp: 50, its stop rule deciding)",
               source: "Xmipp xmipp_volume_local_sharpening (50 iterations); 3 measured on simulated designs (issue 16)")
    public var maximumInnerIterations: Int = 3
    /// Width (Å) of the taper that weighs down bands finer than a voxel's local resolution, so
    /// the iteration boosts only the frequencies the local resolution supports; 0 gives xmipp's
    /// symmetric weights.
    @Parameter("resolution_taper", .nonNegative, unit: "Å", "taper on bands finer than the local resolution, so they are not boosted (0: xmipp's symmetric band weights)",
               source: "mapbook (issue 16): xmipp's symmetric weights boost noise beyond the local resolution", inStarterPlan: false)
    public var resolutionTaper: Double = 0.6
    /// Step between the filter bank's trial resolutions (Å; xmipp hard-codes 0.2).
    public var bandStep: Double = 0.2
    /// Largest automatic λ: a map with almost nothing in the bands would otherwise get a huge
    /// step. A capped λ is reported.
    public var maximumAutomaticLambda: Double = 100
    /// Compute the operator with one transform per band (exact, slower) instead of
    /// interpolating between local resolutions (`formulation`). Only xmipp's symmetric weights
    /// can be interpolated: with the resolution taper the filter bank is always used.
    @Parameter("exact_bank", "compute the operator with one transform per band (exact, slower) instead of interpolating between local resolutions (with resolution_taper > 0 the bank is always exact)",
               source: "Xmipp xmipp_volume_local_sharpening (its filter bank)", inStarterPlan: false)
    public var exactBank = false
    /// How the operator is computed: the filter bank when asked for or when the resolution
    /// taper is on (its weights vary over a fraction of an Å of ρ, too fast for nodes 2 Å apart).
    public var formulation: DeblurFormulation {
        get { exactBank || resolutionTaper > 0 ? .filterBank : .interpolated }
        set { exactBank = newValue == .filterBank }
    }
    /// Distance between interpolation nodes (Å) for the interpolated formulation. At 2 Å the
    /// operator differs from the filter bank by 1 − CC < 1e-6 even at K = 0.05 (measured in the
    /// tests); the error grows as the fourth power of the spacing times √K.
    @Parameter("node_spacing", .positive, unit: "Å", "distance between the interpolation nodes of the operator", inStarterPlan: false)
    public var nodeSpacing: Double = 2

    /// mapbook's defaults: xmipp's, with the resolution taper and three inner iterations.
    public init() {}

    /// xmipp's own settings: symmetric band weights and up to 50 inner iterations, its stop rule
    /// deciding.
    public static var xmipp: LocalDeblurParameters {
        var p = LocalDeblurParameters()
        p.resolutionTaper = 0
        p.maximumInnerIterations = 50
        return p
    }

    /// Whether λ is to be chosen automatically.
    public var automaticLambda: Bool { lambda == 1 }
}
