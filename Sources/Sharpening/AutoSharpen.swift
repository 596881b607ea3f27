import Foundation
import FourierEngine
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
    public static func run(_ inputs: SharpeningInputs, parameters p: SharpeningParameters,
                           progress: ProgressReporter = .silent) throws -> SharpeningOutput {
        try p.validate()
        let map = inputs.map
        let grid = map.grid
        var warnings = try SharpeningGuards.check(map, labels: inputs.labels, resolution: p.resolution, force: p.force, path: inputs.mapPath)
        if p.methods.contains(.halfMap) && inputs.halfMaps == nil {
            throw MapbookError("the half_map method needs two half maps (--half-maps H1 H2)")
        }
        if p.methods.contains(.model) && inputs.model == nil {
            throw MapbookError("the model method needs a model (--model M)")
        }
        if let (h1, h2) = inputs.halfMaps {
            for h in [h1, h2] {
                if let why = grid.mismatch(with: h.grid) { throw MapbookError("a half map is not on the map's grid: \(why)") }
            }
        }
        if case .given(let box) = p.box, let why = box.problem(in: grid) { throw MapbookError("--box: \(why)") }

        progress.step("Fourier transform of the map")
        let shells = FourierShells(grid: grid)
        var spectrum = FFT.forward(map)
        let guinierBefore = GuinierCurve(meanAmplitude: shells.meanAmplitude(spectrum), shells: shells)

        progress.step("Molecular envelope (local variance over \(String(format: "%.1f", 2 * p.resolution)) Å)")
        let envelope = MoleculeEnvelope.of(map, resolution: p.resolution)
        let voxelVolume = grid.voxelSize.x * grid.voxelSize.y * grid.voxelSize.z
        let insideAll = envelope.insideCount
        let molecule = inputs.molecularVolume ?? MolecularVolume(source: .map, volume: Double(insideAll) * voxelVolume)
        let mapVolume = Double(grid.count) * voxelVolume
        if molecule.volume >= mapVolume {
            warnings.append(String(format: "the expected molecular volume (%.0f Å³) fills the whole box (%.0f Å³); the contour is placed for a solvent fraction of 1 %%", molecule.volume, mapVolume))
        }

        let region = scoredRegion(p.box, envelope: envelope, molecule: molecule, insideAll: insideAll,
                                  enclosedFraction: p.enclosedFraction, voxelVolume: voxelVolume)
        let cutoff = SharpeningCutoff(nominalResolution: p.resolution, grid: grid)
        progress.step("Scoring on \(region.how): \(region.box.size.x)×\(region.box.size.y)×\(region.box.size.z) voxels, contour enclosing \(region.enclosedVoxels)")
        let bench = TrialBench(box: region.box.cut(map), cutoff: cutoff, enclosedVoxels: region.enclosedVoxels)
        let mapB = MapBFactor.estimate(bench.spectrum, shells: bench.shells, resolution: p.resolution)
        let search = SharpeningSearch(bench: bench, target: p.scoreTarget, mapB: mapB.bFactor, resolution: p.resolution,
                                      plan: p.search, dCut: p.dCut ?? p.resolution, kSharpen: p.kSharpen, blur: p.blurBeyondCut,
                                      regionWeight: p.regionWeight ?? SharpeningDefaults.fallbackRegionWeight)
        let reference = search.run([nil], stage: .reference)[0]

        var calibration: RegionWeightCalibration? = nil
        var weightSource = p.regionWeight != nil ? "given"
            : (p.scoreTarget == .kurtosis ? "default (not calibrated: the kurtosis score does not use it)" : "default (no search to calibrate)")
        if p.scoreTarget == .adjustedSurfaceArea, p.regionWeight == nil, p.methods.contains(where: { needsSearch($0, p) }) {
            progress.step("Calibrating the region weight")
            calibration = search.calibrateRegionWeight()
            weightSource = "calibrated"
            if calibration!.outcome != .calibrated && calibration!.outcome != .clamped {
                warnings.append(calibration!.outcome == .failed
                    ? "the region weight could not be calibrated (sharpening did not add both surface and regions); the default weight \(Int(SharpeningDefaults.fallbackRegionWeight)) is used"
                    : "the region-weight bounds crossed; the delta ratio was used unclamped")
            }
        }

        // Half-map and model scales come from the whole map.
        var fsc: FSCCurve? = nil
        var derived: [SharpeningMethod: SharpeningSettings] = [:]
        if p.methods.contains(.halfMap), let (h1, h2) = inputs.halfMaps {
            progress.step("Half-map FSC inside the molecular envelope")
            let mask = SoftMask.fromBinary(envelope.inside, grid: grid, extendVoxels: 0, softEdgeVoxels: p.resolution / grid.voxelSize.max())
            let f1 = FFT.forward(multiplied(h1, by: mask)), f2 = FFT.forward(multiplied(h2, by: mask))
            let result = ShellAmplitudeScale.halfMap(map: spectrum, half1: f1, half2: f2, shells: shells)
            derived[.halfMap] = result.settings
            fsc = result.fsc
        }
        var modelMap: Volume? = nil
        if p.methods.contains(.model), let model = inputs.model {
            progress.step("Model map of \(model.atoms.count) atoms")
            modelMap = try ModelMap.density(of: model, on: grid)
            let result = ShellAmplitudeScale.model(map: spectrum, model: FFT.forward(modelMap!), shells: shells)
            derived[.model] = result.settings
            if fsc == nil { fsc = result.fsc }
        }

        var winners: [Int] = []
        for method in p.methods {
            progress.step("Trying \(method.rawValue)")
            if let w = bestTrial(method, search: search, parameters: p, derived: derived) { winners.append(w) }
        }
        guard let chosen = search.best(of: winners) else {
            throw MapbookError("no sharpened map could be scored: no region lies above the contour (is the map constant?)", path: inputs.mapPath)
        }
        bench.releaseBuffers()
        let trials = search.trials
        let winner = trials[chosen]
        let settings = winner.settings!
        let curve = bCurve(trials, method: settings.method)
        if let curve, let first = curve.first, let last = curve.last, winner.stage != .fixed,
           winner.mapBAfter == first.mapB || winner.mapBAfter == last.mapB {
            warnings.append(String(format: "the best map B (%.0f Å²) lies at the end of the search grid; the optimum may lie beyond it", winner.mapBAfter!))
        }

        progress.step("Sharpening the whole map: \(settings.method.rawValue), \(settings.summary)")
        settings.apply(to: &spectrum, shells: shells, cutoff: cutoff)
        let guinierAfterGlobal = GuinierCurve(meanAmplitude: shells.meanAmplitude(spectrum), shells: shells)
        var sharpened = FFT.backward(consume spectrum)

        var localReport: LocalSharpeningReport? = nil
        var guinierAfter = guinierAfterGlobal
        if let local = p.local {
            progress.step("Local sharpening")
            let result = try CubeSharpening.run(map: map, global: sharpened, inputs: inputs, modelMap: modelMap, envelope: envelope,
                                                 molecule: molecule, chosen: settings, regionWeight: search.regionWeight,
                                                 parameters: p, local: local, cutoff: cutoff, progress: progress)
            sharpened = result.map
            localReport = result.report
            guinierAfter = GuinierCurve(meanAmplitude: shells.meanAmplitude(FFT.forward(sharpened)), shells: shells)
        }

        let choice = SharpeningChoice(trial: chosen, settings: settings, score: winner.score!, mapBAfter: winner.mapBAfter,
                                      referenceScore: trials[reference].score,
                                      reason: reason(winner, trials: trials, target: p.scoreTarget, mapB: mapB.bFactor,
                                                     weight: search.regionWeight, weightSource: weightSource, region: region))
        let report = SharpeningReport(
            parameters: p, grid: grid, cutoff: cutoff, molecularVolume: molecule,
            envelopeFraction: Double(insideAll) / Double(grid.count), region: region, mapBFactor: mapB,
            regionWeight: search.regionWeight, regionWeightSource: weightSource, calibration: calibration, trials: trials,
            choice: choice, scoreSignalToNoise: curve.flatMap { SharpeningSearch.signalToNoise($0.compactMap(\.score)) },
            fsc: fsc, guinierBefore: guinierBefore, guinierAfter: guinierAfter, local: localReport, warnings: warnings)
        progress.step("Sharpening done: \(choice.reason)")
        return SharpeningOutput(map: sharpened, report: report)
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
        let box: MapBox, how: String
        switch choice {
        case .wholeMap: box = .whole(grid); how = "whole map (--whole-map)"
        case .given(let b): box = b; how = "given box"
        case .automatic:
            if let b = MapBox.aroundDensity(envelope) { box = b; how = "automatic box of density" }
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

    static func multiplied(_ v: Volume, by mask: Volume) -> Volume {
        var out = v
        out.voxels.withUnsafeMutableBufferPointer { o in
            mask.voxels.withUnsafeBufferPointer { m in
                Parallelism.forEachRange(o.count, minimumPerChunk: 1 << 16) { _, r in for i in r { o[i] *= m[i] } }
            }
        }
        return out
    }
}
