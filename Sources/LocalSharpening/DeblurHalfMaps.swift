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

/// One LocalDeblur run's iterates as the half maps judge them: half 1 stepped alongside the
/// average with the same λ and floor, each iterate's expectation, and the best so far
/// (iteration 0: the input).
struct DeblurIterateJudge {
    /// The judge, with half 1 as it entered the run.
    let halves: DeblurHalfMaps
    /// Half 1 at the current iterate.
    var track: Volume
    /// The expectation of every iterate so far, from the input.
    var expected: [Double]
    /// The best iterate so far: its number, expectation, the average's map and half 1's.
    var best: (iteration: Int, value: Double, map: Volume, track: Volume)

    /// The judge of a run starting from `input` (the average, or its tracked successor); nil
    /// when the halves share too little signal to judge.
    init?(_ halves: DeblurHalfMaps, input: Volume) {
        guard let e = halves.expectedCorrelation(average: input, track: halves.track) else { return nil }
        self.halves = halves
        track = halves.track
        expected = [e]
        best = (0, e, input, halves.track)
    }

    /// Steps half 1 as the average was stepped (V¹ += λ·H[V¹_0 − H V¹], floored), with
    /// `x` and `difference` as scratch, and judges the average's new iterate `average`.
    mutating func step(_ iteration: Int, average: Volume, operator op: DeblurOperator, lambda: Float, floor: Float?,
                       scratch x: inout Volume, _ difference: inout Volume) {
        op.apply(track, into: &x)
        LocalDeblur.subtract(halves.track, x, into: &difference)
        op.apply(difference, into: &x)
        _ = LocalDeblur.update(&track, step: x, lambda: lambda, floor: floor)
        let e = halves.expectedCorrelation(average: average, track: track) ?? -.infinity
        expected.append(e)
        if e > best.value { best = (iteration, e, average, track) }
    }

    /// The judge for the next run: half 1 at the best iterate.
    var next: DeblurHalfMaps {
        var h = halves
        h.track = best.track
        return h
    }
}
