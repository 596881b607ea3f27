import Foundation
import FourierEngine
import HalfMapSharpening
import MapbookCore
import MapModel
import ModelMaps
import Symmetry

/// The maps density modification produces, with the report.
public struct DensityModificationOutput: Sendable {
    /// Every number and curve.
    public var report: DensityModificationReport
    /// The final map: the average of the modified halves, weighted per shell by its estimated
    /// correlation with the truth and sharpened (Guinier B).
    public var map: Volume
    /// Modified half map 1 (same power per shell as the original half, better signal).
    public var half1: Volume
    /// Modified half map 2.
    public var half2: Volume
}

/// Density modification of two unmasked half maps, in the manner of phenix.resolve_cryo_em
/// (Terwilliger et al. 2020): each half is modified on its own — solvent flattened under a
/// mask made from that half only, molecule density moved to its local expectation — and the
/// modified coefficients are combined with the original ones shell by shell, with weights
/// from the errors that the cross-half FSCs reveal. Because nothing of one half enters the
/// other, the FSC of the modified halves remains an honest estimate of their quality.
public enum DensityModification {
    /// A model for model-based density modification.
    public enum ModelInput: Sendable {
        /// An atomic model in the maps' frame: an ensemble is refined against each half map on
        /// its own (`ModelEnsemble`, settings in `DensityModificationParameters.model`), and the
        /// two ensemble maps join the combination, each in its own half.
        case atomic(AtomicModel)
        /// Two model maps made independently: the first from half map 1 only, the second from
        /// half map 2 only (never from both halves or their average: see `limitations`).
        case halfMaps(Volume, Volume)
    }

    /// Runs the procedure. `mask`, when given, limits where the molecule may be; `model`, when
    /// given, adds a model estimate to each half (see `ModelInput` and the report's
    /// `limitations`). `names` are how warnings and errors refer to the half maps (their file
    /// names); a constant half map, or halves whose FSC is undefined at the lowest resolution
    /// (see `FourierShells.fsc`), is an error naming it.
    public static func run(half1: Volume, half2: Volume, solvent: SolventFraction,
                           mask userMask: Volume? = nil, model: ModelInput? = nil,
                           names: (String, String) = ("half map 1", "half map 2"),
                           parameters p: DensityModificationParameters = DensityModificationParameters(),
                           progress: ProgressReporter = .silent) throws -> DensityModificationOutput {
        // The report records the group used: C1 when none is given.
        var p = p
        p.symmetry = p.symmetrySymbol
        let (requestedGroup, memory) = try checkInputs(half1, half2, mask: userMask, model: model, names: names, parameters: p)
        var warnings: [String] = []
        func warn(_ w: String) { warnings.append(w); progress.warn(w) }
        for (h, name) in [(half1, names.0), (half2, names.1)] {
            if let w = HalfMapChecks.masked(h, name: name) { warn(w) }
        }
        let start = try HalfMapStatistics(half1, half2, names: names, given: p.resolution, progress: progress)
        var state = CycleState(start, difference: halfDifference(half1, half2))
        let (group, centre, symmetryScore) = try symmetry(requestedGroup, start.O1, start.O2, fscBefore: start.fscBefore,
                                                          resolution: start.resolution, shells: start.shells, progress: progress)
        let models = try model.map { try ModelEstimates($0, half1: half1, half2: half2, start: start, parameters: p, progress: progress) }
        let context = CycleContext(start: start, group: group, centre: centre,
                                   averagedRegion: group.order > 1 ? inscribedSphere(start.grid, centre: centre) : nil,
                                   models: models, powerO: [start.shells.meanPower(start.O1), start.shells.meanPower(start.O2)],
                                   solvent: solvent, userMask: userMask, parameters: p)
        for cycle in 1...p.cycles {
            state.cycles.append(runCycle(cycle, context: context, state: &state, progress: progress))
            if state.lastCycleImproved(lessThan: p.minimumImprovement) { break }
        }
        closingWarnings(state, solvent: solvent, userMask: userMask).forEach(warn)
        let curves = try FinalCurves(start, state)

        progress.step("Final map: FSC weighting and sharpening of the average of the modified halves")
        let out1 = FFT.backward(state.current[0]), out2 = FFT.backward(state.current[1])
        let inside = p.finalSharpening.expectedCorrelation
            ? moleculeWeights(half1, half2, molecules: state.molecules, start: start, parameters: p) : nil
        state.molecules = []
        let final = finalMap(state.current[0], state.current[1], fscRef: start.fscBefore.with(values: curves.fscRefAfter),
                             original: (start.O1, start.O2), inside: inside, shells: start.shells, modelUsed: models != nil, parameters: p)
        for w in final.weighting.warnings { warnings.append("final sharpening: " + w) }
        let (symmetryUse, symmetryWarning) = symmetryUse(group, centre: centre, detected: requestedGroup == nil, score: symmetryScore)
        if let w = symmetryWarning { warn(w) }

        let report = DensityModificationReport(
            grid: start.grid, solventFraction: solvent, resolution: start.resolution, resolutionFromFSC: p.resolution == nil,
            cycles: state.cycles, fscBefore: start.fscBefore, fscAfter: curves.fscAfter,
            fscRefBefore: curves.fscRefBefore, fscRefAfter: curves.fscRefAfter,
            resolutionBefore: start.resolutionBefore, resolutionAfter: curves.resolutionAfter,
            fscRefHalfBefore: curves.refBefore, fscRefHalfAfter: curves.refAfter,
            resolutionGain: gain(start.resolutionBefore, curves.resolutionAfter), fscRefHalfGain: gain(curves.refBefore, curves.refAfter),
            modelUsed: models != nil, modelEnsembles: models?.ensembles ?? [], symmetry: symmetryUse, noise: state.noise,
            distantDensity: state.distant, memory: memory, appliedBFactor: final.weighting.bFactor, warnings: warnings,
            limitations: models != nil ? [Self.modelLimitation] : [], parameters: p)
        progress.step(String(format: "Density modification done: FSC 0.143 %.2f → %.2f Å; FSC_ref 0.5 %.2f → %.2f Å",
                             start.resolutionBefore.interpolatedResolution, curves.resolutionAfter.interpolatedResolution,
                             curves.refBefore.interpolatedResolution, curves.refAfter.interpolatedResolution))
        return DensityModificationOutput(report: report, map: final.map, half1: out1, half2: out2)
    }

    /// The final map: the average of the modified halves, weighted by its predicted correlation
    /// with the truth per shell (`fscRef`, FSC_ref after) and sharpened with a B-factor fitted
    /// on the weighted Guinier plot (what `mapbook postprocess` does without a mask, from the
    /// halves' transforms at hand). Not weighted by the FSC of the modified halves: that FSC
    /// also counts what modification put into both halves alike without its being true, and
    /// would give that untrue part the weight of signal.
    ///
    /// With `expectedCorrelation` (the default) the weights are instead those that maximise the
    /// expected correlation with the true map, as half-map sharpening chooses them
    /// (`ExpectedCorrelationWeight`): the modified average's signal share, FSC_ref after²,
    /// times exp((B_env − B_target)·q²/4), with B_env the signal envelope fitted on the original
    /// halves' cross-power (modification does not change how fast the true signal falls off).
    /// They are expressed through the same FSC weighting and B: a curve whose C_ref is
    /// FSC_ref², and B = B_target − B_env.
    ///
    /// `inside` (the original halves' expected-correlation weights inside their molecule
    /// masks, `moleculeWeights`) is a floor on each shell's weight. FSC_ref after is measured
    /// over the box, where the solvent's noise outweighs the molecule's signal well before the
    /// molecule's own resolution: beyond the box's resolution it drops to 0 while inside the
    /// molecule the halves still hold signal (their masked FSC 0.16 at 2.56 Å on the harness's
    /// 4 Å split design), and a map cut there lost up to 0.11 of its FSC with the truth inside
    /// the molecule in those shells. The combined halves hold at least the originals' signal,
    /// so the final map keeps at least the weight the originals earn inside the molecule.
    static func finalMap(_ f1: HalfSpectrum, _ f2: HalfSpectrum, fscRef: FSCCurve, original: (HalfSpectrum, HalfSpectrum),
                         inside: [Double]? = nil, shells: FourierShells, modelUsed: Bool,
                         parameters p: DensityModificationParameters) -> (map: Volume, weighting: FSCWeightedSharpening) {
        var average = f1
        average.formAverage(with: f2)
        if p.finalSharpening.expectedCorrelation {
            let bins = HalfMapBin.shells(original.0, original.1, shells: shells)
            let target = HalfMapSharpeningParameters().targetBFactor
            let envelope = SignalModel.fit(bins)?.bFactor ?? target
            // C_ref of this curve is FSC_ref²: F = c⁴/(2 − c⁴) inverts C = sqrt(2F/(1 + F)).
            var squared = fscRef.fsc.map { c in c.isFinite ? max(0, c) * max(0, c) : .nan }
            if let inside {
                // The floor in the same terms: the weight over the curve's envelope factor.
                for s in 1..<min(squared.count, inside.count) where inside[s].isFinite {
                    let q = shells.frequency(s)
                    let floor = min(1, max(0, inside[s] / exp((envelope - target) * q * q / 4)))
                    squared[s] = squared[s].isFinite ? max(squared[s], floor) : floor
                }
            }
            let weighting = FSCWeightedSharpening(fsc: fscRef.with(values: independentEquivalentFSC(squared)), average: average, shells: shells,
                                                  weighting: true, bFactor: .fixed(target - envelope), lowPass: nil)
            return (weighting.apply(to: average, shells: shells).map, weighting)
        }
        let weighting = FSCWeightedSharpening(fsc: fscRef.with(values: independentEquivalentFSC(fscRef.fsc)), average: average, shells: shells,
                                              weighting: p.finalSharpening.fscWeighting || modelUsed,
                                              bFactor: p.finalSharpening.bFactor, lowPass: nil)
        return (weighting.apply(to: average, shells: shells).map, weighting)
    }

    /// The expected-correlation weights of half-map sharpening (`ExpectedCorrelationWeight`)
    /// for the original halves, each multiplied by its own molecule mask of the last cycle
    /// (`molecules`, softened as the cycles soften them): what the originals hold inside the
    /// molecule. Each half's own mask, never one from both (see `SolventMask`). Nil without
    /// masks or without signal past 10 Å.
    static func moleculeWeights(_ half1: Volume, _ half2: Volume, molecules: [[Bool]], start: HalfMapStatistics,
                                parameters p: DensityModificationParameters) -> [Double]? {
        let shells = start.shells
        guard molecules.count == 2 else { return nil }
        let spectra = [half1, half2].enumerated().map { i, half in
            FFT.forward(half.multiplied(by: SoftMask.fromBinary(molecules[i], grid: half.grid, extendVoxels: 0, softEdgeVoxels: p.edgeVoxels(resolution: start.resolution, voxel: half.grid.voxelSize.max()))))
        }
        let bins = HalfMapBin.shells(spectra[0], spectra[1], shells: shells)
        guard let model = SignalModel.fit(bins) else { return nil }
        return ExpectedCorrelationWeight.weights(bins, model: model, targetBFactor: HalfMapSharpeningParameters().targetBFactor)
    }

    /// The half-map FSC that two independent halves would have if their average correlated
    /// with the truth as `fscRef` says: FSC = C²/(2 − C²), the inverse of
    /// C_ref = sqrt(2 FSC/(1 + FSC)). It puts a modified map on the footing of original halves'
    /// FSC, which the modified halves' own FSC is not (they share errors).
    public static func independentEquivalentFSC(_ fscRef: [Double]) -> [Double] {
        fscRef.map { c in c.isFinite ? c * c / (2 - c * c) : .nan }
    }

    /// The requested point group (nil: find it) and the memory estimate, after checking that
    /// the inputs share a grid, the halves vary, and the parameters are usable.
    static func checkInputs(_ half1: Volume, _ half2: Volume, mask userMask: Volume?, model: ModelInput?, names: (String, String),
                            parameters p: DensityModificationParameters) throws -> (PointGroup?, MemoryEstimate) {
        let grid = half1.grid
        if let why = grid.mismatch(with: half2.grid) { throw MapbookError("half maps do not share a grid: \(why)") }
        if let m = userMask, m.grid.size != grid.size { throw MapbookError("the mask is not on the half maps' grid") }
        if case .halfMaps(let a, let b) = model, a.grid.size != grid.size || b.grid.size != grid.size {
            throw MapbookError("the model maps are not on the half maps' grid")
        }
        if case .atomic(let m) = model, m.atoms.isEmpty { throw MapbookError("the model has no atoms") }
        try p.validate()
        guard p.mixtureComponents >= 1 else { throw MapbookError("the density prior needs at least one component") }
        let requestedGroup = try symmetryGroup(p.symmetrySymbol)
        let memory = memoryEstimate(grid: grid, withModel: model != nil, available: p.availableMemory)
        try memory.requireFits(advice: memoryAdvice)
        for (h, name) in [(half1, names.0), (half2, names.1)] { try FSCInput.requireVarying(h, name: name) }
        return (requestedGroup, memory)
    }

    /// The warnings the finished cycles call for: non-uniform noise, distant density, a
    /// clamped or very large solvent fraction, and halves joined by more than the method does.
    static func closingWarnings(_ state: CycleState, solvent: SolventFraction, userMask: Volume?) -> [String] {
        var warnings: [String] = []
        if let w = HalfMapChecks.nonUniformNoiseWarning(state.noise) { warnings.append(w) }
        if let w = HalfMapChecks.distantDensityWarning(state.distant) { warnings.append(w) }
        if solvent.clamped {
            warnings.append("the solvent fraction from \(solvent.source) fell outside 0–1 and was clamped to \(String(format: "%.3f", solvent.value)): check the sequence, the copy number or the mass against the box")
        }
        if solvent.value > 0.95 {
            warnings.append(String(format: "the molecule fills only %.1f %% of the box (solvent fraction %.3f): density modification works, but a box about 1.3× the molecule's extent is faster and gives the masks a meaningful solvent fraction", 100 * (1 - solvent.value), solvent.value))
        }
        // Some shared untrue power is the method's own (see `TruthFraction`); well beyond that,
        // something has joined the halves: typically a mask made from their average.
        if let last = state.cycles.last, last.independenceDeviation > 0.2 {
            let cause = userMask != nil ? ": make sure the mask was not made from these half maps' average" : ""
            warnings.append(String(format: "up to %.2f of the FSC of the modified halves is shared between them without being true (more than the cross-half correlations support)%@; the FSC after modification overstates the gain, FSC_ref after (predicted) does not", last.independenceDeviation, cause))
        }
        return warnings
    }

    /// The FSC and FSC_ref curves after modification and the resolutions read on them.
    struct FinalCurves {
        let fscAfter: FSCCurve
        let fscRefBefore: [Double]
        /// Predicted, not sqrt(2F/(1+F)) of the FSC after: that FSC also counts what the
        /// modification (and a model) put into both halves without being true.
        let fscRefAfter: [Double]
        /// Where FSC_ref crosses 0.5 before and after.
        let refBefore: ResolutionEstimate
        let refAfter: ResolutionEstimate
        /// Where the FSC after crosses 0.143.
        let resolutionAfter: ResolutionEstimate

        /// The curves of the combined halves in `state`, compared with the originals in `start`.
        init(_ start: HalfMapStatistics, _ state: CycleState) throws {
            fscAfter = withShellZero(start.shells.fsc(state.current[0], state.current[1]))
            fscRefBefore = start.fscBefore.fsc.map(FSCWeight.reference)
            fscRefAfter = state.predictedAverage.enumerated().map { $0.offset == 0 ? 1 : $0.element }
            refBefore = try start.fscBefore.with(values: fscRefBefore).resolution(at: .fixed(0.5))
            refAfter = try start.fscBefore.with(values: fscRefAfter).resolution(at: .fixed(0.5))
            resolutionAfter = try fscAfter.resolution(at: .goldStandard)
        }
    }

    /// What model-based density modification does not do, in the report's words.
    static let modelLimitation = "the model is used through two ensembles, each refined against one half map only (randomised starts, rigid body per chain and restrained coordinates); each ensemble map is a third estimate in its own half's per-shell combination, weighted by its correlation with the truth as the cross-half terms FSC(M1, O2) and FSC(M2, O1) measure it. What remains: (1) if the supplied model was itself refined against the full map (both halves), it carries half 2's noise into M1 and half 1's into M2, the cross terms then overstate its correlation with the truth, and FSC_ref after is optimistic — use a model refined against one half or built independently; (2) where the half maps stop correlating (no shell with FSC > 0.04 within four shells) the model cannot be checked and gets no weight, so it does not extend the resolution beyond the data; (3) the ensembles are refined once, against the original halves, not again against the modified ones; (4) the model's errors shared by both ensembles (FSC(M1, M2) beyond its true part) are counted in the prediction but still lie in both modified halves, so the FSC of the modified halves overstates their quality, FSC_ref after (predicted) does not"

    /// The atomic model at `path` (for `ModelInput.atomic`).
    public static func model(path: String) throws -> AtomicModel {
        let model = try AtomicModelFile.read(path: path)
        guard !model.atoms.isEmpty else { throw MapbookError("the model has no atoms", path: path) }
        return model
    }

    /// The box volume of `grid` in Å³ (for solvent fractions).
    public static func boxVolume(_ grid: VoxelGrid) -> Double {
        let b = grid.boxLength
        return b.x * b.y * b.z
    }

}
