import Foundation
import HalfMapSharpening
import MapbookCore
import MapModel

/// The half maps behind a LocalDeblur run on their average, and the half-1 map carried through
/// the same operations: from them the run estimates how well each iterate correlates with the
/// true map (`HalfMapJudge`: LocalDeblur's operator is linear once λ and the local resolutions
/// are fixed, the −4σ floor aside) and keeps the best (`LocalDeblur`).
public struct DeblurHalfMaps: Sendable {
    /// The judge, from the half maps.
    let judge: HalfMapJudge
    /// half1 after every operation applied so far to the average (before any: half1 itself).
    public var track: Volume

    /// The judge for a run on the average of `half1` and `half2`, the signal model fitted and
    /// the correlation taken inside `mask` (the local-resolution map's mask).
    public init(half1: Volume, half2: Volume, mask: Volume) {
        judge = HalfMapJudge(half1: half1, half2: half2, mask: mask)
        track = half1
    }

    /// Whether `map` is the average of `halves` to within float rounding (1e-5 of the largest
    /// magnitude): only then can the halves judge the iterates of a run on `map`.
    public static func isAverage(_ map: Volume, of halves: (Volume, Volume)) -> Bool {
        guard map.grid.mismatch(with: halves.0.grid) == nil, map.grid.mismatch(with: halves.1.grid) == nil else { return false }
        return map.voxels.withUnsafeBufferPointer { m in
            halves.0.voxels.withUnsafeBufferPointer { a in
                halves.1.voxels.withUnsafeBufferPointer { b in
                    var largest: Float = 0, worst: Float = 0
                    for i in 0..<m.count {
                        largest = max(largest, abs(m[i]))
                        worst = max(worst, abs(m[i] - 0.5 * (a[i] + b[i])))
                    }
                    return worst <= 1e-5 * largest
                }
            }
        }
    }

    /// The judge's estimate for the average's iterate `average` and the half-1 track `track`.
    func expectedCorrelation(average: Volume, track: Volume) -> Double? {
        judge.expectedCorrelation(average: average, half1: track)
    }
}
