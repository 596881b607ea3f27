import Foundation

/// The region weight of the adjusted surface area, calibrated on the map itself (cctbx
/// `run_auto_sharpen`, `adjust_region_weight`, method `delta_ratio`).
///
/// Three sharpenings — strong (index 0), weak (1) and in between (2) — are measured. The weight
/// is the ratio of the surface gained to the regions gained from weak to strong sharpening, kept
/// within the bounds that make the middle one score best, so the search neither runs to the
/// sharpest nor to the most blurred end.
public struct RegionWeightCalibration: Sendable, Equatable, Codable {
    /// How the calibration ended.
    public enum Outcome: String, Sendable, Codable {
        /// The delta ratio lay within its bounds.
        case calibrated
        /// The delta ratio was clamped to a bound.
        case clamped
        /// The bounds crossed, so the delta ratio was used unclamped.
        case boundsCrossed = "bounds-crossed"
        /// The measurements could not give a weight (fewer regions or less surface with
        /// sharpening); the fallback weight was used.
        case failed
    }

    /// Map B after sharpening (Å²) of the strong, weak and middle trials.
    public var mapBAfter: [Double]
    /// Surface ratio of each.
    public var surfaceRatio: [Double]
    /// Normalised region count of each.
    public var normalizedRegions: [Double]
    /// (sa₀ − sa₁)/(nr₀ − nr₁): surface gained per region gained.
    public var deltaRatio: Double?
    /// Lower bound: the middle trial beats the strong one above it.
    public var minimumWeight: Double?
    /// Upper bound: the middle trial beats the weak one below it.
    public var maximumWeight: Double?
    /// The weight in use.
    public var weight: Double
    /// How it was reached.
    public var outcome: Outcome

    /// Share of the gap between the bounds by which each bound is moved inwards.
    public static let buffer = 0.1

    /// Calibrates from the three measurements (strong, weak, middle sharpening).
    public init(mapBAfter: [Double], measurements m: [ClarityMeasurement], factor: Double = 1,
                fallback: Double = SharpeningDefaults.fallbackRegionWeight) {
        precondition(m.count == 3, "three calibration trials")
        self.mapBAfter = mapBAfter
        let sa = m.map(\.surfaceRatio), nr = m.map(\.normalizedRegions)
        surfaceRatio = sa
        normalizedRegions = nr
        let dSA = sa[0] - sa[1], dNR = nr[0] - nr[1]
        guard m.allSatisfy({ $0.regions > 0 }), dSA >= 0, dNR > 0 else {
            weight = fallback
            outcome = .failed
            return
        }
        let delta = factor * dSA / dNR
        deltaRatio = delta
        func ratio(_ num: Double, _ den: Double) -> Double { max(1e-10, num / max(0.001, den)) }
        var high = ratio(sa[2] - sa[1], nr[2] - nr[1])
        var low = ratio(sa[0] - sa[2], nr[0] - nr[2])
        let gap = high - low
        low += Self.buffer * gap
        high -= Self.buffer * gap
        minimumWeight = low
        maximumWeight = high
        if low >= high {
            weight = delta
            outcome = .boundsCrossed
        } else if delta < low || delta > high {
            weight = min(high, max(low, delta))
            outcome = .clamped
        } else {
            weight = delta
            outcome = .calibrated
        }
    }

    /// The three map Bs after sharpening that calibrate a map whose own B is `mapB`:
    /// min(B, −100), max(B, 300) and 3/8 of the way between (Å²).
    public static func mapBTargets(mapB: Double, low: Double = SharpeningDefaults.searchTargetBMin,
                                   high: Double = SharpeningDefaults.searchTargetBMax) -> [Double] {
        let lo = min(mapB, low), hi = max(mapB, high)
        return [lo, hi, lo + 0.375 * (hi - lo)]
    }
}
