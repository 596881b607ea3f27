import Foundation
import MapbookCore

/// The parameters of the directional FSC (`Postprocess.directionalFSC`): the FSC in cones
/// around Fibonacci directions over the half sphere, as 3DFSC (Tan et al. 2017) measures it.
public struct DirectionalFSCParameters: DeclaredParameters, Equatable {
    /// Whether to measure it at all.
    @Parameter("directional", "also measure the FSC in cones around directions: the spread of directional resolutions and the sphericity",
               source: "Tan et al. 2017 (3DFSC)")
    public var enabled = true
    /// Number of cone axes over the half sphere.
    @Parameter("directional_directions", .closed(20, 2000), "number of cone axes (Fibonacci directions over the half sphere)",
               source: "SIMPLE fsc_area_score (256 Fibonacci cone axes)")
    public var directionCount = 256
    /// Cone half-angle (degrees).
    @Parameter("directional_cone", .open(0, 90), unit: "°", "half-angle of each cone",
               source: "Tan et al. 2017 (3DFSC default dTheta 20°)")
    public var coneHalfAngle = 20.0

    /// The defaults: on, 256 directions, 20° cones.
    public init() {}
}
