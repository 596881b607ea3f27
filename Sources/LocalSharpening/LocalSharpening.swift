import Foundation
import LocalResolution
import MapbookCore
import MapModel

/// The local-sharpening protocol around LocalDeblur (Scipion's `XmippProtLocSharp`).
///
/// Preparation: the local-resolution map is checked against the map's grid, given a zero
/// background when it has none, and turned into the mask of valid resolution. Round t runs
/// LocalDeblur on the input (t = 1) or on round t − 1's output with the latest local-resolution
/// map; a user λ is used in round 1 only. Between rounds MonoRes re-estimates the local
/// resolution of the sharpened map (single-map mode, the preparation mask, low limit = the
/// current map's maximum, step 0.25 Å, significance 0.95). With `rounds` = −1 the loop ends
/// when |λ_t − λ_{t−1}| ≤ 0.2 (Scipion), or — before a round t + 1 is run on it — when the
/// re-estimated local resolution collapses: its median lies less than 0.75 Å above Nyquist
/// (Scipion's rule, on the median rather than the maximum), or it is finer than the first
/// round's map by more than `collapseTolerance`.
///
/// Why the second rule: the first round's map is half-map evidence (MonoRes on the half maps,
/// or a map imported for them); later maps are MonoRes on one sharpened map, where the boosted
/// noise reads as detail, so each round's estimate is finer than the last and the next round
/// sharpens further on the strength of it. Measured per round (CC with the truth inside the
/// mask, seed 1, 64³, defaults; the local-resolution median each round used):
///
/// | design | round 1 | 2 | 3 | 4 | 5 |
/// |---|---|---|---|---|---|
/// | helices, domains, B 20/200 Å², 3 Å | 0.864 | 0.871 | 0.858 | 0.837 | 0.810 |
/// | helices, radial, B 20/150 Å², 4 Å | 0.807 | 0.806 | 0.790 | 0.772 | 0.753 |
/// | helices, split, low-pass 3.5–6 Å, 4 Å | 0.819 | 0.796 | 0.764 | 0.730 | 0.695 |
/// | 5ME2, radial, B 20/150 Å², 4 Å | 0.742 | 0.749 | 0.746 | 0.740 | 0.731 |
///
/// The medians used fell each round (domains: 4.11, 3.61, 3.15, 2.47, 2.06 Å).
/// The re-estimate does not tell the good second rounds from the bad one (the first fell by
/// 0.5–1.5 Å on all of them), so a round runs only on a map the half maps support, and the map
/// returned is that of the last round run: never one sharpened on a collapsed estimate.
///
/// With the half maps of an average (`halves`), each round is also judged within: it returns
/// the iterate the halves expect to correlate best with the true map (`DeblurHalfMaps`), its
/// input included, so no round makes the map worse by that estimate, and automatic rounds
/// stop when a round keeps its input. The judge ranks the iterates as the truth does on
/// simulated designs (the kept iterate within 0.005 of the truth's best); on the harness's
/// anisotropic design it is what keeps LocalDeblur from scoring below the unsharpened map.
public enum LocalSharpening {
    /// Called after each round with its record, its sharpened map and the local-resolution map
    /// it used, so a caller can stage outputs without holding every round's map.
    public typealias RoundHandler = (_ round: LocalSharpeningRound, _ map: Volume, _ resolution: Volume) throws -> Void

    /// Runs the protocol on `map` with the local resolutions (Å) in `resolution`.
    ///
    /// - Parameters:
    ///   - origin: `.imported` for a map read from a file (the summary then carries a warning),
    ///     `.computed` when it was computed from this dataset.
    ///   - mask: optional region (binarised at 0.5) outside which the resolution map is ignored.
    ///   - globalResolution: the half-map FSC resolution (Å) when known; it decides whether K =
    ///     0.01 is advised. Without it the median local resolution stands in.
    ///   - halves: the two half maps when `map` is their average: every round then returns the
    ///     iterate the half maps expect to correlate best with the true map (`DeblurHalfMaps`),
    ///     so no round returns a map worse than its input by that estimate, and automatic
    ///     rounds stop when a round's best is its input.
    public static func run(map: Volume, resolution: Volume, origin: ResolutionMapOrigin, mask: Volume? = nil,
                           globalResolution: Double? = nil, halves: (Volume, Volume)? = nil,
                           parameters p: LocalSharpeningParameters = LocalSharpeningParameters(),
                           progress: ProgressReporter = .silent, onRound: RoundHandler? = nil) throws -> LocalSharpeningResult {
        let start = Date()
        try validate(p)
        try LocalDeblur.validate(p.deblur)
        let grid = map.grid
        var warnings: [String] = [], notes: [String] = []
        progress.step("Preparing the local-resolution map")
        var prepared = try ResolutionMapPreparation.prepare(resolution, for: grid, restrictTo: mask, warnings: &warnings)
        let preparationMask = prepared.mask
        if origin == .imported {
            warnings.append("the local-resolution map was imported, not computed here from this map's data: LocalDeblur takes it as given, so check that it belongs to this map, is in Å and has a zero background")
        }
        let k = p.deblur.k
        if !LocalSharpeningParameters.recommendedK.contains(k) {
            notes.append(String(format: "K = %g lies outside the recommended range 0.01–0.05", k))
        }
        let global = globalResolution ?? prepared.record.median
        let globalSource = globalResolution != nil ? "half-map FSC (0.143)" : "median local resolution (no half maps given)"
        if global > LocalSharpeningParameters.lowResolutionLimit && k != LocalSharpeningParameters.lowResolutionK {
            notes.append(String(format: "the map's resolution (%.2f Å, %@) is worse than 6 Å: K = 0.01 is recommended for such maps", global, globalSource))
        }
        for w in warnings + notes { progress.warn(w) }

        let nyquist = 2 * grid.voxelSize.max()
        // The half-map evidence later estimates are held to.
        let firstMedian = prepared.record.median
        var rounds: [LocalSharpeningRound] = []
        var maps: [Volume] = [prepared.resolution]
        var current = map
        var source = origin == .imported ? "imported" : "computed from this dataset"
        var stop = LocalSharpeningStop.roundsDone
        var tracked = halves.map { DeblurHalfMaps(half1: $0.0, half2: $0.1, mask: preparationMask) }
        var t = 0
        while true {
            t += 1
            let roundStart = Date()
            progress.step("Round \(t): LocalDeblur")
            var dp = p.deblur
            if t > 1 { dp.lambda = 1 }
            let (sharpened, record, track) = try LocalDeblur.run(map: current, resolution: prepared, parameters: dp, halves: tracked,
                                                                  progress: progress)
            tracked = track
            for w in record.warnings { progress.warn("round \(t): \(w)") }
            warnings += record.warnings.map { "round \(t): \($0)" }
            var round = LocalSharpeningRound(round: t, resolutionSource: source, deblur: record, reestimation: nil,
                                             reestimationSeconds: nil, seconds: 0)
            func finish() throws {
                round.seconds = Date().timeIntervalSince(roundStart)
                rounds.append(round)
                try onRound?(round, sharpened, prepared.resolution)
            }
            // Stop before re-estimating when this was the last round.
            if p.rounds > 0 && t >= p.rounds { stop = .roundsDone; try finish(); current = sharpened; break }
            if p.rounds < 0, let previous = rounds.last, abs(record.lambda - previous.deblur.lambda) <= p.lambdaTolerance {
                stop = .lambdaSettled; try finish(); current = sharpened; break
            }
            if p.rounds < 0 && record.keptIteration == 0 {
                stop = .noExpectedGain; try finish(); current = sharpened; break
            }
            if p.rounds < 0 && t >= p.maximumAutomaticRounds {
                stop = .roundCap
                notes.append("automatic rounds stopped at the cap of \(p.maximumAutomaticRounds) before λ settled")
                try finish(); current = sharpened; break
            }
            // MonoRes on the sharpened map, starting from the current map's coarsest value.
            let low = prepared.record.maximum
            guard low > nyquist + p.monoResStep else {
                stop = .reestimationImpossible
                warnings.append(String(format: "stopped after round %d: the local resolution (max %.2f Å) reached Nyquist (%.2f Å), so it cannot be re-estimated", t, low, nyquist))
                try finish(); current = sharpened; break
            }
            progress.step(String(format: "Round %d: MonoRes re-estimation from %.2f Å", t, low))
            let monoStart = Date()
            var mp = MonoResParameters()
            mp.lowResolution = low
            mp.step = p.monoResStep
            mp.significance = p.monoResSignificance
            let estimate: MonoResResult
            do {
                estimate = try MonoRes.run(half1: sharpened, half2: nil, mask: preparationMask, parameters: mp, progress: progress)
            } catch let e as MapbookError {
                stop = .reestimationImpossible
                warnings.append("stopped after round \(t): MonoRes could not re-estimate the local resolution of the sharpened map: \(e.problem)")
                try finish(); current = sharpened; break
            }
            round.reestimation = estimate.summary
            round.reestimationSeconds = Date().timeIntervalSince(monoStart)
            var ignored: [String] = []
            let next = try ResolutionMapPreparation.prepare(estimate.resolution, for: grid, warnings: &ignored)
            maps.append(next.resolution)
            try finish()
            if p.rounds < 0 && next.record.median - nyquist < p.narrowRangeLimit {
                stop = .narrowRange
                current = sharpened
                break
            }
            if p.rounds < 0 && next.record.median < firstMedian - p.collapseTolerance {
                stop = .resolutionCollapsed
                notes.append(String(format: "automatic rounds stopped after round %d: MonoRes on its sharpened map reads a median local resolution of %.2f Å, finer than the half-map evidence (%.2f Å), so another round would sharpen noise", t, next.record.median, firstMedian))
                current = sharpened
                break
            }
            current = sharpened
            prepared = next
            source = "MonoRes (single-map) on round \(t)'s sharpened map"
        }
        progress.step("Local sharpening: \(rounds.count) round\(rounds.count == 1 ? "" : "s"), \(stop.rawValue)")
        let summary = LocalSharpeningSummary(
            rounds: rounds, stopReason: stop, resolutionMapOrigin: origin, globalResolution: global,
            globalResolutionSource: globalSource, warnings: warnings, notes: notes, parameters: p, seconds: Date().timeIntervalSince(start))
        return LocalSharpeningResult(sharpened: current, resolutionMaps: maps, summary: summary)
    }

    static func validate(_ p: LocalSharpeningParameters) throws {
        // The declared ranges (iterations and the LocalDeblur group), then the internal settings.
        try p.validate()
        guard p.maximumAutomaticRounds >= 1 else { throw MapbookError("the cap on automatic rounds must be at least 1") }
        guard p.lambdaTolerance >= 0, p.narrowRangeLimit >= 0, p.collapseTolerance >= 0 else { throw MapbookError("the stopping tolerances must not be negative") }
    }
}
