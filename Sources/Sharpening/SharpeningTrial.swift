import Foundation

/// One sharpened version of the scored region and how it measured.
public struct SharpeningTrial: Sendable, Equatable, Codable {
    /// Why the trial was run.
    public enum Stage: String, Sendable, Codable {
        /// The map with only the resolution cut-off: the score to beat.
        case reference
        /// One of the three maps that calibrate the region weight.
        case calibration
        /// A point of the search grid.
        case grid
        /// A point tried while refining the best grid point.
        case refinement
        /// Parameters given by the user, or fixed by the method (target B, half maps, model).
        case fixed
    }

    /// Position in the trial table (0-based).
    public var index: Int
    /// Why it was run.
    public var stage: Stage
    /// What was applied; nil for the reference.
    public var settings: SharpeningSettings?
    /// For B methods, the map's B after sharpening (the map's own B plus the applied B, Å²):
    /// phenix's target b_iso.
    public var mapBAfter: Double?
    /// The measurements.
    public var measurement: ClarityMeasurement
    /// Adjusted surface area with the region weight in force.
    public var adjustedSurfaceArea: Double?
    /// The score the search ranked by (adjusted surface area or kurtosis).
    public var score: Double?
    /// The whole map's expected correlation with the true map after this trial's factor
    /// (`ExpectedTruthCorrelation`); nil without half maps.
    public var expectedCorrelation: Double? = nil
}
