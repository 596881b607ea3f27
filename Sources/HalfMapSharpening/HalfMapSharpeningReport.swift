import Foundation
import FourierEngine
import MapModel

/// What half-map sharpening measured and applied.
public struct HalfMapSharpeningReport: Sendable, Codable {
    /// The mode asked for.
    public var mode: HalfMapSharpeningMode
    /// The weights applied: global or local (auto resolved).
    public var applied: HalfMapSharpeningMode
    /// Why auto chose what it applied, in a sentence; nil unless the mode is auto.
    public var reason: String?
    /// The target's envelope B (Å²).
    public var targetBFactor: Double
    /// The half-map FSC over the masked map.
    public var fsc: FSCCurve
    /// Its 0.143 resolution (Å), nil when undefined.
    public var resolution: Double?
    /// The signal's fall-off fitted over the masked map; nil when no shell past 10 Å holds signal.
    public var signal: SignalModel?
    /// The global weight per shell (on `fsc`'s frequencies).
    public var shellWeights: [Double]
    /// Local mode: window diameter (Å).
    public var windowDiameter: Double?
    /// Local mode: lattice centres in all.
    public var windows: Int?
    /// Local mode: windows over the molecule, with their own statistics.
    public var measuredWindows: Int?
    /// Local mode: windows whose own signal fall-off could be fitted.
    public var fittedWindows: Int?
    /// Local mode: 5th, 50th and 95th percentiles of the fitted local envelope B (Å²).
    public var localBFactorPercentiles: [Double]?
    /// Anisotropic mode: the smallest and largest fitted envelope B over directions (Å²).
    public var directionalBFactorRange: [Double]?
    /// Warnings and hints, one sentence each.
    public var notes: [String]
}

/// The sharpened map with its report.
public struct HalfMapSharpeningResult: Sendable {
    /// The sharpened average of the half maps (unmasked).
    public var map: Volume
    /// What was measured and applied.
    public var report: HalfMapSharpeningReport
}

extension HalfMapSharpeningReport {
    /// The local mode's windows in one phrase, for summaries; nil when no windows were used.
    public var windowsSummary: String? {
        guard let d = windowDiameter, let n = windows else { return nil }
        return String(format: "half-map weights measured in %d of %d soft windows of %.0f Å (%d with their own fall-off), blended smoothly",
                      measuredWindows ?? 0, n, d, fittedWindows ?? 0)
    }
}
