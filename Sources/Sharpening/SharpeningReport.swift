import Foundation
import FourierEngine
import HalfMapSharpening
import MapModel

/// The trial that won and why.
public struct SharpeningChoice: Sendable, Equatable, Codable {
    /// Its index in the trial table.
    public var trial: Int
    /// What was applied to the whole map.
    public var settings: SharpeningSettings
    /// Its score.
    public var score: Double
    /// For B methods, the map's B after sharpening (Å²).
    public var mapBAfter: Double?
    /// The score of the map with only the resolution cut-off.
    public var referenceScore: Double?
    /// Why this one, in a sentence.
    public var reason: String
    /// The whole map's expected correlation with the true map after this choice, from the
    /// half maps (`ExpectedTruthCorrelation`); nil without half maps.
    public var expectedCorrelation: Double? = nil
    /// The same for the unsharpened map: the bar a searched sharpening must reach.
    public var unsharpenedExpectedCorrelation: Double? = nil
    /// True when every searched sharpening was expected to correlate worse with the true map
    /// than the map itself, so the map was left as it was (no cut-off either).
    public var keptUnsharpened: Bool? = nil
}

/// Where the scored region came from and what it holds.
public struct ScoredRegion: Sendable, Equatable, Codable {
    /// How it was chosen: "automatic box of density", "whole map (the box of density would hold
    /// more than half of it)", "whole map (box: whole)" or "given box".
    public var how: String
    /// The box, in voxels of the map.
    public var box: SubBox
    /// Its share of the map's voxels.
    public var fractionOfMap: Double
    /// Expected molecular volume inside it (Å³): the molecule's volume times the share of the
    /// molecular envelope the box holds.
    public var moleculeVolume: Double
    /// Its solvent fraction, 1 − molecule volume / box volume, clamped to [0.01, 1].
    public var solventFraction: Double
    /// Voxels the contour encloses: enclosed fraction × (1 − solvent fraction) × box voxels.
    public var enclosedVoxels: Int
}

/// Everything an automatic sharpening run decided and measured (written as JSON).
public struct SharpeningReport: Sendable, Codable {
    /// The parameters used.
    public var parameters: SharpeningParameters
    /// The map's grid.
    public var grid: VoxelGrid
    /// The resolution cut-off applied to every trial and to the result.
    public var cutoff: SharpeningCutoff
    /// The expected molecular volume and its source.
    public var molecularVolume: MolecularVolume
    /// Share of the map inside the low-resolution molecular envelope.
    public var envelopeFraction: Double
    /// The region the trials were scored on.
    public var region: ScoredRegion
    /// The scored region's own B (Å²) and its Guinier fit.
    public var mapBFactor: MapBFactor
    /// Region weight of the adjusted surface area.
    public var regionWeight: Double
    /// How the region weight was set: "calibrated" (see `calibration`), "given" or
    /// "default (no search to calibrate)".
    public var regionWeightSource: String
    /// The calibration, when it ran.
    public var calibration: RegionWeightCalibration?
    /// Every trial in the order run.
    public var trials: [SharpeningTrial]
    /// The winner.
    public var choice: SharpeningChoice
    /// Signal-to-noise of the score along the B grid of the chosen method (phenix's check on
    /// whether the score curve has a real peak); nil for methods without a B grid.
    public var scoreSignalToNoise: Double?
    /// Half-map FSC (half_map) or map–model FSC (model), when used.
    public var fsc: FSCCurve?
    /// Guinier plot of the whole map before sharpening.
    public var guinierBefore: GuinierCurve
    /// Guinier plot of the sharpened map.
    public var guinierAfter: GuinierCurve
    /// Local sharpening in cubes, when it ran (every method but half_map).
    public var local: LocalSharpeningReport?
    /// Local sharpening with the half_map method: half-map weights measured in soft windows
    /// and blended smoothly (`HalfMapSharpening`, local mode), when it ran.
    public var halfMapLocal: HalfMapSharpeningReport? = nil
    /// Things the user should know, one line each.
    public var warnings: [String]
    /// Hints about the parameters (a search grid that may be too narrow), one line each: they
    /// go with the section, not with the warnings at the top of a report.
    public var notes: [String]
}

/// What local sharpening did in each cube.
public struct LocalSharpeningReport: Sendable, Equatable, Codable {
    /// One cube.
    public struct Cube: Sendable, Equatable, Codable {
        /// Where it is.
        public var box: SubBox
        /// Its share of molecule (window-weighted envelope).
        public var moleculeShare: Double
        /// What was applied there.
        public var settings: SharpeningSettings
        /// The map B after sharpening there, for B methods (Å²).
        public var mapBAfter: Double?
        /// Its score.
        public var score: Double?
        /// True when the half maps expected the cube's best-scoring sharpening to correlate less
        /// well with the true map than the cube left unsharpened, which it then was.
        public var keptUnsharpened: Bool? = nil
    }

    /// Cube edge in voxels.
    public var edge: Int
    /// Distance between cube starts in voxels (half the edge: every voxel inside the lattice
    /// is covered by eight cubes whose weights add up to one).
    public var spacing: Int
    /// Cubes sharpened on their own; the rest of the map keeps the global sharpening.
    public var cubes: [Cube]
    /// Cubes skipped for holding too little molecule.
    public var skipped: Int
}

/// The sharpened map and the report.
public struct SharpeningOutput: Sendable {
    /// The sharpened map, on the input's grid.
    public var map: Volume
    /// Everything decided and measured.
    public var report: SharpeningReport
}
