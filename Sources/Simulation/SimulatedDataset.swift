import Foundation
import MapModel

/// What a simulation produced, with the truth about it.
public struct SimulatedDataset: Sendable {
    /// The model the maps were computed from, placed in the box.
    public var model: AtomicModel
    /// The noise-free map: the model map, blurred locally by the design's low-pass, or left sharp
    /// under the `bfactor` blur (whose envelope attenuates only the half maps' signal).
    public var truth: Volume
    /// Half map 1: truth plus noise.
    public var half1: Volume
    /// Half map 2: truth plus independent noise.
    public var half2: Volume
    /// True local resolution (Å) inside the molecule (within `maskRadius` of an atom), 0 outside.
    public var localResolution: Volume
    /// Soft mask around the model.
    public var mask: Volume
    /// Half maps times the mask, when asked for.
    public var maskedHalves: (Volume, Volume)?
    /// Parameters, curves and facts, for the JSON record.
    public var record: SimulationRecord
}

/// The JSON record of a simulated dataset: everything needed to regenerate it and what is true
/// about it.
public struct SimulationRecord: Sendable, Codable, Equatable {
    /// Per Fourier shell of the grid: the design and the signal it was applied to.
    public struct Shell: Sendable, Codable, Equatable {
        /// Shell index.
        public var shell: Int
        /// Frequency at the shell centre (Å⁻¹).
        public var frequency: Double
        /// Resolution (Å; null for shell 0).
        public var resolution: Double
        /// Full-sphere coefficient count.
        public var coefficients: Double
        /// Mean power of the truth.
        public var signalPower: Double
        /// Mean power of each half's noise.
        public var noisePower: Double
        /// The curve asked for.
        public var requestedFSC: Double
        /// S/(S + N): what the halves realise (exactly, with `exactFSC`).
        public var expectedFSC: Double
    }

    /// The designed direction dependence of the half-map FSC (`AnisotropyDesign`): its 0.143
    /// surface is the spheroid with these resolutions along the axis and across it.
    public struct DirectionalResolution: Sendable, Codable, Equatable {
        /// The axis of symmetry (unit vector; z).
        public var axis: [Double]
        /// 0.143 resolution along the axis (Å).
        public var alongAxis: Double
        /// 0.143 resolution in every direction perpendicular to it (Å).
        public var perpendicular: Double
        /// The rule, in words.
        public var rule = "d(u) = sqrt(perpendicular² · (1 − (u·axis)²) + alongAxis² · (u·axis)²)"
    }

    /// What made the record.
    public var generator: String
    /// All parameters.
    public var parameters: SimulationParameters
    /// The seed (also in `parameters`, repeated here to be found at a glance).
    public var seed: UInt64
    /// The seeds of the two halves' noise, derived from `seed`.
    public var noiseSeeds: [UInt64]
    /// The grid of every map.
    public var grid: VoxelGrid
    /// Where the model came from: "built-in helix bundle" or the file given.
    public var modelSource: String
    /// Number of atoms.
    public var atoms: Int
    /// Atoms per element symbol.
    public var elements: [String: Int]
    /// Smallest and largest atomic B-factor (Å²), before `extraBFactor`.
    public var bFactorRange: [Double]
    /// Centre of the model's bounding box (Å), where the local-resolution pattern is centred.
    public var modelCentre: [Double]
    /// Distance from that centre to the outermost atom (Å).
    public var modelRadius: Double
    /// The local blur's cut-off frequencies (Å⁻¹); empty for the uniform pattern.
    public var blurLevels: [Double]
    /// The B-factor envelope's levels (Å²), for the `bfactor` blur; nil for the low-pass blur.
    public var envelopeBFactors: [Double]?
    /// The 0.143 resolution (Å) the half maps would have under each envelope level alone.
    public var envelopeResolutions: [Double]?
    /// Smallest and largest value of the local-resolution map inside the molecule (Å).
    public var localResolutionRange: [Double]
    /// The designed directional resolution; nil for an isotropic design.
    public var directionalResolution: DirectionalResolution?
    /// Fraction of the box inside the molecule zone.
    public var moleculeFraction: Double
    /// The design, shell by shell.
    public var shells: [Shell]
}
