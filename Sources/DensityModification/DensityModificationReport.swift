import Foundation
import MapbookCore
import FourierEngine
import MapModel

/// Every number density modification produces (written as JSON).
public struct DensityModificationReport: Sendable, Codable {
    /// One resolution shell of one cycle: the estimates and the weights used.
    public struct Shell: Sendable, Codable, Equatable {
        /// Shell index.
        public var shell: Int
        /// Resolution, Å.
        public var resolution: Double
        /// FSC of the original halves, as used (smoothed over three shells only in the sparse
        /// lowest shells of a small box).
        public var fscOriginal: Double
        /// FSC of the modified halves, as used.
        public var fscModified: Double
        /// Correlation of each half with its own modified version (mean of both halves).
        public var originalModifiedCorrelation: Double
        /// FSC(original 1, modified 2) and FSC(original 2, modified 1), averaged: should be
        /// c_o·c_d when the halves were modified independently.
        public var crossHalfCorrelation: Double
        /// Estimated correlation of one original half with the truth, c_o.
        public var originalToTruth: Double
        /// Estimated correlation of one modified half with the truth, c_d.
        public var modifiedToTruth: Double
        /// Estimated correlation of one half's model (ensemble) map with the truth, c_m, from
        /// the cross-half terms FSC(M1, O2) and FSC(M2, O1) (nil without a model).
        public var modelToTruth: Double?
        /// FSC(M1, M2) of the two halves' model maps: their true and their shared (model-bias)
        /// part together (nil without a model).
        public var modelHalvesCorrelation: Double?
        /// Weights of original, modified (and model) coefficients, in units of unit-rms maps.
        public var weights: [Double]
        /// Predicted correlation of one combined half with the truth.
        public var combinedToTruth: Double
    }

    /// One cycle.
    public struct Cycle: Sendable, Codable, Equatable {
        /// Cycle number, from 1.
        public var cycle: Int
        /// Standard deviation of the local-rms Gaussian, Å.
        public var maskSmoothing: Double
        /// Fraction of the box in each half's molecule region.
        public var moleculeFraction: [Double]
        /// Solvent level each half was flattened to.
        public var solventLevel: [Double]
        /// Noise variance of each half's (filtered) map that was modified.
        public var noiseVariance: [Double]
        /// The molecule prior of each half (empty for flattening only).
        public var densityPrior: [DensityExpectation]
        /// Mean predicted correlation of the combined halves with the truth, from d to 2d.
        public var meanPredictedCorrelation: Double
        /// Largest part of FSC(D1, D2) not explained by the truth (FSC(D1, D2) − c_d², with c_d
        /// from the cross-half correlation FSC(O_i, D_j)/c_o), over shells to the resolution:
        /// what the modification put into both halves alike.
        public var independenceDeviation: Double
        /// Per shell.
        public var shells: [Shell]
    }

    /// How point-group symmetry was used: each half's molecule density averaged over the
    /// group's copies (each half with itself only, so the halves stay independent).
    public struct SymmetryUse: Sendable, Codable, Equatable {
        /// The group (RELION's symbol and orientation).
        public var group: String
        /// Its order.
        public var order: Int
        /// Centre of the operators, Å (the box centre, or the refined centre when detected).
        public var centre: [Double]
        /// Whether the group was found in the map (`symmetry: auto`) rather than given.
        public var detected: Bool
        /// Mean correlation of the density at symmetry-related points, as phenix.map_symmetry
        /// scores it (1000 points; 1 for a perfectly symmetric map), in the average of the
        /// halves weighted by FSC_ref and low-passed to twice the resolution.
        public var meanCorrelation: Double
        /// The lowest correlation over the operators, in the same map.
        public var minimumCorrelation: Double
    }

    /// Grid of the half maps.
    public var grid: VoxelGrid
    /// The solvent fraction used.
    public var solventFraction: SolventFraction
    /// The resolution used (Å) and whether it came from the FSC.
    public var resolution: Double
    /// Whether `resolution` was read from the half-map FSC (rather than given).
    public var resolutionFromFSC: Bool
    /// The cycles run.
    public var cycles: [Cycle]
    /// FSC of the original half maps.
    public var fscBefore: FSCCurve
    /// FSC of the density-modified half maps.
    public var fscAfter: FSCCurve
    /// Estimated correlation of the average map with the truth per shell, before:
    /// sqrt(2 FSC / (1 + FSC)).
    public var fscRefBefore: [Double]
    /// The same after density modification, predicted from the per-shell error model (the
    /// FSC after would overstate it: see `Cycle.independenceDeviation`).
    public var fscRefAfter: [Double]
    /// Half-map FSC 0.143 resolution before.
    public var resolutionBefore: ResolutionEstimate
    /// Half-map FSC 0.143 resolution after.
    public var resolutionAfter: ResolutionEstimate
    /// Where FSC_ref crosses 0.5 before (the map-to-truth "0.5" resolution).
    public var fscRefHalfBefore: ResolutionEstimate
    /// Where FSC_ref crosses 0.5 after.
    public var fscRefHalfAfter: ResolutionEstimate
    /// Resolution gain at FSC 0.143 (Å; positive is better).
    public var resolutionGain: Double
    /// Gain where FSC_ref crosses 0.5 (Å; positive is better).
    public var fscRefHalfGain: Double
    /// Whether a model took part (its shared errors bias the FSC after).
    public var modelUsed: Bool
    /// The model ensemble refined against each half map (empty without an atomic model).
    public var modelEnsembles: [ModelEnsemble.Summary]
    /// Point-group averaging, when a group other than C1 was given or found.
    public var symmetry: SymmetryUse?
    /// Noise uniformity of the half-map difference.
    public var noise: HalfMapChecks.NoiseUniformity
    /// Separate strong density far from the molecule.
    public var distantDensity: [HalfMapChecks.DistantDensity]
    /// Memory estimate.
    public var memory: MemoryEstimate
    /// B-factor applied to the final map (Å², exp(−B s²/4)).
    public var appliedBFactor: Double
    /// Warnings, each one line.
    public var warnings: [String]
    /// What was not done that a user might expect.
    public var limitations: [String]
    /// The parameters.
    public var parameters: DensityModificationParameters
}
