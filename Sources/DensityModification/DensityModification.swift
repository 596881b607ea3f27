import Foundation
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps
import Postprocessing
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
        let grid = half1.grid
        if let why = grid.mismatch(with: half2.grid) { throw MapbookError("half maps do not share a grid: \(why)") }
        if let m = userMask, m.grid.size != grid.size { throw MapbookError("the mask is not on the half maps' grid") }
        if case .halfMaps(let a, let b) = model, a.grid.size != grid.size || b.grid.size != grid.size {
            throw MapbookError("the model maps are not on the half maps' grid")
        }
        if case .atomic(let m) = model, m.atoms.isEmpty { throw MapbookError("the model has no atoms") }
        guard p.cycles >= 1 else { throw MapbookError("--cycles must be at least 1, got \(p.cycles)") }
        guard p.mixtureComponents >= 1 else { throw MapbookError("the density prior needs at least one component") }
        let requestedGroup = try symmetryGroup(p.symmetry)
        let memory = memoryEstimate(grid: grid, withModel: model != nil, available: p.availableMemory)
        try memory.requireFits(advice: memoryAdvice)

        for (h, name) in [(half1, names.0), (half2, names.1)] { try FSCInput.requireVarying(h, name: name) }

        var warnings: [String] = []
        for (h, name) in [(half1, names.0), (half2, names.1)] {
            if let w = HalfMapChecks.masked(h, name: name) { warnings.append(w); progress.warn(w) }
        }
        let shells = FourierShells(grid: grid)

        progress.step("Fourier transforms of the half maps")
        let O1 = FFT.forward(half1), O2 = FFT.forward(half2)
        var difference = half1
        difference.voxels.withUnsafeMutableBufferPointer { d in
            half2.voxels.withUnsafeBufferPointer { b in
                Parallelism.forEachRange(d.count, minimumPerChunk: 1 << 16) { _, r in for i in r { d[i] -= b[i] } }
            }
        }
        let rawBefore = shells.fsc(O1, O2)
        try FSCInput.requireDefined(rawBefore, O1, O2, names: names, shells: shells)
        let fscBefore = withShellZero(rawBefore)
        let resolutionBefore = try fscBefore.resolution(at: .goldStandard)
        let d: Double
        if let r = p.resolution {
            guard r > 0, r.isFinite else { throw MapbookError("--resolution must be a positive resolution in Å, got \(r)") }
            guard r >= shells.nyquistResolution - 1e-9 else {
                throw MapbookError(String(format: "--resolution %.2f Å is finer than Nyquist (%.2f Å)", r, shells.nyquistResolution))
            }
            d = r
        } else {
            switch resolutionBefore.status {
            case .belowFirstShell:
                throw MapbookError("the half maps do not correlate even in the lowest shell (FSC < 0.143): they are not two halves of one reconstruction, or one is empty")
            case .neverCrosses: d = shells.nyquistResolution
            // The halves hold no power beyond this shell: there is nothing finer to modify.
            case .crossed, .dataEnds: d = resolutionBefore.interpolatedResolution
            }
        }
        let (group, centre, symmetryScore) = try symmetry(requestedGroup, O1, O2, fscBefore: fscBefore, resolution: d,
                                                          shells: shells, progress: progress)
        let averagedRegion = group.order > 1 ? inscribedSphere(grid, centre: centre) : nil
        // The model estimate of each half, made from that half alone. Built once, against the
        // original halves, and reused in every cycle (see `ModelEnsemble` for the cost).
        var ensembles: [ModelEnsemble.Summary] = []
        var M: [HalfSpectrum]? = nil
        switch model {
        case .atomic(let atomic):
            var spectra: [HalfSpectrum] = []
            for (i, half) in [half1, half2].enumerated() {
                let e = try ModelEnsemble.build(model: atomic, half: half, spectrum: i == 0 ? O1 : O2, resolution: d, halfMap: i + 1,
                                                parameters: p.model, progress: progress)
                ensembles.append(e.summary)
                spectra.append(e.spectrum)
            }
            M = spectra
        case .halfMaps(let a, let b): M = [FFT.forward(a), FFT.forward(b)]
        case nil: break
        }
        let powerO = [shells.meanPower(O1), shells.meanPower(O2)]
        let powerM = M.map { $0.map { shells.meanPower($0) } }
        // The model terms that do not change between cycles: FSC(M1, M2) (true and shared
        // model errors alike), the cross terms FSC(O1, M2), FSC(O2, M1) = c_o·c_m (honest: M1
        // never saw half 2's noise), the within-half FSC(Oi, Mi), and from them the fraction of
        // FSC(M1, M2) that is true (as for the modified maps, `TruthFraction`).
        var modelTerms: (fMM: [Double], xOM: [Double], fOM: [Double], truth: [Double])? = nil
        if let M {
            let rawMM = shells.fsc(M[0], M[1]).fsc
            let rawXOM = mean(shells.fsc(O1, M[1]).fsc, shells.fsc(O2, M[0]).fsc)
            modelTerms = (smoothed(rawMM, counts: shells.counts), smoothed(rawXOM, counts: shells.counts),
                      smoothed(mean(shells.fsc(O1, M[0]).fsc, shells.fsc(O2, M[1]).fsc), counts: shells.counts),
                      // The Nyquist shell, whose shared aliased content is not the model's
                      // (see below), is left out of the fits for its neighbours.
                      TruthFraction.estimate(halfMapFSC: fscBefore.fsc, modifiedFSC: rawMM.enumerated().map { $0.offset == shells.maxShell ? .nan : $0.element },
                                             crossFSC: rawXOM, counts: shells.counts))
        }

        var current = [O1, O2]
        var currentFSC = fscBefore.fsc
        var cycles: [DensityModificationReport.Cycle] = []
        var noise = HalfMapChecks.NoiseUniformity(solventBlockRatio: 1, moleculeToSolventRatio: 1)
        var distant: [HalfMapChecks.DistantDensity] = []
        var predictedAverage = [Double](repeating: 0, count: shells.shellCount)

        for cycle in 1...p.cycles {
            let sigma = d * (1 - 0.5 * Double(cycle - 1) / Double(max(1, p.cycles - 1)))
            progress.step(String(format: "Cycle %d of %d: masks (local rms over %.1f Å) and modification of each half", cycle, p.cycles, sigma))
            // The map that is modified: each half Wiener-filtered by the half-map FSC (the
            // fraction of its power that is signal), so the mask and the density histogram
            // see the molecule rather than high-resolution noise.
            var filter = currentFSC.map { $0.isFinite ? min(1, max(0, $0)) : 0 }
            filter[0] = 1
            let noisePower = halfNoisePower(current[0], current[1], shells: shells)
            var noiseVariance = 0.0
            for s in 1..<shells.shellCount { noiseVariance += shells.counts[s] * filter[s] * filter[s] * noisePower[s] }

            var modified: [HalfSpectrum] = []
            var fractions: [Double] = [], levels: [Double] = [], priors: [DensityExpectation] = []
            for i in 0..<2 {
                var spectrum = current[i]
                shells.apply(SpectralFilter(shellWeights: filter), to: &spectrum)
                var map = FFT.backward(consume spectrum)
                if group.order > 1 {
                    // Each half with itself: the copies' independent noise averages out.
                    map = SymmetryAveraging.average(map, over: group, centre: centre, region: averagedRegion)
                }
                let (mask, molecule, core) = SolventMask.make(map, solventFraction: solvent.value, sigma: sigma,
                                                        edgeVoxels: p.maskEdgeVoxels, allowed: userMask, shells: shells)
                if cycle == 1 && i == 0 {
                    noise = HalfMapChecks.noiseUniformity(difference: difference, molecule: molecule)
                    difference = Volume(grid: VoxelGrid(cube: 1, voxel: 1))   // release it
                    distant = HalfMapChecks.distantDensity(molecule: core, grid: grid, minimumDistance: max(10, 2 * d))
                }
                let m = modify(map, mask: mask, molecule: molecule, noiseVariance: noiseVariance / Double(group.order), parameters: p)
                fractions.append(Double(molecule.lazy.filter { $0 }.count) / Double(grid.count))
                levels.append(m.solventLevel)
                if let prior = m.prior { priors.append(prior) }
                modified.append(FFT.forward(m.map))
            }

            progress.step("Cycle \(cycle): error estimates and combination, shell by shell")
            let rawOO = fscBefore.fsc
            let rawDD = shells.fsc(modified[0], modified[1]).fsc
            let rawX = mean(shells.fsc(O1, modified[1]).fsc, shells.fsc(O2, modified[0]).fsc)
            let fOO = smoothed(rawOO, counts: shells.counts)
            let fDD = smoothed(rawDD, counts: shells.counts)
            let fOD = smoothed(mean(shells.fsc(O1, modified[0]).fsc, shells.fsc(O2, modified[1]).fsc), counts: shells.counts)
            let fX = smoothed(rawX, counts: shells.counts)
            let fDM = M.map { smoothed(mean(shells.fsc(modified[0], $0[0]).fsc, shells.fsc(modified[1], $0[1]).fsc), counts: shells.counts) }
            let xDM = M.map { smoothed(mean(shells.fsc(modified[0], $0[1]).fsc, shells.fsc(modified[1], $0[0]).fsc), counts: shells.counts) }
            let powerD = [shells.meanPower(modified[0]), shells.meanPower(modified[1])]

            var gains = [[Float]](repeating: [Float](repeating: 0, count: shells.shellCount), count: 2)
            var gainsD = gains, gainsM = gains
            var records: [DensityModificationReport.Shell] = []
            var deviation = 0.0
            let resolutionShell = Int((shells.referenceLength / d).rounded())
            let ratio = TruthFraction.estimate(halfMapFSC: rawOO, modifiedFSC: rawDD, crossFSC: rawX, counts: shells.counts)
            var lastRatio = 1.0
            for s in 0..<shells.shellCount {
                for i in 0..<2 { gains[i][s] = 1 }
                if ratio[s].isFinite { lastRatio = ratio[s] }
                guard s >= 2, fOO[s].isFinite, fDD[s].isFinite, fOD[s].isFinite, fX[s].isFinite else {
                    predictedAverage[s] = s == 0 ? 1 : (fOO[s].isFinite ? FSCWeight.reference(fOO[s]) : 0)
                    continue
                }
                let significance = 3 / max(1, shells.counts[s] / 2).squareRoot()
                let co = max(0, fOO[s]).squareRoot()
                let selfCD = fDD[s] > significance ? fDD[s].squareRoot() : 0
                var cd = selfCD * lastRatio
                cd = min(cd, 0.999)
                // The shells within 5 % of Nyquist keep the original maps: the modification (a
                // product of the map with a mask) has content beyond Nyquist that folds back into
                // the outermost shells alike in both halves; there FSC(D1, D2) rises while the true
                // correlation drops, faster than the fraction k can follow (on the simulated sets
                // the prediction there was up to 0.08 too high). Their FSCs still enter the fit
                // of k, which so bends down towards Nyquist as the true fraction does.
                if Double(s) >= nyquistBand * Double(shells.maxShell) - 1e-9 { cd = 0 }
                var c = [co, cd]
                var R = [[1, fOD[s]], [fOD[s], 1]]
                // Correlations between the estimates of half 1 and those of half 2: what the two
                // combined halves share, true or not.
                var S = [[fOO[s], fX[s]], [fX[s], fDD[s]]]
                var cm: Double? = nil, sharedModel: Double? = nil
                if let m = modelTerms, let fDM, let xDM {
                    // c_m = k·sqrt(FSC(M1, M2)), k from the cross terms of nearby shells; where
                    // the half maps no longer correlate (no usable shell within four) the model
                    // cannot be checked against the data and gets no weight.
                    let fOM = m.fOM[s], xOM = m.xOM[s], fMM = m.fMM[s]
                    let usable = fOM.isFinite && xOM.isFinite && fMM.isFinite && fDM[s].isFinite && xDM[s].isFinite && m.truth[s].isFinite
                    // Not at Nyquist either, as for the modified maps: there the model maps
                    // share aliased content (FSC(M1, M2) 0.82 where the truth gave 0.63² on the
                    // simulated set) that the neighbouring shells' cross terms cannot reveal.
                    // And only where the model correlates with the other half clearly above
                    // that shell's noise (3/sqrt(N/2), as FSC(D1, D2) above): in the sparse low
                    // shells a wrong model's cross terms scatter to 0.2 by chance.
                    let value = usable && fMM > significance && xOM > significance && s < shells.maxShell
                        ? min(0.999, m.truth[s] * fMM.squareRoot()) : 0
                    cm = value
                    sharedModel = fMM.isFinite ? fMM : nil
                    c.append(value)
                    if usable {
                        R = [[1, fOD[s], fOM], [fOD[s], 1, fDM[s]], [fOM, fDM[s], 1]]
                        S = [[fOO[s], fX[s], xOM], [fX[s], fDD[s], xDM[s]], [xOM, xDM[s], fMM]]
                    } else {
                        R = [[1, fOD[s], 0], [fOD[s], 1, 0], [0, 0, 1]]
                        S = [[fOO[s], fX[s], 0], [fX[s], fDD[s], 0], [0, 0, 0]]
                    }
                }
                let best = ShellCombination.optimal(correlations: c, matrix: R)
                guard best.rms > 0 else { continue }
                if s <= resolutionShell { deviation = max(deviation, max(0, selfCD * selfCD - cd * cd)) }
                for i in 0..<2 {
                    gains[i][s] = Float(best.weights[0] / best.rms)
                    if powerD[i][s] > 0 { gainsD[i][s] = Float(best.weights[1] * (powerO[i][s] / powerD[i][s]).squareRoot() / best.rms) }
                    if let powerM, best.weights.count > 2, powerM[i][s] > 0 {
                        gainsM[i][s] = Float(best.weights[2] * (powerO[i][s] / powerM[i][s]).squareRoot() / best.rms)
                    }
                }
                // The average of the two combined halves correlates with the truth as wᵀc over
                // its rms, sqrt(½wᵀRw + ½wᵀSw): the shared part S counts once, the rest halves.
                let w = best.weights
                var wRw = 0.0, wSw = 0.0, wc = 0.0
                for a in w.indices {
                    wc += w[a] * c[a]
                    for b in w.indices { wRw += w[a] * R[a][b] * w[b]; wSw += w[a] * S[a][b] * w[b] }
                }
                predictedAverage[s] = min(1, max(0, wc / max(1e-12, (0.5 * wRw + 0.5 * wSw)).squareRoot()))
                records.append(.init(shell: s, resolution: shells.resolution(s), fscOriginal: fOO[s], fscModified: fDD[s],
                                     originalModifiedCorrelation: fOD[s], crossHalfCorrelation: fX[s],
                                     originalToTruth: co, modifiedToTruth: cd, modelToTruth: cm, modelHalvesCorrelation: sharedModel,
                                     weights: best.weights, combinedToTruth: best.correlation))
            }
            for i in 0..<2 {
                current[i] = combine(i == 0 ? O1 : O2, modified[i], M?[i], gains[i], gainsD[i], gainsM[i], shells: shells)
            }
            currentFSC = shells.fsc(current[0], current[1]).fsc
            let band = records.filter { $0.resolution >= d && $0.resolution <= 2 * d }
            let meanCC = band.isEmpty ? 0 : band.map(\.combinedToTruth).reduce(0, +) / Double(band.count)
            cycles.append(.init(cycle: cycle, maskSmoothing: sigma, moleculeFraction: fractions, solventLevel: levels,
                                noiseVariance: [noiseVariance, noiseVariance], densityPrior: priors,
                                meanPredictedCorrelation: meanCC, independenceDeviation: deviation, shells: records))
            progress.step(String(format: "Cycle %d: mean predicted map-to-truth correlation %.3f from %.1f to %.1f Å", cycle, meanCC, 2 * d, d))
            if cycles.count >= 2, meanCC - cycles[cycles.count - 2].meanPredictedCorrelation < p.minimumImprovement { break }
        }

        if let w = HalfMapChecks.nonUniformNoiseWarning(noise) { warnings.append(w); progress.warn(w) }
        if let w = HalfMapChecks.distantDensityWarning(distant) { warnings.append(w); progress.warn(w) }
        if solvent.clamped {
            let w = "the solvent fraction from \(solvent.source) fell outside 0–1 and was clamped to \(String(format: "%.3f", solvent.value)): check the sequence, the copy number or the mass against the box"
            warnings.append(w); progress.warn(w)
        }
        if solvent.value > 0.95 {
            let w = String(format: "the molecule fills only %.1f %% of the box (solvent fraction %.3f): density modification works, but a box about 1.3× the molecule's extent is faster and gives the masks a meaningful solvent fraction", 100 * (1 - solvent.value), solvent.value)
            warnings.append(w); progress.warn(w)
        }
        // Some shared untrue power is the method's own (see `TruthFraction`); well beyond that,
        // something has joined the halves: typically a mask made from their average.
        if let last = cycles.last, last.independenceDeviation > 0.2 {
            let cause = userMask != nil ? ": make sure the mask was not made from these half maps' average" : ""
            let w = String(format: "up to %.2f of the FSC of the modified halves is shared between them without being true (more than the cross-half correlations support)%@; the FSC after modification overstates the gain, FSC_ref after (predicted) does not", last.independenceDeviation, cause)
            warnings.append(w); progress.warn(w)
        }

        let fscAfter = withShellZero(shells.fsc(current[0], current[1]))
        let fscRefBefore = fscBefore.fsc.map(FSCWeight.reference)
        // Predicted, not sqrt(2F/(1+F)) of the FSC after: that FSC also counts what the
        // modification (and a model) put into both halves without being true.
        let fscRefAfter = predictedAverage.enumerated().map { $0.offset == 0 ? 1 : $0.element }
        let refBefore = try fscBefore.with(values: fscRefBefore).resolution(at: .fixed(0.5))
        let refAfter = try fscBefore.with(values: fscRefAfter).resolution(at: .fixed(0.5))
        let resolutionAfter = try fscAfter.resolution(at: .goldStandard)

        progress.step("Final map: FSC weighting and sharpening of the average of the modified halves")
        let out1 = FFT.backward(current[0]), out2 = FFT.backward(current[1])
        var sharpening = p.sharpening
        if M != nil { sharpening.fscWeighting = true }
        let final = try Postprocess.run(half1: out1, half2: out2, mask: .none, parameters: sharpening, progress: .silent)
        for w in final.report.warnings { warnings.append("final sharpening: " + w) }

        var symmetryUse: DensityModificationReport.SymmetryUse? = nil
        if group.order > 1 {
            symmetryUse = .init(group: group.symbol, order: group.order, centre: [centre.x, centre.y, centre.z],
                                detected: requestedGroup == nil, meanCorrelation: symmetryScore?.mean ?? 1,
                                minimumCorrelation: symmetryScore?.minimum ?? 1)
            let weakest = symmetryScore?.mean ?? 1
            if weakest < SymmetryDetection.Parameters().minimumMeanCorrelation {
                let w = String(format: "the half maps do not show %@ symmetry about (%.1f, %.1f, %.1f) Å: symmetry-related density correlates only %.2f (0.75 expected at least); averaging over wrong copies blurs the modified map (the weights then trust it less): check the point group, its orientation (RELION's convention) and the centre, or use --symmetry auto", group.symbol, centre.x, centre.y, centre.z, weakest)
                warnings.append(w); progress.warn(w)
            }
        }
        var limitations: [String] = []
        if M != nil {
            limitations.append(Self.modelLimitation)
        }
        let report = DensityModificationReport(
            grid: grid, solventFraction: solvent, resolution: d, resolutionFromFSC: p.resolution == nil, cycles: cycles,
            fscBefore: fscBefore, fscAfter: fscAfter, fscRefBefore: fscRefBefore, fscRefAfter: fscRefAfter,
            resolutionBefore: resolutionBefore, resolutionAfter: resolutionAfter,
            fscRefHalfBefore: refBefore, fscRefHalfAfter: refAfter,
            resolutionGain: gain(resolutionBefore, resolutionAfter), fscRefHalfGain: gain(refBefore, refAfter),
            modelUsed: M != nil, modelEnsembles: ensembles, symmetry: symmetryUse, noise: noise, distantDensity: distant, memory: memory,
            appliedBFactor: final.report.appliedBFactor, warnings: warnings, limitations: limitations, parameters: p)
        progress.step(String(format: "Density modification done: FSC 0.143 %.2f → %.2f Å; FSC_ref 0.5 %.2f → %.2f Å",
                             resolutionBefore.interpolatedResolution, resolutionAfter.interpolatedResolution,
                             refBefore.interpolatedResolution, refAfter.interpolatedResolution))
        return DensityModificationOutput(report: report, map: final.sharpened, half1: out1, half2: out2)
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
