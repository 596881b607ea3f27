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

    /// The judge's estimate for the average's iterate `average` and the half-1 track `track`.
    func expectedCorrelation(average: Volume, track: Volume) -> Double? {
        judge.expectedCorrelation(average: average, half1: track)
    }
}
