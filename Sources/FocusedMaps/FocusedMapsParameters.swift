import MapbookCore

/// How `mapbook combine-focused` and the `composite` cell score and weight focused maps
/// (phenix.combine_focused_maps).
public struct FocusedMapsParameters: DeclaredParameters, Equatable {
    /// Voxel size of the composite's grid (when no grid is given).
    @Parameter("voxel_size", .positive, unit: "Å", "voxel size of the composite's grid when no grid is given",
               defaultMeaning: "the finest input voxel size")
    public var voxelSize: Double? = nil
    /// Residues on each side of a residue in its scoring window.
    @Parameter("residue_window", .closed(0, 50), "residues on each side of a residue in the window its correlation is measured over",
               source: "phenix.combine_focused_maps (residues per window)")
    public var residueWindow = 5
    /// Power p of the correlation in the weights.
    @Parameter("weight_power", .closed(1, 50), "power p of each window's correlation in the weights: higher picks the best map more sharply")
    public var weightPower = 8.0
    /// Width σ of the Gaussian that spreads each residue's weight into space.
    @Parameter("smoothing", .positive, unit: "Å", "width σ of the Gaussian that spreads each residue's weight into space (smooth boundaries)")
    public var smoothing = 4.0
    /// Radius around atoms of the voxels a residue's correlation is measured over (internal).
    public var scoringRadius = 2.5
    /// Share of a window's voxels a map must cover for its correlation there to count (internal).
    public var minimumCoverage = 0.5
    /// Weight β of each map's overall score where no residue is near (internal; the Gaussians peak at 1).
    public var background = 0.01

    /// The defaults.
    public init() {}
}
