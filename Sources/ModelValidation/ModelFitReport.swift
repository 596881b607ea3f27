import Foundation
import FourierEngine
import MapModel
import ModelMaps

/// Every number of a map–model fit (written as model_fit.json, kept by the `model_fit` cell).
public struct ModelFitReport: Sendable, Codable {
    /// Where the model sits against the map's box.
    public struct Placement: Sendable, Codable {
        /// Scored atoms (no hydrogens).
        public var atoms: Int
        /// The fraction of them inside the map's box.
        public var insideFraction: Double
        /// The whole-voxel shift of the model that best matches the map (zero when none).
        public var bestShiftVoxels: SIMD3<Int>
        /// That shift, Å.
        public var bestShift: SIMD3<Double>
        /// Map–model correlation as placed, and at the best shift.
        public var correlationAsPlaced: Double, correlationAtBestShift: Double
    }

    /// One residue's numbers, for the per-residue plot and the worst-residue table.
    public struct Residue: Sendable, Codable {
        /// The residue.
        public var id: ResidueID
        /// Its Q-score (nil when no atom of it could be scored).
        public var q: Double?
        /// Mean atomic B of its scored atoms, Å².
        public var bFactor: Double
        /// Mean local resolution at its atoms, Å, when a local-resolution map was given.
        public var localResolution: Double?
    }

    /// The map's grid.
    public var grid: VoxelGrid
    /// The resolution used, Å, and where it came from.
    public var resolution: Double
    /// "given", or "half-map FSC 0.143".
    public var resolutionSource: String
    /// Atoms against the box.
    public var placement: Placement
    /// Map–model FSC without a mask.
    public var fsc: MapModelComparison
    /// Map–model FSC inside a soft mask around the model.
    public var fscMasked: MapModelComparison
    /// Map–model FSC (masked) against each half map: the overfitting check (Brown et al. 2015).
    public var fscHalves: [MapModelComparison]?
    /// CC_box, CC_mask, CC_volume, CC_peaks.
    public var correlations: CorrelationFamily
    /// d99, d_model, d_model with B = 0.
    public var resolutions: ModelResolutions
    /// The model's mean Q-score.
    public var meanQ: Double
    /// Q expected at this resolution (Pintilie et al. 2020), for σ = 0.6 Å only.
    public var expectedQ: Double?
    /// σ of the reference Gaussian, Å.
    public var qSigma: Double
    /// Atoms whose Q is undefined (a sample outside the box).
    public var unscoredAtoms: Int
    /// Per chain.
    public var chains: [QScore.ChainScore]
    /// Per residue, in chain then residue order.
    public var residues: [Residue]
    /// The contour level of atom inclusion, and how it was chosen.
    public var contour: Double
    /// "given", or "encloses the model's volume".
    public var contourSource: String
    /// Fraction of scored atoms at or above the contour.
    public var atomInclusion: Double
    /// Atom inclusion against the contour level: (level, fraction) pairs.
    public var inclusionCurve: [[Double]]
    /// Things the user should know.
    public var warnings: [String]
    /// The parameters used.
    public var parameters: ModelFitParameters

    /// The `count` residues with the lowest Q, lowest first.
    public func worstResidues(_ count: Int) -> [Residue] {
        Array(residues.filter { $0.q != nil }.sorted { $0.q! < $1.q! }.prefix(count))
    }
}
