import Foundation
import MapbookCore

/// The parameters of a map–model fit (`mapbook model-fit`, `kind: model_fit`).
public struct ModelFitParameters: DeclaredParameters, Equatable {
    /// The map's resolution, Å: the model map's cut-off, the CC mask's radius and the expected Q.
    @Parameter("resolution", .positive, unit: "Å", "the map's resolution: the model map's cut-off, the CC mask's radius and the expected Q-score",
               source: "phenix.map_model_cc / mtriage resolution", defaultMeaning: "the half maps' FSC 0.143 crossing (needed without half maps)")
    public var resolution: Double? = nil
    /// Contour level for atom inclusion; nil takes the level at which the map encloses the model's volume.
    @Parameter("contour", "contour level (map value) for atom inclusion",
               source: "EMDB validation: atom inclusion at the recommended contour level",
               defaultMeaning: "the level at which the map encloses the model's volume")
    public var contour: Double? = nil
    /// Width of Q-score's reference Gaussian, Å.
    @Parameter("q_sigma", .closed(0.2, 2), unit: "Å", "width σ of Q-score's reference Gaussian (the expected Q is published for 0.6 Å)",
               source: "Pintilie et al. 2020 (σ = 0.6 Å; EMDB's pages use 0.4 Å)")
    public var qSigma = 0.6
    /// Radius of the soft model mask of the masked map–model FSC, Å.
    @Parameter("fsc_mask_radius", .positive, unit: "Å", "radius around each atom of the soft mask of the masked map–model FSC",
               source: "EMDB/mtriage model mask")
    public var fscMaskRadius = 3.0

    /// The defaults.
    public init() {}
}
