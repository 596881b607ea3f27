import Foundation

/// Every parameter of a simulated dataset (recorded in full in its JSON file).
public struct SimulationParameters: Sendable, Equatable, Codable {
    /// Box edge in voxels (cubic). Nil: 64 for the built-in model; for a supplied model, its
    /// extent plus `padding` on each side (rounded up to an even count).
    public var size: Int? = nil
    /// Voxel size (Å).
    public var voxelSize: Double = 1
    /// Space kept around a supplied model when the box is fitted to it (Å).
    public var padding: Double = 10
    /// The built-in model, used when no model is supplied.
    public var builtInModel = HelixBundleParameters()
    /// B-factor added to every atom before the map is computed (Å², exp(−B s²/4)).
    public var extraBFactor: Double = 0
    /// The half-map FSC to realise.
    public var fsc = FSCDesign()
    /// The spatially varying blur, and so the true local resolution.
    public var localResolution = LocalResolutionDesign()
    /// Make each half's noise orthogonal, shell by shell, to the signal and to the other half's
    /// noise, so the realised FSC equals the design to rounding; off, it scatters about it by
    /// about 1/√(coefficients in the shell), as real data do.
    public var exactFSC = true
    /// Noise amplitude in the solvent relative to inside the molecule (1: uniform noise). The
    /// shaping keeps the FSC design; only where the noise sits changes.
    public var solventNoiseScale: Double = 1
    /// Radius around atoms that counts as the molecule (Å): the mask, the zone of the local
    /// resolution map.
    public var maskRadius: Double = 3
    /// Width of the mask's raised-cosine edge (Å).
    public var maskEdge: Double = 4
    /// Also produce half maps multiplied by the mask (exact zeros outside it).
    public var maskedHalves = false
    /// Seed of every random draw (the noise); the same seed gives the same bytes.
    public var seed: UInt64 = 1

    /// The defaults above.
    public init() {}
}
