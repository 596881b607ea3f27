import Foundation
import FourierEngine
import MapbookCore
import MapModel
import Symmetry

extension DensityModification {
    /// What every cycle reads and none changes.
    struct CycleContext {
        /// The original halves and what they show.
        let start: HalfMapStatistics
        /// The point group the halves are averaged over, its centre (Å) and the voxels
        /// averaged (nil for C1).
        let group: PointGroup
        let centre: SIMD3<Double>
        let averagedRegion: [Bool]?
        /// The model's estimates; nil without a model.
        let models: ModelEstimates?
        /// Mean power per coefficient of O1 and O2, per shell.
        let powerO: [[Double]]
        let solvent: SolventFraction
        /// Where the molecule may be, when the user says so.
        let userMask: Volume?
        let parameters: DensityModificationParameters

        var shells: FourierShells { start.shells }
    }

    /// What the cycles carry from one to the next, and what the report reads at the end.
    struct CycleState {
        /// The combined spectrum of each half (the originals before the first cycle).
        var current: [HalfSpectrum]
        /// The FSC of `current`.
        var currentFSC: [Double]
        var cycles: [DensityModificationReport.Cycle] = []
        var noise = HalfMapChecks.NoiseUniformity(solventBlockRatio: 1, moleculeToSolventRatio: 1)
        var distant: [HalfMapChecks.DistantDensity] = []
        /// The predicted correlation of the average of the combined halves with the truth,
        /// per shell (FSC_ref after).
        var predictedAverage: [Double]
        /// half1 − half2, until the first mask has measured the noise's uniformity on it.
        var difference: Volume?
        /// Each half's molecule region in the last cycle (its own mask, before the soft edge):
        /// where the final weighting measures the original halves (`moleculeWeights`).
        var molecules: [[Bool]] = []

        /// The state before the first cycle.
        init(_ start: HalfMapStatistics, difference: Volume) {
            current = [start.O1, start.O2]
            currentFSC = start.fscBefore.fsc
            predictedAverage = [Double](repeating: 0, count: start.shells.shellCount)
            self.difference = difference
        }

        /// Whether the last cycle raised the mean predicted correlation by less than `minimum`
        /// over the one before (false after a single cycle).
        func lastCycleImproved(lessThan minimum: Double) -> Bool {
            guard cycles.count >= 2 else { return false }
            return cycles[cycles.count - 1].meanPredictedCorrelation - cycles[cycles.count - 2].meanPredictedCorrelation < minimum
        }
    }

    /// Cycle number `cycle`: each half modified on its own, then combined with its original
    /// (and model) coefficients shell by shell. Returns the cycle's record.
    static func runCycle(_ cycle: Int, context c: CycleContext, state: inout CycleState,
                         progress: ProgressReporter) -> DensityModificationReport.Cycle {
        let p = c.parameters, d = c.start.resolution, shells = c.shells
        let sigma = d * (1 - 0.5 * Double(cycle - 1) / Double(max(1, p.cycles - 1)))
        progress.step(String(format: "Cycle %d of %d: masks (local rms over %.1f Å) and modification of each half", cycle, p.cycles, sigma))
        state.molecules = []
        let halves = modifiedHalves(maskSmoothing: sigma, context: c, state: &state)
        state.molecules = halves.molecules

        progress.step("Cycle \(cycle): error estimates and combination, shell by shell")
        let weights = shellWeights(halves.spectra, context: c, predictedAverage: &state.predictedAverage)
        for i in 0..<2 {
            state.current[i] = combine(i == 0 ? c.start.O1 : c.start.O2, halves.spectra[i], c.models?.spectra[i],
                                       weights.gains[i], weights.gainsD[i], weights.gainsM[i], shells: shells)
        }
        state.currentFSC = shells.fsc(state.current[0], state.current[1]).fsc
        let band = weights.records.filter { $0.resolution >= d && $0.resolution <= 2 * d }
        let meanCC = band.isEmpty ? 0 : band.map(\.combinedToTruth).reduce(0, +) / Double(band.count)
        progress.step(String(format: "Cycle %d: mean predicted map-to-truth correlation %.3f from %.1f to %.1f Å", cycle, meanCC, 2 * d, d))
        return .init(cycle: cycle, maskSmoothing: sigma, moleculeFraction: halves.moleculeFractions, solventLevel: halves.solventLevels,
                     noiseVariance: [halves.noiseVariance, halves.noiseVariance], densityPrior: halves.priors,
                     meanPredictedCorrelation: meanCC, independenceDeviation: weights.deviation, shells: weights.records)
    }

    /// The two halves as one cycle modified them, with what the modification found.
    struct ModifiedHalves {
        /// The modified halves' spectra D1, D2.
        var spectra: [HalfSpectrum] = []
        var moleculeFractions: [Double] = []
        /// Each half's molecule region (its mask before the soft edge).
        var molecules: [[Bool]] = []
        var solventLevels: [Double] = []
        var priors: [DensityExpectation] = []
        /// The noise variance of the filtered map that is modified.
        let noiseVariance: Double
    }

    /// Each current half modified on its own: a filtered copy, averaged over the group, draws a
    /// mask smoothed over `maskSmoothing` Å; under it the unfiltered half has its solvent
    /// flattened and (optionally) its molecule moved towards its expected density. The first
    /// mask also measures the noise's uniformity and distant density, into `state`.
    static func modifiedHalves(maskSmoothing sigma: Double, context c: CycleContext, state: inout CycleState) -> ModifiedHalves {
        let shells = c.shells, grid = c.start.grid
        // The copy that draws the mask and fits the density prior: each half Wiener-filtered by
        // the half-map FSC (the fraction of its power that is signal), so the mask and the
        // histogram see the molecule rather than high-resolution noise. The copy is not what
        // is flattened: with the filter's weight near zero beyond the resolution, a flattened
        // filtered map holds there only what the mask's edges fold up from lower shells, the
        // same in both halves and not true (on the simulated 64³ radial design FSC(D1, D2)
        // stayed at 0.3–0.6 beyond 3.4 Å where the halves' own FSC was 0.01, and the combined
        // map lost up to 0.14 of the FSC with the truth in a shell). Flattening the unfiltered
        // half removes the solvent's noise from every shell and keeps the shell's own signal.
        var filter = state.currentFSC.map { $0.isFinite ? min(1, max(0, $0)) : 0 }
        filter[0] = 1
        let noisePower = halfNoisePower(state.current[0], state.current[1], shells: shells)
        var noiseVariance = 0.0
        for s in 1..<shells.shellCount { noiseVariance += shells.counts[s] * filter[s] * filter[s] * noisePower[s] }

        var halves = ModifiedHalves(noiseVariance: noiseVariance)
        for i in 0..<2 {
            var spectrum = state.current[i]
            shells.apply(SpectralFilter(shellWeights: filter), to: &spectrum)
            var filtered = FFT.backward(consume spectrum)
            var map = FFT.backward(state.current[i])
            if c.group.order > 1 {
                // Each half with itself: the copies' independent noise averages out.
                filtered = SymmetryAveraging.average(filtered, over: c.group, centre: c.centre, region: c.averagedRegion)
                map = SymmetryAveraging.average(map, over: c.group, centre: c.centre, region: c.averagedRegion)
            }
            let (mask, molecule, core) = SolventMask.make(filtered, solventFraction: c.solvent.value, sigma: sigma,
                                                          edgeVoxels: c.parameters.edgeVoxels(resolution: c.start.resolution, voxel: grid.voxelSize.max()), allowed: c.userMask, shells: shells)
            if i == 0, let difference = state.difference.take() {
                state.noise = HalfMapChecks.noiseUniformity(difference: difference, molecule: molecule)
                state.distant = HalfMapChecks.distantDensity(molecule: core, grid: grid, minimumDistance: max(10, 2 * c.start.resolution))
            }
            let m = modify(map, filtered: filtered, mask: mask, molecule: molecule,
                           noiseVariance: noiseVariance / Double(c.group.order), parameters: c.parameters)
            halves.moleculeFractions.append(Double(molecule.lazy.filter { $0 }.count) / Double(grid.count))
            halves.molecules.append(molecule)
            halves.solventLevels.append(m.solventLevel)
            if let prior = m.prior { halves.priors.append(prior) }
            halves.spectra.append(FFT.forward(m.map))
        }
        return halves
    }
}
