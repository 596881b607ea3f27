import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// The per-shell weights of one cycle: from the FSCs among the original halves O, the
/// modified halves D and the model maps M, each estimate's correlation with the truth and the
/// weights of the best combination.
extension DensityModification {
    /// The FSCs of one cycle that the weights read, smoothed where shells are sparse
    /// (`smoothed`); the raw ones feed `TruthFraction`.
    struct CycleCorrelations {
        /// FSC(O1, O2), FSC(D1, D2) and the cross-half FSC(O1, D2), FSC(O2, D1) averaged, raw.
        let rawOO: [Double], rawDD: [Double], rawX: [Double]
        /// The same smoothed, and the within-half FSC(Oi, Di) averaged.
        let fOO: [Double], fDD: [Double], fOD: [Double], fX: [Double]
        /// The within-half FSC(Di, Mi) and the cross-half FSC(Di, Mj) averaged; nil without a model.
        let fDM: [Double]?, xDM: [Double]?
        /// Mean power per coefficient of D1 and D2, per shell.
        let powerD: [[Double]]

        /// The correlations of the modified halves `modified` (D1, D2).
        init(modified: [HalfSpectrum], context c: CycleContext) {
            let shells = c.shells, O1 = c.start.O1, O2 = c.start.O2
            rawOO = c.start.fscBefore.fsc
            rawDD = shells.fsc(modified[0], modified[1]).fsc
            rawX = mean(shells.fsc(O1, modified[1]).fsc, shells.fsc(O2, modified[0]).fsc)
            fOO = smoothed(rawOO, counts: shells.counts)
            fDD = smoothed(rawDD, counts: shells.counts)
            fOD = smoothed(mean(shells.fsc(O1, modified[0]).fsc, shells.fsc(O2, modified[1]).fsc), counts: shells.counts)
            fX = smoothed(rawX, counts: shells.counts)
            let M = c.models?.spectra
            fDM = M.map { smoothed(mean(shells.fsc(modified[0], $0[0]).fsc, shells.fsc(modified[1], $0[1]).fsc), counts: shells.counts) }
            xDM = M.map { smoothed(mean(shells.fsc(modified[0], $0[1]).fsc, shells.fsc(modified[1], $0[0]).fsc), counts: shells.counts) }
            powerD = [shells.meanPower(modified[0]), shells.meanPower(modified[1])]
        }
    }

    /// The estimates of one shell that are combined: original, modified (and model).
    struct ShellEstimates {
        /// Each estimate's correlation with the truth (c of `ShellCombination`).
        var toTruth: [Double]
        /// Correlations among the estimates of one half (R of `ShellCombination`).
        var withinHalf: [[Double]]
        /// Correlations between the estimates of half 1 and those of half 2: what the two
        /// combined halves share, true or not (S).
        var acrossHalves: [[Double]]
        /// sqrt(FSC(D1, D2)) where significant: the modified halves' correlation with the
        /// truth if all they share were true.
        let modifiedSelf: Double
        /// The model's correlation with the truth and FSC(M1, M2); nil without a model.
        var modelToTruth: Double? = nil
        var modelHalvesCorrelation: Double? = nil

        var originalToTruth: Double { toTruth[0] }
        var modifiedToTruth: Double { toTruth[1] }

        /// The estimates of shell `s` from the cycle's correlations `f`; `truthFraction` is the
        /// fraction k of FSC(D1, D2) that is true (`TruthFraction`, the last finite value).
        init(shell s: Int, correlations f: CycleCorrelations, truthFraction k: Double, context c: CycleContext) {
            let shells = c.shells
            let significance = 3 / max(1, shells.counts[s] / 2).squareRoot()
            let co = max(0, f.fOO[s]).squareRoot()
            modifiedSelf = f.fDD[s] > significance ? f.fDD[s].squareRoot() : 0
            var cd = modifiedSelf * k
            cd = min(cd, 0.999)
            // The shells within 5 % of Nyquist keep the original maps: the modification (a
            // product of the map with a mask) has content beyond Nyquist that folds back into
            // the outermost shells alike in both halves; there FSC(D1, D2) rises while the true
            // correlation drops, faster than the fraction k can follow (on the simulated sets
            // the prediction there was up to 0.08 too high). Their FSCs still enter the fit
            // of k, which so bends down towards Nyquist as the true fraction does.
            if Double(s) >= nyquistBand * Double(shells.maxShell) - 1e-9 { cd = 0 }
            toTruth = [co, cd]
            withinHalf = [[1, f.fOD[s]], [f.fOD[s], 1]]
            acrossHalves = [[f.fOO[s], f.fX[s]], [f.fX[s], f.fDD[s]]]
            if let m = c.models, let fDM = f.fDM, let xDM = f.xDM {
                addModel(m, shell: s, fDM: fDM[s], xDM: xDM[s], correlations: f, significance: significance, maxShell: shells.maxShell)
            }
        }

        /// Adds the model of half i as a third estimate, c_m = k·sqrt(FSC(M1, M2)), k from the
        /// cross terms of nearby shells; where the half maps no longer correlate (no usable
        /// shell within four) the model cannot be checked against the data and gets no weight.
        mutating func addModel(_ m: ModelEstimates, shell s: Int, fDM: Double, xDM: Double, correlations f: CycleCorrelations,
                               significance: Double, maxShell: Int) {
            let fOM = m.fOM[s], xOM = m.xOM[s], fMM = m.fMM[s]
            let usable = fOM.isFinite && xOM.isFinite && fMM.isFinite && fDM.isFinite && xDM.isFinite && m.truth[s].isFinite
            // Not at Nyquist either, as for the modified maps: there the model maps
            // share aliased content (FSC(M1, M2) 0.82 where the truth gave 0.63² on the
            // simulated set) that the neighbouring shells' cross terms cannot reveal.
            // And only where the model correlates with the other half clearly above
            // that shell's noise (3/sqrt(N/2), as FSC(D1, D2) above): in the sparse low
            // shells a wrong model's cross terms scatter to 0.2 by chance.
            let value = usable && fMM > significance && xOM > significance && s < maxShell
                ? min(0.999, m.truth[s] * fMM.squareRoot()) : 0
            modelToTruth = value
            modelHalvesCorrelation = fMM.isFinite ? fMM : nil
            toTruth.append(value)
            let fOD = f.fOD[s], fOO = f.fOO[s], fX = f.fX[s], fDD = f.fDD[s]
            if usable {
                withinHalf = [[1, fOD, fOM], [fOD, 1, fDM], [fOM, fDM, 1]]
                acrossHalves = [[fOO, fX, xOM], [fX, fDD, xDM], [xOM, xDM, fMM]]
            } else {
                withinHalf = [[1, fOD, 0], [fOD, 1, 0], [0, 0, 1]]
                acrossHalves = [[fOO, fX, 0], [fX, fDD, 0], [0, 0, 0]]
            }
        }

        /// The correlations among the estimates of the average of the two halves: ½R + ½S
        /// (an error shared by the halves, S, counts once in the average, the rest halves).
        /// The combined halves are averaged into the final map, so it is for this matrix that
        /// the weights are chosen: with R alone (the best single half) the modified estimate
        /// wins by the solvent noise it removed, though in the average that noise halves
        /// anyway while what modification put into both halves alike does not.
        var averageMatrix: [[Double]] {
            withinHalf.indices.map { a in withinHalf.indices.map { b in 0.5 * (withinHalf[a][b] + acrossHalves[a][b]) } }
        }

    }

    /// The gains per shell of one cycle, per half, on the original, modified and model
    /// coefficients, with the shells' records.
    struct ShellWeights {
        var gains: [[Float]]
        var gainsD: [[Float]]
        var gainsM: [[Float]]
        var records: [DensityModificationReport.Shell] = []
        /// The largest part of FSC(D1, D2) up to the resolution shared without being true.
        var deviation = 0.0

        /// Zero gains for `shellCount` shells.
        init(shellCount: Int) {
            gains = [[Float]](repeating: [Float](repeating: 0, count: shellCount), count: 2)
            gainsD = gains
            gainsM = gains
        }

        /// Sets shell `s`'s gains from the weights `w` (of unit-rms estimates with correlations
        /// `c` with the truth) and the estimates' mean power per shell (`powerO`, `powerD`,
        /// `powerM`), so that each combined half holds the truth at its own amplitude.
        ///
        /// Each estimate holds the truth with unit gain (the original is truth plus noise; the
        /// modified map keeps the molecule region as it was), so estimate j's rms σ_j and its
        /// correlation c_j give the truth's rms as c_j·σ_j; the combination's estimate of it
        /// weighs these by each estimate's share w_j·c_j of the combined signal. The gains
        /// g_j = w_j·σ_T / (σ_j·wᵀc) then put the truth into the combined half with gain 1
        /// and less noise than into the original. Scaling the combination instead to the
        /// original's power (signal and noise) raised each shell's truth by the ratio of the
        /// combined to the original correlation, up to 2.3-fold near the resolution on the
        /// simulated 64³ helix bundle: a sharpening that amplified the noise left inside the
        /// molecule, so that the modified average correlated worse with the truth inside its
        /// mask than the plain average (0.65 against 0.72) though better in every shell.
        mutating func set(shell s: Int, weights w: [Double], correlations c: [Double], powerO: [[Double]], powerD: [[Double]], powerM: [[Double]]?) {
            for i in 0..<2 {
                var sigma = [powerO[i][s], powerD[i][s]]
                if let powerM { sigma.append(powerM[i][s]) }
                sigma = sigma.map { max(0, $0).squareRoot() }
                var wc = 0.0, truthRMS = 0.0
                for j in w.indices where j < sigma.count && sigma[j] > 0 && c[j] > 0 {
                    wc += w[j] * c[j]; truthRMS += w[j] * c[j] * c[j] * sigma[j]
                }
                guard wc > 0 else { continue }
                truthRMS /= wc
                let g = w.indices.map { j in j < sigma.count && sigma[j] > 0 ? Float(w[j] * truthRMS / (sigma[j] * wc)) : 0 }
                gains[i][s] = g[0]
                gainsD[i][s] = g[1]
                if g.count > 2 { gainsM[i][s] = g[2] }
            }
        }
    }

    /// The weights of one cycle for the modified halves `modified`; fills `predictedAverage`
    /// (FSC_ref after) shell by shell.
    static func shellWeights(_ modified: [HalfSpectrum], context c: CycleContext, predictedAverage: inout [Double]) -> ShellWeights {
        let shells = c.shells
        let f = CycleCorrelations(modified: modified, context: c)
        var out = ShellWeights(shellCount: shells.shellCount)
        let resolutionShell = Int((shells.referenceLength / c.start.resolution).rounded())
        let ratio = TruthFraction.estimate(halfMapFSC: f.rawOO, modifiedFSC: f.rawDD, crossFSC: f.rawX, counts: shells.counts)
        var lastRatio = 1.0
        for s in 0..<shells.shellCount {
            for i in 0..<2 { out.gains[i][s] = 1 }
            if ratio[s].isFinite { lastRatio = ratio[s] }
            guard s >= 2, f.fOO[s].isFinite, f.fDD[s].isFinite, f.fOD[s].isFinite, f.fX[s].isFinite else {
                predictedAverage[s] = s == 0 ? 1 : (f.fOO[s].isFinite ? FSCWeight.reference(f.fOO[s]) : 0)
                continue
            }
            let e = ShellEstimates(shell: s, correlations: f, truthFraction: lastRatio, context: c)
            // Optimal for the average of the combined halves; its correlation is FSC_ref after.
            let best = ShellCombination.optimal(correlations: e.toTruth, matrix: e.averageMatrix)
            guard best.rms > 0 else { continue }
            let cd = e.modifiedToTruth
            if s <= resolutionShell { out.deviation = max(out.deviation, max(0, e.modifiedSelf * e.modifiedSelf - cd * cd)) }
            out.set(shell: s, weights: best.weights, correlations: e.toTruth, powerO: c.powerO, powerD: f.powerD, powerM: c.models?.power)
            predictedAverage[s] = best.correlation
            out.records.append(.init(shell: s, resolution: shells.resolution(s), fscOriginal: f.fOO[s], fscModified: f.fDD[s],
                                     originalModifiedCorrelation: f.fOD[s], crossHalfCorrelation: f.fX[s],
                                     originalToTruth: e.originalToTruth, modifiedToTruth: cd, modelToTruth: e.modelToTruth,
                                     modelHalvesCorrelation: e.modelHalvesCorrelation, weights: best.weights,
                                     combinedToTruth: ShellCombination.evaluate(weights: best.weights, correlations: e.toTruth, matrix: e.withinHalf).correlation))
        }
        return out
    }
}
