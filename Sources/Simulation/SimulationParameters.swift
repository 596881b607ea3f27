import Foundation
import MapbookCore

/// Every parameter of a simulated dataset (recorded in full in its JSON file).
public struct SimulationParameters: DeclaredParameters, Equatable {
    /// Box edge in voxels (cubic). Nil: 64 for the built-in model; for a supplied model, its
    /// extent plus `padding` on each side (rounded up to an even count).
    @Parameter("size", .closed(8, 1024), unit: "voxels", "box edge (cubic box)",
               defaultMeaning: "64 for the built-in model; fitted to a supplied model", inStarterPlan: false)
    public var size: Int? = nil
    /// Voxel size (Å).
    @Parameter("voxel", .positive, unit: "Å", "voxel size")
    public var voxelSize: Double = 1
    /// Space kept around a supplied model when the box is fitted to it (Å).
    @Parameter("padding", .nonNegative, unit: "Å", "space kept around a supplied model when the box is fitted to it")
    public var padding: Double = 10
    /// The built-in model, used when no model is supplied.
    public var builtInModel = HelixBundleParameters()
    /// B-factor added to every atom before the map is computed (Å², exp(−B s²/4)).
    @Parameter("bfactor", unit: "Å²", "B-factor added to every atom before the map is computed (positive blurs)")
    public var extraBFactor: Double = 0
    /// The half-map FSC to realise.
    public var fsc = FSCDesign()
    /// How the FSC's resolution depends on direction (isotropic by default).
    public var anisotropy = AnisotropyDesign()
    /// The spatially varying blur, and so the true local resolution.
    public var localResolution = LocalResolutionDesign()
    /// Make each half's noise orthogonal, shell by shell, to the signal and to the other half's
    /// noise, so the realised FSC equals the design to rounding; off, it scatters about it by
    /// about 1/√(coefficients in the shell), as real data do.
    @Parameter("exact_fsc", "make the realised FSC equal the design; off, it scatters about it as real data do")
    public var exactFSC = true
    /// Noise amplitude in the solvent relative to inside the molecule (1: uniform noise). The
    /// shaping keeps the FSC design; only where the noise sits changes.
    @Parameter("solvent_noise", .positive, "noise amplitude in the solvent relative to inside the molecule (1: uniform)")
    public var solventNoiseScale: Double = 1
    /// Radius around atoms that counts as the molecule (Å): the mask, the zone of the local
    /// resolution map.
    @Parameter("mask_radius", .positive, unit: "Å", "radius around atoms that counts as the molecule (mask, local-resolution zone)")
    public var maskRadius: Double = 3
    /// Width of the mask's raised-cosine edge (Å).
    @Parameter("mask_edge", .nonNegative, unit: "Å", "width of the mask's raised-cosine edge")
    public var maskEdge: Double = 4
    /// Also produce half maps multiplied by the mask (exact zeros outside it).
    @Parameter("masked_halves", "also produce the half maps multiplied by the mask")
    public var maskedHalves = false
    /// Seed of every random draw (the noise); the same seed gives the same bytes.
    @Parameter("seed", "seed of every random draw; the same seed gives the same bytes")
    public var seed: UInt64 = 1

    /// The defaults above.
    public init() {}

    /// A local-resolution pattern's resolutions against the FSC design's.
    public func validateTogether() throws {
        try localResolution.validateTogether()   // the pattern's own order first: worst, then best
        guard localResolution.pattern != .uniform, localResolution.blur == .lowpass else { return }
        guard fsc.resolution >= localResolution.best else {
            throw ParameterProblem(key: "resolution", value: fsc.resolution.parameterText,
                                   "must not be finer than best_resolution (\(localResolution.best.parameterText) Å): the truth has no signal beyond it for the noise to be measured against")
        }
    }
}
