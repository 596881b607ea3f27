import Foundation
import FourierEngine
import MapbookCore
import MapModel

extension DensityModification {
    /// The model estimate of each half, made from that half alone, with the terms of it that do
    /// not change between cycles. Built once, against the original halves, and reused in every
    /// cycle (see `ModelEnsemble` for the cost).
    struct ModelEstimates {
        /// The ensembles refined against each half (empty when model maps were given).
        let ensembles: [ModelEnsemble.Summary]
        /// The model maps' spectra M1, M2.
        let spectra: [HalfSpectrum]
        /// Mean power per coefficient of M1 and M2, per shell.
        let power: [[Double]]
        /// FSC(M1, M2): true and shared model errors alike.
        let fMM: [Double]
        /// The cross terms FSC(O1, M2), FSC(O2, M1) = c_o·c_m, averaged (honest: M1 never saw
        /// half 2's noise).
        let xOM: [Double]
        /// The within-half FSC(Oi, Mi), averaged.
        let fOM: [Double]
        /// The fraction of FSC(M1, M2) that is true (as for the modified maps, `TruthFraction`).
        let truth: [Double]

        /// The estimates from `model` for `half1` and `half2`, whose statistics are `start`.
        init(_ model: ModelInput, half1: Volume, half2: Volume, start: HalfMapStatistics,
             parameters p: DensityModificationParameters, progress: ProgressReporter) throws {
            let O1 = start.O1, O2 = start.O2, shells = start.shells
            var ensembles: [ModelEnsemble.Summary] = []
            switch model {
            case .atomic(let atomic):
                var spectra: [HalfSpectrum] = []
                for (i, half) in [half1, half2].enumerated() {
                    let e = try ModelEnsemble.build(model: atomic, half: half, spectrum: i == 0 ? O1 : O2, resolution: start.resolution,
                                                    halfMap: i + 1, parameters: p.model, progress: progress)
                    ensembles.append(e.summary)
                    spectra.append(e.spectrum)
                }
                self.spectra = spectra
            case .halfMaps(let a, let b): spectra = [FFT.forward(a), FFT.forward(b)]
            }
            self.ensembles = ensembles
            let M = spectra
            power = M.map { shells.meanPower($0) }
            let rawMM = shells.fsc(M[0], M[1]).fsc
            let rawXOM = mean(shells.fsc(O1, M[1]).fsc, shells.fsc(O2, M[0]).fsc)
            fMM = smoothed(rawMM, counts: shells.counts)
            xOM = smoothed(rawXOM, counts: shells.counts)
            fOM = smoothed(mean(shells.fsc(O1, M[0]).fsc, shells.fsc(O2, M[1]).fsc), counts: shells.counts)
            // The Nyquist shell, whose shared aliased content is not the model's (see
            // `ShellEstimates`), is left out of the fits for its neighbours.
            truth = TruthFraction.estimate(halfMapFSC: start.fscBefore.fsc,
                                           modifiedFSC: rawMM.enumerated().map { $0.offset == shells.maxShell ? .nan : $0.element },
                                           crossFSC: rawXOM, counts: shells.counts)
        }
    }
}
