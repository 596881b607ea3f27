import Foundation
import FourierEngine
import HalfMapSharpening
import MapbookCore
import MapModel
import ModelMaps

/// The maps and facts an automatic sharpening starts from.
public struct SharpeningInputs: Sendable {
    /// The map to sharpen (unmasked, unsharpened).
    public var map: Volume
    /// Two half maps on the map's grid (`half_map`).
    public var halfMaps: (Volume, Volume)?
    /// An atomic model placed on the map (`model`).
    public var model: AtomicModel?
    /// The expected molecular volume; nil estimates it from the map.
    public var molecularVolume: MolecularVolume?
    /// The map's header labels (already-processed maps are refused).
    public var labels: [String]
    /// The map's path, for messages.
    public var mapPath: String?

    /// Inputs for sharpening `map` alone.
    public init(map: Volume, halfMaps: (Volume, Volume)? = nil, model: AtomicModel? = nil,
                molecularVolume: MolecularVolume? = nil, labels: [String] = [], mapPath: String? = nil) {
        self.map = map
        self.halfMaps = halfMaps
        self.model = model
        self.molecularVolume = molecularVolume
        self.labels = labels
        self.mapPath = mapPath
    }
}

/// Automatic map sharpening as phenix.map_sharpening / auto_sharpen does it (Terwilliger et
/// al. 2018): try resolution-dependent amplitude functions on a box of density, keep the one
/// whose map is clearest — the highest adjusted surface area (detail and connectivity), or
/// kurtosis — and apply it to the whole map.
public enum AutoSharpen {
    /// Runs the whole procedure: guards, envelope and molecular volume, box, map B, region
    /// weight calibration, the search of every method, the whole-map sharpening and, if asked,
    /// local sharpening.
    /// No method named: the methods implied by the inputs (`SharpeningParameters.methods(halfMaps:model:)`).
    public static func run(_ inputs: SharpeningInputs, parameters given: SharpeningParameters,
                           progress: ProgressReporter = .silent) throws -> SharpeningOutput {
        let p = given.resolved(halfMaps: inputs.halfMaps != nil, model: inputs.model != nil)
        var warnings = try checkInputs(inputs, parameters: p)
        let map = inputs.map
        let grid = map.grid

        progress.step("Fourier transform of the map")
        let shells = FourierShells(grid: grid)
        var spectrum = FFT.forward(map)
        let guinierBefore = GuinierCurve(meanAmplitude: shells.meanAmplitude(spectrum), shells: shells)

        progress.step("Molecular envelope (local variance over \(String(format: "%.1f", 2 * p.resolution)) Å)")
        let molecule = MoleculeFacts(map, given: inputs.molecularVolume, halfMaps: inputs.halfMaps, resolution: p.resolution, warnings: &warnings)
        let scoring = ScoringSetup(map, molecule: molecule, parameters: p, warnings: &warnings, progress: progress)
        let scales = try WholeMapScales(inputs, spectrum: spectrum, envelope: molecule.envelope, molecularVolume: molecule.volume.volume, shells: shells,
                                        parameters: p, progress: progress)
        scoring.search.expectation = scales.expectation
        var notes: [String] = []
        let chosen = try chooseTrial(scoring, derived: scales.derived, parameters: p, mapPath: inputs.mapPath,
                                     notes: &notes, progress: progress)

        // Left unsharpened: only the coefficients beyond Nyquist go, as in every filter here.
        progress.step(chosen.keptUnsharpened ? "Leaving the map unsharpened" : "Sharpening the whole map: \(chosen.settings.method.rawValue), \(chosen.settings.summary)")
        chosen.settings.apply(to: &spectrum, shells: shells, cutoff: chosen.keptUnsharpened ? nil : scoring.cutoff)
        var guinierAfter = GuinierCurve(meanAmplitude: shells.meanAmplitude(spectrum), shells: shells)
        var sharpened = FFT.backward(consume spectrum)
        var localReport: LocalSharpeningReport? = nil
        var halfMapLocal: HalfMapSharpeningReport? = nil
        if let local = p.local, chosen.searchedMethod == .halfMap, let (h1, h2) = inputs.halfMaps {
            // Half-map weights measured in soft windows and blended (phenix.local_aniso_sharpen's
            // approach): on the harness designs it beats the same weights per cube by 0.01–0.06
            // in CC with the truth, and cubes scored below the unsharpened map on two of them.
            progress.step("Local half-map sharpening")
            var hp = HalfMapSharpeningParameters()
            hp.mode = .local
            hp.window = local.boxEdge
            let result = try HalfMapSharpening.sharpen(map: map, half1: h1, half2: h2, mask: scales.envelopeMask, parameters: hp, progress: progress)
            sharpened = result.map
            halfMapLocal = result.report
            guinierAfter = GuinierCurve(meanAmplitude: shells.meanAmplitude(FFT.forward(sharpened)), shells: shells)
        } else if let local = p.local {
            progress.step("Local sharpening")
            let result = try CubeSharpening.run(map: map, global: sharpened, inputs: inputs, modelMap: scales.modelMap,
                                                 envelope: molecule.envelope, molecule: molecule.volume, method: chosen.searchedMethod,
                                                 maskedHalves: scales.maskedHalves,
                                                 regionWeight: scoring.search.regionWeight, parameters: p, local: local,
                                                 cutoff: scoring.cutoff, progress: progress)
            sharpened = result.map
            localReport = result.report
            guinierAfter = GuinierCurve(meanAmplitude: shells.meanAmplitude(FFT.forward(sharpened)), shells: shells)
        }

        let report = SharpeningReport(
            parameters: p, grid: grid, cutoff: scoring.cutoff, molecularVolume: molecule.volume,
            envelopeFraction: Double(molecule.insideAll) / Double(grid.count), region: scoring.region, mapBFactor: scoring.mapB,
            regionWeight: scoring.search.regionWeight, regionWeightSource: scoring.weightSource, calibration: scoring.calibration,
            trials: chosen.trials, choice: choice(chosen, scoring: scoring, target: p.scoreTarget),
            scoreSignalToNoise: chosen.curve.flatMap { SharpeningSearch.signalToNoise($0.compactMap(\.score)) },
            fsc: scales.fsc, guinierBefore: guinierBefore, guinierAfter: guinierAfter, local: localReport, halfMapLocal: halfMapLocal,
            warnings: warnings, notes: notes)
        progress.step("Sharpening done: \(report.choice.reason)")
        return SharpeningOutput(map: sharpened, report: report)
    }

    /// The guards' warnings, after checking that the map may be sharpened and that each
    /// method has the maps it needs on the map's grid.
    static func checkInputs(_ inputs: SharpeningInputs, parameters p: SharpeningParameters) throws -> [String] {
        try p.validate()
        try p.validateResolution()
        let grid = inputs.map.grid
        let warnings = try SharpeningGuards.check(inputs.map, labels: inputs.labels, resolution: p.resolution, force: p.force,
                                                  path: inputs.mapPath)
        if p.methods.contains(.halfMap) && inputs.halfMaps == nil {
            throw ParameterProblem(key: "method", value: SharpeningMethod.halfMap.rawValue, "needs two half maps")
        }
        if p.methods.contains(.model) && inputs.model == nil {
            throw ParameterProblem(key: "method", value: SharpeningMethod.model.rawValue, "needs an atomic model")
        }
        if let (h1, h2) = inputs.halfMaps {
            for h in [h1, h2] {
                if let why = grid.mismatch(with: h.grid) { throw MapbookError("a half map is not on the map's grid: \(why)") }
            }
        }
        if case .given(let box) = p.box, let why = box.problem(in: grid) { throw ParameterProblem(key: "box", value: p.box.parameterText, why) }
        return warnings
    }

    /// The molecule as the map shows it: its envelope and the molecular volume.
    struct MoleculeFacts {
        let envelope: MoleculeEnvelope
        /// Voxels inside the envelope.
        let insideAll: Int
        /// The volume of one voxel (Å³).
        let voxelVolume: Double
        /// The expected molecular volume: given, else the half maps' signal's, else the envelope's.
        let volume: MolecularVolume

        /// The facts of `map`, with a warning when the molecular volume fills the whole box.
        init(_ map: Volume, given: MolecularVolume?, halfMaps: (Volume, Volume)?, resolution: Double, warnings: inout [String]) {
            let grid = map.grid
            envelope = MoleculeEnvelope.of(map, resolution: resolution)
            voxelVolume = grid.voxelVolume
            insideAll = envelope.insideCount
            if let given {
                volume = given
            } else if let (h1, h2) = halfMaps {
                volume = MolecularVolume(source: .halfMaps, volume: MoleculeEnvelope.signalVolume(half1: h1, half2: h2, resolution: resolution))
            } else {
                volume = MolecularVolume(source: .map, volume: Double(insideAll) * voxelVolume)
            }
            let mapVolume = Double(grid.count) * voxelVolume
            if volume.volume >= mapVolume {
                warnings.append(String(format: "the expected molecular volume (%.0f Å³) fills the whole box (%.0f Å³); the contour is placed for a solvent fraction of 1 %%", volume.volume, mapVolume))
            }
        }
    }

    /// The trial chosen among every method's best, with the trial table it was chosen from.
    struct ChosenTrial {
        /// Its index in `trials`.
        let index: Int
        let trials: [SharpeningTrial]
        /// What it applies.
        let settings: SharpeningSettings
        /// For B methods, the score against map B of the chosen method's grid (`bCurve`).
        let curve: [(mapB: Double, score: Double?)]?
        /// The half maps expected the best-scoring searched sharpening to correlate worse with the
        /// true map than the map itself: `index` is the reference trial, and the map is left
        /// unsharpened (no cut-off either).
        var keptUnsharpened = false
        /// The method whose trial scored best (local sharpening searches it in each cube).
        var searchedMethod: SharpeningMethod { bestScoringMethod ?? settings.method }
        /// When the map was left unsharpened, the method of the trial the guard set aside.
        var bestScoringMethod: SharpeningMethod? = nil

        var trial: SharpeningTrial { trials[index] }
    }

    /// Tries every method on the scoring bench and keeps the best trial; warns when its map B
    /// lies at an end of the search grid. Releases the bench's buffers.
    static func chooseTrial(_ scoring: ScoringSetup, derived: [SharpeningMethod: SharpeningSettings], parameters p: SharpeningParameters,
                            mapPath: String?, notes: inout [String], progress: ProgressReporter) throws -> ChosenTrial {
        var winners: [Int] = []
        for method in p.methods {
            progress.step("Trying \(method.rawValue)")
            if let w = bestTrial(method, search: scoring.search, parameters: p, derived: derived) { winners.append(w) }
        }
        guard let index = scoring.search.best(of: winners) else {
            throw MapbookError("no sharpened map could be scored: no region lies above the contour (is the map constant?)", path: mapPath)
        }
        scoring.bench.releaseBuffers()
        let trials = scoring.search.trials
        if scoring.search.expectedWorseThanUnsharpened(index), let expectation = scoring.search.expectation {
            // phenix's discard_if_worse, judged by the half maps rather than by the clarity score
            // (which ranks sharpened noise as detail).
            notes.append(String(format: "the best-scoring sharpening (%@, %@) was expected, from the half maps, to correlate less well with the true map (%.4f) than the unsharpened map (%.4f); the map is left unsharpened",
                                trials[index].settings!.method.rawValue, trials[index].settings!.summary, trials[index].expectedCorrelation!, expectation.unsharpened))
            return ChosenTrial(index: scoring.reference, trials: trials, settings: .bIso(0), curve: nil, keptUnsharpened: true,
                               bestScoringMethod: trials[index].settings!.method)
        }
        let winner = trials[index]
        let settings = winner.settings!
        let curve = bCurve(trials, method: settings.method)
        if let curve, let first = curve.first, let last = curve.last, winner.stage != .fixed,
           winner.mapBAfter == first.mapB || winner.mapBAfter == last.mapB {
            notes.append(String(format: "the best map B (%.0f Å²) lies at the end of the search grid; the optimum may lie beyond it (widen search_b_min / search_b_max)", winner.mapBAfter!))
        }
        return ChosenTrial(index: index, trials: trials, settings: settings, curve: curve)
    }

    /// The report's account of the chosen trial, with the reason in a sentence.
    static func choice(_ chosen: ChosenTrial, scoring: ScoringSetup, target: SharpeningScoreTarget) -> SharpeningChoice {
        let winner = chosen.trial
        let bar = scoring.search.expectation?.unsharpened
        let why = chosen.keptUnsharpened
            ? String(format: "left unsharpened: the half maps expected the best-scoring sharpening to correlate less well with the true map than the unsharpened map (expected correlation %.4f; see the notes)", bar ?? .nan)
            : reason(winner, trials: chosen.trials, target: target, mapB: scoring.mapB.bFactor,
                     weight: scoring.search.regionWeight, weightSource: scoring.weightSource, region: scoring.region)
        return SharpeningChoice(trial: chosen.index, settings: chosen.settings, score: winner.score!, mapBAfter: winner.mapBAfter,
                                referenceScore: chosen.trials[scoring.reference].score, reason: why,
                                expectedCorrelation: chosen.keptUnsharpened ? bar : winner.expectedCorrelation,
                                unsharpenedExpectedCorrelation: bar, keptUnsharpened: chosen.keptUnsharpened)
    }

    /// Applies `settings` (and the resolution cut-off for `resolution`) to `map`: the same
    /// operation the search scores, without a search.
    public static func apply(_ settings: SharpeningSettings, to map: Volume, resolution: Double) throws -> Volume {
        try settings.validate()
        let shells = FourierShells(grid: map.grid)
        var spectrum = FFT.forward(map)
        settings.apply(to: &spectrum, shells: shells, cutoff: SharpeningCutoff(nominalResolution: resolution, grid: map.grid))
        return FFT.backward(consume spectrum)
    }

    /// Whether `method` needs a search with these parameters.
    static func needsSearch(_ method: SharpeningMethod, _ p: SharpeningParameters) -> Bool {
        switch method {
        case .bIso, .bIsoToDCut: return p.bFactor == nil
        case .resolutionDependent: return p.resolutionDependent == nil
        case .targetBIso, .halfMap, .model: return false
        }
    }

    /// Runs `method` on the search's bench — its grid and refinement, or its one fixed trial —
    /// and returns its best trial.
    static func bestTrial(_ method: SharpeningMethod, search: SharpeningSearch, parameters p: SharpeningParameters,
                          derived: [SharpeningMethod: SharpeningSettings]) -> Int? {
        switch method {
        case .bIso, .bIsoToDCut:
            if let b = p.bFactor {
                return search.run([search.settings(method, mapBAfter: search.mapB + b)], stage: .fixed)[0]
            }
            return search.searchB(method)
        case .resolutionDependent:
            if let r = p.resolutionDependent {
                return search.run([.resolutionDependent(b0: r[0], b1: r[1], b2: r[2], resolution: p.resolution)], stage: .fixed)[0]
            }
            return search.searchResolutionDependent()
        case .targetBIso:
            let target = p.targetBIsoRatio * p.resolution * p.resolution
            return search.run([search.settings(.targetBIso, mapBAfter: target)], stage: .fixed)[0]
        case .halfMap, .model:
            guard let s = derived[method] else { return nil }
            return search.run([s], stage: .fixed)[0]
        }
    }

    /// The region to score and how many voxels its contour encloses.
    static func scoredRegion(_ choice: BoxChoice, envelope: MoleculeEnvelope, molecule: MolecularVolume, insideAll: Int,
                             enclosedFraction: Double, voxelVolume: Double) -> ScoredRegion {
        let grid = envelope.localVariance.grid
        let box: SubBox, how: String
        switch choice {
        case .wholeMap: box = .whole(grid); how = "whole map (box: whole)"
        case .given(let b): box = b; how = "given box"
        case .automatic:
            if let b = SubBox.aroundDensity(envelope) { box = b; how = "automatic box of density" }
            else { box = .whole(grid); how = "whole map (the box of density would hold more than half of it)" }
        }
        let share = insideAll > 0 ? Double(envelope.insideCount(in: box)) / Double(insideAll) : Double(box.count) / Double(grid.count)
        let moleculeInBox = molecule.volume * share
        let solvent = molecule.solventFraction(boxVolume: Double(box.count) * voxelVolume, moleculeVolume: moleculeInBox)
        let enclosed = max(1, Int((enclosedFraction * (1 - solvent) * Double(box.count)).rounded()))
        return ScoredRegion(how: how, box: box, fractionOfMap: Double(box.count) / Double(grid.count),
                            moleculeVolume: moleculeInBox, solventFraction: solvent, enclosedVoxels: enclosed)
    }

    /// The grid and refinement trials of a B method, ordered by map B (for the score curve).
    static func bCurve(_ trials: [SharpeningTrial], method: SharpeningMethod) -> [(mapB: Double, score: Double?)]? {
        guard method == .bIso || method == .bIsoToDCut else { return nil }
        let points = trials.filter { $0.stage == .grid && $0.settings?.method == method }.map { ($0.mapBAfter!, $0.score) }
        return points.isEmpty ? nil : points.sorted { $0.0 < $1.0 }
    }

    /// One sentence on the choice.
    static func reason(_ winner: SharpeningTrial, trials: [SharpeningTrial], target: SharpeningScoreTarget, mapB: Double,
                       weight: Double, weightSource: String, region: ScoredRegion) -> String {
        let s = winner.settings!
        let what = target == .adjustedSurfaceArea ? "adjusted surface area" : "kurtosis"
        var text = "\(s.method.rawValue) (\(s.summary))"
        if let after = winner.mapBAfter { text += String(format: ", map B %.1f → %.1f Å²", mapB, after) }
        let scored = trials.filter { $0.score != nil }.count
        text += String(format: ": the highest %@, %.4f, of %d scored trials on the %@", what, winner.score!, scored, region.how)
        if let ref = trials.first(where: { $0.stage == .reference })?.score {
            text += String(format: " (unsharpened %.4f)", ref)
        }
        if target == .adjustedSurfaceArea { text += String(format: "; region weight %.2f, %@", weight, weightSource) }
        if winner.stage == .fixed { text += "; no search: the method's parameters were given or fixed" }
        return text
    }
}
