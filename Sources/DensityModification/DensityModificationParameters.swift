import Foundation
import FourierEngine
import MapbookCore

/// Settings of half-map density modification, with the defaults `mapbook density-modify` uses.
/// The `@Parameter` fields are the user's (command-line options and plan keys of
/// `density_modify`); the plain ones are internal settings that keep their defaults.
public struct DensityModificationParameters: DeclaredParameters, Equatable {
    /// What is done to the density inside the molecule.
    public enum MoleculeModification: String, Sendable, Equatable, Codable, ParameterChoice {
        /// Nothing: only the solvent is flattened.
        case none
        /// Local expectation: the posterior mean under a Gaussian-mixture prior fitted to the
        /// molecule's own density histogram (see `DensityExpectation`).
        case expectation
    }

    /// Resolution (Å) the half maps reach; nil takes the half-map FSC's 0.143 crossing.
    @Parameter("resolution", .positive, unit: "Å", "resolution the half maps reach (none: their FSC 0.143 crossing)",
               source: "Terwilliger et al. 2020 (phenix.resolve_cryo_em resolution)",
               defaultMeaning: "the half-map FSC 0.143 crossing", inStarterPlan: false)
    public var resolution: Double? = nil
    /// Number of modify-and-combine cycles. Default 3: each later cycle starts from the
    /// combined halves of the one before and shrinks the mask's smoothing radius from d to d/2;
    /// the run stops early when the mean predicted map-to-truth correlation between d and 2d
    /// improves by less than `minimumImprovement`.
    @Parameter("cycles", .atLeast(1), "modify-and-combine cycles (stops early when a cycle gains less than 0.005 in correlation)",
               source: "Terwilliger et al. 2020 (phenix.resolve_cryo_em cycles)")
    public var cycles = 3
    /// Early stop: smallest worthwhile gain in the mean predicted correlation from d to 2d.
    public var minimumImprovement = 0.005
    /// What is done inside the molecule (solvent is always flattened). Default: nothing. On the
    /// simulated haemoglobin test set (4 Å, solvent 0.73) flattening alone moved the 0.5
    /// crossing of FSC(map, truth) from 4.00 to 3.50 Å, and adding the local expectation only
    /// to 3.61 Å: the prior's nonlinearity puts density into both halves alike that is not
    /// true, and the combination has to discount it.
    @Parameter("molecule", "inside the molecule: none (solvent flattening only) or expectation (local expectation under a Gaussian-mixture prior)",
               source: "Terwilliger et al. 2020 (phenix.resolve_cryo_em density modification)")
    public var molecule = MoleculeModification.none
    /// Point-group symmetry of the molecule about the box centre (RELION's symbols and
    /// orientations: C1, Cn, Dn, T, O, I, I1–I4), or "auto" to find it as phenix.map_symmetry
    /// does (C2–C14, D2–D14, T, O, I; the centre refined by up to two voxels). Other than C1,
    /// each half's map is averaged over the copies before its mask is made and its solvent
    /// flattened: the noise of independent copies averages out, the signal does not. nil is C1
    /// (a plan's cell takes the dataset's symmetry then); a run records the group it used.
    @Parameter("symmetry", "point group each half is averaged over (C1, Cn, Dn, T, O, I, I1–I4; RELION's orientations, about the box centre), or auto to find it",
               source: "RELION point-group symbols; auto searches as phenix.map_symmetry",
               defaultMeaning: "C1 (in a plan: dataset.symmetry, else C1)")
    public var symmetry: String? = nil
    /// Gaussian components of the molecule's density prior.
    public var mixtureComponents = 2
    /// Least width of the masks' soft edge, voxels (`edgeVoxels`). 4: a wider edge truncates
    /// less of the true density that a map at this resolution spreads beyond the molecule, and
    /// puts less untrue density into both halves alike. On the simulated haemoglobin set (4 Å,
    /// solvent 0.73, eight noise seeds) the 0.5 crossing of FSC(map, truth) went from 3.49
    /// (2 voxels) to 3.42 Å.
    public var maskEdgeVoxels = 4.0

    /// The width of the masks' soft edge, voxels, for half maps of `resolution` Å on voxels of
    /// `voxel` Å: twice the resolution, at least `maskEdgeVoxels`. The molecule region holds
    /// the sequence's volume, the atoms' own; a map at resolution d spreads their density about
    /// d beyond it, and a narrower edge flattened that away: on the sharpening harness's 4 Å
    /// designs (1 Å voxels, an edge of 4) the FSC with the truth inside the molecule fell by
    /// up to 0.06 at 6–9 Å, where the halves hold nearly only signal. An edge of 8 voxels
    /// there (2d) cut that to 0.02–0.03 and raised the correlation with the truth inside the
    /// molecule (helix_split_4A 0.809 → 0.815, helix_uniform_6A 0.842 → 0.861), at 0.05 Å
    /// of the FSC's 0.5 crossing over the box (gains of 0.6–1.8 Å).
    public func edgeVoxels(resolution: Double, voxel: Double) -> Double {
        max(maskEdgeVoxels, 2 * resolution / voxel)
    }
    /// What the box holds (copies of the sequence, or the solvent fraction or mass instead).
    public var solvent = SolventContent()
    /// How the final map is sharpened (FSC weighting and Guinier B, as `mapbook postprocess`
    /// without a mask). An internal setting, not one of density_modify's keys.
    public var finalSharpening = FinalSharpening()
    /// The model ensembles of model-based density modification (used only with a model).
    public var model = ModelEnsembleParameters()
    /// Physical memory the run may use, bytes; nil reads what the system has available.
    public var availableMemory: UInt64? = nil

    /// The defaults above.
    public init() {}

    /// The point group must be one the library knows (or auto).
    public func validateTogether() throws {
        if let s = symmetry {
            do { _ = try DensityModification.symmetryGroup(s) } catch {
                throw ParameterProblem(key: "symmetry", value: s, "is not a point group: \(error)")
            }
        }
    }

    /// The point group as written, C1 when none is given.
    public var symmetrySymbol: String { symmetry ?? "C1" }
}

/// How density modification sharpens its final map: FSC weighting by the FSC of the modified
/// halves and a B-factor fitted on the weighted Guinier plot, RELION's defaults.
public struct FinalSharpening: Codable, Sendable, Equatable {
    /// Weight for the highest expected correlation with the true map (HalfMapSharpening's
    /// rule): the predicted FSC_ref² (the modified average's signal share) times the original
    /// halves' signal envelope divided out to the target B. Off: RELION's C_ref weighting and
    /// a B fitted on the weighted Guinier plot (`fscWeighting`, `bFactor`), which sharpens the
    /// whole slope flat and raised the noise inside the molecule on simulated designs.
    public var expectedCorrelation = true
    /// Weight by C_ref = sqrt(2 FSC / (1 + FSC)) (always on when a model was used).
    public var fscWeighting = true
    /// The B-factor rule: fitted from 10 Å to the last shell with signal.
    public var bFactor = FSCWeightedSharpening.BFactorRule.automatic(lowResolution: 10, highResolution: nil)
    /// The expected-correlation weighting.
    public init() {}

    /// Decodes records written before `expectedCorrelation` existed as RELION's rule.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        expectedCorrelation = try c.decodeIfPresent(Bool.self, forKey: .expectedCorrelation) ?? false
        fscWeighting = try c.decode(Bool.self, forKey: .fscWeighting)
        bFactor = try c.decode(FSCWeightedSharpening.BFactorRule.self, forKey: .bFactor)
    }
}
