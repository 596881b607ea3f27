import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
import Simulation
@testable import DensityModification

/// Density modification against the known truth on the sharpening harness's 4 Å designs
/// (issue 16): the built-in helix bundle at 64³, half-map FSC 0.143 at 4 Å, as `mapbook
/// simulate` makes them, on seeds the method was not tuned on (it was on seed 1).
@Suite("Density modification against the truth on the harness's 4 Å designs", .serialized)
struct DensityModificationTruthTests {
    /// One design: `pattern` of local resolution from 3.5 to 6 Å (uniform: 4 Å everywhere).
    static func design(_ pattern: LocalResolutionPattern, seed: UInt64) throws -> SimulatedDataset {
        var p = SimulationParameters()
        p.size = 64
        p.fsc = FSCDesign(shape: .whiteNoise, resolution: 4)
        p.localResolution.pattern = pattern
        p.localResolution.best = 3.5
        p.localResolution.worst = 6
        p.seed = seed
        return try DatasetSimulator.make(p)
    }

    /// FSC with the truth over the whole box.
    static func wholeBoxFSC(_ map: Volume, _ truth: Volume) -> FSCCurve {
        FourierShells(grid: map.grid).fsc(FFT.forward(map), FFT.forward(truth))
    }

    /// Where `curve` falls through 0.5, Å.
    static func crossing(_ curve: FSCCurve) throws -> Double {
        try curve.resolution(at: .fixed(0.5)).interpolatedResolution
    }

    /// The most any shell of `after` lies below `before` (negative: a loss).
    static func worstChange(_ before: FSCCurve, _ after: FSCCurve) -> Double {
        (1..<before.shellCount).filter { before.fsc[$0].isFinite && after.fsc[$0].isFinite }
            .map { after.fsc[$0] - before.fsc[$0] }.min() ?? 0
    }

    @Test("the modified map gains ≥ 0.3 Å at FSC-with-truth 0.5, loses ≤ 0.02 in any shell, and its predicted gain is the true one within 0.3 Å",
          arguments: [(LocalResolutionPattern.radial, UInt64(2)), (.uniform, 3), (.split, 3)])
    func gainsAgainstTruth(_ pattern: LocalResolutionPattern, _ seed: UInt64) throws {
        let data = try Self.design(pattern, seed: seed)
        let solvent = try SolventFraction.fromSequence(data.model.sequenceFASTA(), boxVolume: DensityModification.boxVolume(data.truth.grid))
        var parameters = DensityModificationParameters()
        parameters.cycles = 2   // as the harness runs it
        let out = try DensityModification.run(half1: data.half1, half2: data.half2, solvent: solvent, parameters: parameters)
        let original = HalfMapPair.average(data.half1, data.half2)
        // The density-modified map before its final sharpening, and the sharpened map.
        let modified = HalfMapPair.average(out.half1, out.half2)

        let before = Self.wholeBoxFSC(original, data.truth), after = Self.wholeBoxFSC(modified, data.truth)
        let trueGain = try Self.crossing(before) - Self.crossing(after)
        let sharpenedGain = try Self.crossing(before) - Self.crossing(Self.wholeBoxFSC(out.map, data.truth))
        let worst = Self.worstChange(before, after)
        // The truth cell's FSC: map and truth each multiplied by the model mask.
        let maskedBefore = try TruthScore.score(original, truth: data.truth, mask: data.mask)
        let maskedAfter = try TruthScore.score(modified, truth: data.truth, mask: data.mask)
        let maskedWorst = Self.worstChange(maskedBefore.fsc, maskedAfter.fsc)
        let predicted = out.report.fscRefHalfGain
        print(String(format: "%@ seed %d: whole box FSC_truth 0.5 %.2f → %.2f Å (gain %.2f, sharpened map %.2f; predicted %.2f), worst shell %+.4f; in the mask %.2f → %.2f Å, worst shell %+.4f; CC in the mask %.3f → %.3f",
                     pattern.rawValue, Int(seed), try Self.crossing(before), try Self.crossing(after), trueGain, sharpenedGain, predicted, worst,
                     maskedBefore.resolutionHalf, maskedAfter.resolutionHalf, maskedWorst, maskedBefore.correlation, maskedAfter.correlation))
        #expect(trueGain >= 0.3)
        #expect(sharpenedGain >= 0.3)
        #expect(worst >= -0.02)
        #expect(abs(predicted - trueGain) <= 0.3)
        // Inside the model mask flattening can add little: the mask itself removes the solvent's
        // noise, as well as flattening can. The modified map must not be worse there beyond
        // what the molecule mask's soft edge still cuts off the molecule's periphery in low
        // shells (up to 0.032 in one shell here; 0.065 with the edge of 4 voxels it had
        // before it grew to twice the resolution).
        #expect(maskedAfter.resolutionHalf <= maskedBefore.resolutionHalf + 0.02)
        #expect(maskedWorst >= -0.04)
        #expect(maskedAfter.correlation >= maskedBefore.correlation - 0.02)
        // The final map, inside the mask, in every shell where the original's masked FSC with
        // the truth is at least 0.143: weighted by FSC_ref over the box alone it was cut where
        // the box's noise hid the molecule's signal (down to −0.36 in a shell on the harness).
        // Not the shells within 5 % of Nyquist (`DensityModification.nyquistBand`): there the
        // mask's convolution mixes in the neighbouring shells, so a radial weight alone moves
        // the masked FSC (the unmodified average, filtered by the final map's radial profile,
        // fell by 0.09–0.11 there on the harness's split design).
        let finalMasked = try TruthScore.score(out.map, truth: data.truth, mask: data.mask)
        let maxShell = FourierShells(grid: data.truth.grid).maxShell
        let signalShells = (1..<maskedBefore.fsc.shellCount).filter {
            Double($0) < DensityModification.nyquistBand * Double(maxShell) && maskedBefore.fsc.fsc[$0] >= 0.143 && finalMasked.fsc.fsc[$0].isFinite
        }
        let finalWorst = signalShells.map { finalMasked.fsc.fsc[$0] - maskedBefore.fsc.fsc[$0] }.min() ?? 0
        print(String(format: "%@ seed %d: final map in the mask, worst shell where the original's FSC ≥ 0.143 %+.4f; CC in the mask %.3f",
                     pattern.rawValue, Int(seed), finalWorst, finalMasked.correlation))
        #expect(finalWorst >= -0.04)
        #expect(finalMasked.correlation >= maskedBefore.correlation)
    }
}
