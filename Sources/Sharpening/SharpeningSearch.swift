import Foundation
import MapbookCore

/// How the search over a method's parameters runs: a grid, then a refinement around its best
/// point. Defaults are phenix's (`search_b_min/max/n`), with a refinement phenix leaves off.
public struct SearchPlan: DeclaredParameters, Equatable {
    /// Lowest map B after sharpening on the B grid (Å²); widened to include the map's own B.
    @Parameter("search_b_min", unit: "Å²", "search: lowest map B after sharpening on the B grid (widened to include the map's own B)",
               source: "phenix.map_sharpening search_b_min")
    public var targetBMin = SharpeningDefaults.searchTargetBMin
    /// Highest map B after sharpening on the B grid (Å²); widened to include the map's own B.
    @Parameter("search_b_max", unit: "Å²", "search: highest map B after sharpening on the B grid (widened to include the map's own B)",
               source: "phenix.map_sharpening search_b_max")
    public var targetBMax = SharpeningDefaults.searchTargetBMax
    /// Points on the B grid.
    @Parameter("search_steps", .closed(2, 1000), "search: grid points on the B grid", source: "phenix.map_sharpening search_b_n")
    public var steps = SharpeningDefaults.searchSteps
    /// Refinement rounds after the grid: round r tries the best point ± step/2ʳ.
    @Parameter("refinement_levels", .closed(0, 10), "search: refinement rounds after the grid (round r tries the best point ± step/2^r)")
    public var refinementLevels = 3
    /// `resolution_dependent` grid: values of b0.
    public var b0Grid: [Double] = [-1, 0, 1]
    /// `resolution_dependent` grid: values of b1 − b0 (≤ 0: no boost from √2·d to d).
    public var b1DropGrid: [Double] = [0, -1, -2]
    /// `resolution_dependent` grid: values of b2 (≤ 0: no boost beyond d).
    public var b2Grid: [Double] = [0, -2, -4]
    /// `resolution_dependent` refinement steps (ln-scale units), one coordinate at a time.
    public var logScaleSteps: [Double] = [0.5, 0.25]

    /// phenix's defaults.
    public init() {}

    /// The B range must run from a lower to a higher B.
    public func validateTogether() throws {
        guard targetBMin < targetBMax else {
            throw ParameterProblem(key: "search_b_max", value: targetBMax.parameterText, "must be above search_b_min (\(targetBMin.parameterText) Å²)")
        }
    }
}

/// Runs trials on a `TrialBench` and keeps the table: reference, calibration, grids and
/// refinements of every method tried.
final class SharpeningSearch {
    let bench: TrialBench
    let target: SharpeningScoreTarget
    /// The scored region's own B (Å², positive = blurred).
    let mapB: Double
    /// The nominal resolution (Å).
    let resolution: Double
    let plan: SearchPlan
    /// `b_iso_to_d_cut` shape.
    let dCut: Double, kSharpen: Double, blur: Double
    /// Weight of the region count in the adjusted surface area.
    var regionWeight: Double
    /// The half maps' judge of the searched choice (`expectedWorseThanUnsharpened`); nil (no
    /// judge) without half maps.
    var expectation: ExpectedTruthCorrelation? {
        didSet { for i in trials.indices { trials[i].expectedCorrelation = expectedCorrelation(trials[i].settings) } }
    }
    private(set) var trials: [SharpeningTrial] = []

    init(bench: TrialBench, target: SharpeningScoreTarget, mapB: Double, resolution: Double, plan: SearchPlan,
         dCut: Double, kSharpen: Double, blur: Double, regionWeight: Double) {
        self.bench = bench
        self.target = target
        self.mapB = mapB
        self.resolution = resolution
        self.plan = plan
        self.dCut = dCut
        self.kSharpen = kSharpen
        self.blur = blur
        self.regionWeight = regionWeight
    }

    /// Measures `settings` (nil: the reference) and appends them to the table; returns their
    /// indices.
    @discardableResult
    func run(_ settings: [SharpeningSettings?], stage: SharpeningTrial.Stage) -> [Int] {
        let measured = bench.measure(settings)
        var indices: [Int] = []
        for (s, m) in zip(settings, measured) {
            let mapBAfter = s.flatMap { $0.bFactor }.map { mapB + $0 }
            let trial = SharpeningTrial(index: trials.count, stage: stage, settings: s, mapBAfter: mapBAfter,
                                        measurement: m, adjustedSurfaceArea: nil, score: nil,
                                        expectedCorrelation: expectedCorrelation(s))
            indices.append(trials.count)
            trials.append(trial)
        }
        rescore()
        return indices
    }

    /// Recomputes every trial's score with the current region weight.
    func rescore() {
        for i in trials.indices {
            trials[i].adjustedSurfaceArea = trials[i].measurement.adjustedSurfaceArea(regionWeight: regionWeight)
            trials[i].score = trials[i].measurement.score(target, regionWeight: regionWeight)
        }
    }

    /// The expected correlation of the map sharpened by `settings` (nil: the cut-off alone).
    func expectedCorrelation(_ settings: SharpeningSettings?) -> Double? {
        guard let expectation else { return nil }
        let s = settings ?? .bIso(0)
        return expectation.correlation(s.radialFactor(cutoff: bench.cutoff, whitening: s.whitens ? bench.whitening : nil))
    }

    /// Whether the half maps expect trial `i`'s map to correlate with the true map less well
    /// than the unsharpened map. Only trials the search tried (grid and refinement) are judged:
    /// given or fixed parameters are applied as asked. False without half maps.
    func expectedWorseThanUnsharpened(_ i: Int) -> Bool {
        let t = trials[i]
        guard t.stage == .grid || t.stage == .refinement, let expectation, let e = t.expectedCorrelation else { return false }
        return e < expectation.unsharpened
    }

    /// The best of `indices`: the highest score, the earlier one on a tie (as phenix keeps the
    /// earlier, more sharpened grid point). Nil when none has a score.
    func best(of indices: [Int]) -> Int? {
        var winner: Int? = nil
        for i in indices {
            guard let s = trials[i].score else { continue }
            if let w = winner, let ws = trials[w].score, !(s > ws) { continue }
            winner = i
        }
        return winner
    }

    /// The settings that take the map to a B of `mapBAfter` with `method` (`b_iso` or
    /// `b_iso_to_d_cut`).
    func settings(_ method: SharpeningMethod, mapBAfter: Double) -> SharpeningSettings {
        let applied = mapBAfter - mapB
        if method == .bIso { return .bIso(applied) }
        return .bIsoToDCut(applied, dCut: dCut, kSharpen: kSharpen, blur: blur, method: method)
    }

    /// Calibrates the region weight with three `b_iso_to_d_cut` trials and rescores.
    func calibrateRegionWeight() -> RegionWeightCalibration {
        let targets = RegionWeightCalibration.mapBTargets(mapB: mapB, low: plan.targetBMin, high: plan.targetBMax)
        let indices = run(targets.map { settings(.bIsoToDCut, mapBAfter: $0) }, stage: .calibration)
        let calibration = RegionWeightCalibration(mapBAfter: targets, measurements: indices.map { trials[$0].measurement })
        regionWeight = calibration.weight
        rescore()
        return calibration
    }

    /// Grid over the map B after sharpening, then refinement around the best point. Returns
    /// the index of the best trial of the method.
    func searchB(_ method: SharpeningMethod) -> Int? {
        let lo = min(mapB, plan.targetBMin), hi = max(mapB, plan.targetBMax)
        let step = (hi - lo) / Double(plan.steps - 1)
        let grid = (0..<plan.steps).map { lo + Double($0) * step }
        let tried = run(grid.map { settings(method, mapBAfter: $0) }, stage: .grid)
        guard var best = best(of: tried) else { return nil }
        for level in 0..<plan.refinementLevels {
            let h = step / Double(1 << (level + 1))
            let centre = trials[best].mapBAfter!
            let indices = run([centre - h, centre + h].map { settings(method, mapBAfter: $0) }, stage: .refinement)
            best = self.best(of: [best] + indices)!
        }
        return best
    }

    /// `resolution_dependent`: a grid over (b0, b1 − b0, b2), then coordinate steps that keep
    /// b1 ≤ b0 and b2 ≤ 0 (phenix penalises breaking either; here they are bounds).
    func searchResolutionDependent() -> Int? {
        var grid: [SharpeningSettings?] = []
        for b0 in plan.b0Grid {
            for drop in plan.b1DropGrid {
                for b2 in plan.b2Grid {
                    grid.append(.resolutionDependent(b0: b0, b1: b0 + min(0, drop), b2: min(0, b2), resolution: resolution))
                }
            }
        }
        let tried = run(grid, stage: .grid)
        guard var best = best(of: tried) else { return nil }
        for step in plan.logScaleSteps {
            for coordinate in 0..<3 {
                let s = trials[best].settings!
                var candidates: [SharpeningSettings?] = []
                for sign in [-1.0, 1.0] {
                    var p = [s.b0!, s.b1!, s.b2!]
                    p[coordinate] += sign * step
                    guard p[1] <= p[0] + 1e-12, p[2] <= 1e-12 else { continue }
                    candidates.append(.resolutionDependent(b0: p[0], b1: p[1], b2: p[2], resolution: resolution))
                }
                best = self.best(of: [best] + run(candidates, stage: .refinement))!
            }
        }
        return best
    }

    /// Signal-to-noise of a score curve (cctbx `estimate_signal_to_noise`): the rise of the
    /// best point over the better end, against the rms scatter of each point about the mean of
    /// its ±2 neighbours. Nil for fewer than five points or a flat curve.
    static func signalToNoise(_ scores: [Double]) -> Double? {
        guard scores.count >= 5 else { return nil }
        var sum2 = 0.0, n = 0
        for i in 2..<(scores.count - 2) {
            let neighbours = (scores[i - 2] + scores[i - 1] + scores[i + 1] + scores[i + 2]) / 4
            sum2 += (scores[i] - neighbours) * (scores[i] - neighbours)
            n += 1
        }
        let noise = (sum2 / Double(n)).squareRoot()
        let signal = scores.max()! - max(scores.first!, scores.last!)
        guard noise > 0 else { return signal > 0 ? .infinity : nil }
        return signal / noise
    }
}
