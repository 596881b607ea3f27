import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Per-shell numbers density modification reads: the Nyquist band, smoothing of
/// sparse shells.
extension DensityModification {
    static func gain(_ before: ResolutionEstimate, _ after: ResolutionEstimate) -> Double {
        let a = before.interpolatedResolution, b = after.interpolatedResolution
        return a.isFinite && b.isFinite ? a - b : .nan
    }

    /// Shell 0 holds only the DC term; as RELION, it is set to 1 when it comes out ≤ 0.
    static func withShellZero(_ c: FSCCurve) -> FSCCurve {
        var c = c
        if c.shellCount > 0, !(c.fsc[0] > 0) { c.fsc[0] = 1 }
        return c
    }

    static func mean(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { 0.5 * ($0 + $1) } }

    /// Shells from this fraction of the Nyquist shell outwards keep the original maps.
    static let nyquistBand = 0.95

    /// Shells holding fewer coefficients than this are smoothed (see `smoothed`).
    static let sparseShellCoefficients = 300.0

    /// A running mean over three shells, only where a shell holds fewer than
    /// `sparseShellCoefficients` coefficients (the lowest shells of a small box), so that a few
    /// coefficients do not make the weights jump; NaN values are left out. Other shells keep
    /// their own value: the true correlation of one shell follows that shell's own FSCs, and a
    /// running mean would move the prediction off it where the curves bend.
    static func smoothed(_ v: [Double], counts: [Double]) -> [Double] {
        var out = v
        guard v.count > 3 else { return out }
        for i in 2..<(v.count - 1) where counts[i] < sparseShellCoefficients {
            let window = [v[i - 1], v[i], v[i + 1]].filter(\.isFinite)
            out[i] = window.isEmpty ? .nan : window.reduce(0, +) / Double(window.count)
        }
        return out
    }
}
