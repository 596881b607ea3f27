import Foundation
import Postprocessing

/// Settings of half-map density modification, with the defaults `mapbook density-modify` uses.
public struct DensityModificationParameters: Sendable, Equatable, Codable {
    /// What is done to the density inside the molecule.
    public enum MoleculeModification: String, Sendable, Equatable, Codable {
        /// Nothing: only the solvent is flattened.
        case none
        /// Local expectation: the posterior mean under a Gaussian-mixture prior fitted to the
        /// molecule's own density histogram (see `DensityExpectation`).
        case expectation
    }

    /// Resolution (Å) the half maps reach; nil takes the half-map FSC's 0.143 crossing.
    public var resolution: Double? = nil
    /// Number of modify-and-combine cycles. Default 3: each later cycle starts from the
    /// combined halves of the one before and shrinks the mask's smoothing radius from d to d/2;
    /// the run stops early when the mean predicted map-to-truth correlation between d and 2d
    /// improves by less than `minimumImprovement`.
    public var cycles = 3
    /// Early stop: smallest worthwhile gain in the mean predicted correlation from d to 2d.
    public var minimumImprovement = 0.005
    /// What is done inside the molecule (solvent is always flattened). Default: nothing. On the
    /// simulated haemoglobin test set (4 Å, solvent 0.73) flattening alone moved the 0.5
    /// crossing of FSC(map, truth) from 4.00 to 3.50 Å, and adding the local expectation only
    /// to 3.61 Å: the prior's nonlinearity puts density into both halves alike that is not
    /// true, and the combination has to discount it.
    public var molecule = MoleculeModification.none
    /// Point-group symmetry of the molecule about the box centre (RELION's symbols and
    /// orientations: C1, Cn, Dn, T, O, I, I1–I4), or "auto" to find it as phenix.map_symmetry
    /// does (C2–C14, D2–D14, T, O, I; the centre refined by up to two voxels). Other than C1,
    /// each half's map is averaged over the copies before its mask is made and its solvent
    /// flattened: the noise of independent copies averages out, the signal does not. Default C1.
    public var symmetry = "C1"
    /// Gaussian components of the molecule's density prior.
    public var mixtureComponents = 2
    /// Width of the masks' soft edge, voxels. Default 4: a wider edge truncates less of the true
    /// density that a map at this resolution spreads beyond the molecule, and puts less untrue
    /// density into both halves alike. On the simulated haemoglobin set (4 Å, solvent 0.73,
    /// eight noise seeds) the 0.5 crossing of FSC(map, truth) went from 3.49 (2 voxels) to 3.42 Å.
    public var maskEdgeVoxels = 4.0
    /// How the final map is sharpened (FSC weighting and Guinier B, as `mapbook postprocess`
    /// without a mask).
    public var sharpening = PostprocessParameters()
    /// The model ensembles of model-based density modification (used only with a model).
    public var model = ModelEnsembleParameters()
    /// Physical memory the run may use, bytes; nil reads what the system has available.
    public var availableMemory: UInt64? = nil

    /// The defaults above.
    public init() {}
}
