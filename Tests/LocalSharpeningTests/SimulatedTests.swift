import Foundation
import Testing
import FourierEngine
import MapbookCore
import MapModel
@testable import LocalSharpening
import Postprocessing
import Simulation

/// LocalDeblur on a simulated dataset whose blur varies in space and whose true local
/// resolution is known (§2.8.5, with the simulator's truth in place of the spec's phantom).
@Suite("LocalDeblur on a simulated dataset with known local resolution")
struct SimulatedTests {
    /// The built-in helix bundle, 64³ at 1 Å, blurred to 3.5 Å at its centre and 7 Å at its
    /// periphery (radial design); half maps whose FSC crosses 0.143 at 3.6 Å.
    static let data: SimulatedDataset = {
        var p = SimulationParameters()
        p.voxelSize = 1
        p.localResolution = LocalResolutionDesign(pattern: .radial, best: 3.5, worst: 7)
        p.fsc.resolution = 3.6
        p.seed = 3
        return try! DatasetSimulator.make(p)
    }()

    /// The map to sharpen: the average of the half maps.
    static let average: Volume = {
        var v = data.half1
        for i in 0..<v.voxels.count { v.voxels[i] = 0.5 * (data.half1.voxels[i] + data.half2.voxels[i]) }
        return v
    }()

    static let oneRound = try! LocalSharpening.run(map: average, resolution: data.localResolution, origin: .imported)

    @Test("CC with the truth inside the mask beats the globally auto-B-sharpened map; well-resolved regions gain more high-frequency power")
    func betterThanGlobal() throws {
        let data = Self.data
        let local = Self.oneRound.sharpened
        let global = try Postprocess.run(half1: data.half1, half2: data.half2, mask: .supplied(data.mask))
        let ccLocal = Volume.correlation(local, data.truth, mask: data.mask)
        let ccGlobal = Volume.correlation(global.sharpened, data.truth, mask: data.mask)
        let ccInput = Volume.correlation(Self.average, data.truth, mask: data.mask)
        let r = Self.oneRound.summary.rounds[0].deblur
        print(String(format: "radial 3.5→7 Å, 64³: CC with truth in mask: LocalDeblur %.4f, global auto-B (B = %.1f Å²) %.4f, unsharpened average %.4f; λ %.3f, %d iterations, %d bands, %d nodes",
                     ccLocal, global.report.appliedBFactor, ccGlobal, ccInput, r.lambda, r.innerIterations, r.bandResolutions.count, r.nodes.count))
        #expect(ccLocal > ccGlobal)

        // Power gain between 1/4.5 and 1/3.5 Å⁻¹ where the truth is at its best (ρ < 4 Å) and
        // where it is at its worst (ρ > 6 Å).
        let rho = data.localResolution
        let before = Maps.bandPass(Self.average, low: 4.5, high: 3.5), after = Maps.bandPass(local, low: 4.5, high: 3.5)
        let fine: (Int) -> Bool = { rho.voxels[$0] > 0 && rho.voxels[$0] < 4 }
        let coarse: (Int) -> Bool = { rho.voxels[$0] > 6 }
        let gainFine = Maps.energy(after, where: fine) / Maps.energy(before, where: fine)
        let gainCoarse = Maps.energy(after, where: coarse) / Maps.energy(before, where: coarse)
        print(String(format: "power gain 1/4.5–1/3.5 Å⁻¹: ρ < 4 Å ×%.2f, ρ > 6 Å ×%.2f, ratio %.3f", gainFine, gainCoarse, gainFine / gainCoarse))
        #expect(gainFine > 1 && gainFine / gainCoarse > 1.1)
    }

    @Test("finite, on the input's grid, byte-identical for identical input; with xmipp's weights the interpolated operator matches the filter bank (CC ≥ 0.999)")
    func reproducibleAndAccurate() throws {
        #expect(Self.oneRound.sharpened.grid == Self.average.grid)
        #expect(Self.oneRound.sharpened.voxels.allSatisfy { $0.isFinite })
        let again = try LocalSharpening.run(map: Self.average, resolution: Self.data.localResolution, origin: .imported)
        #expect(again.sharpened == Self.oneRound.sharpened)
        #expect(again.summary.rounds[0].deblur.lambda == Self.oneRound.summary.rounds[0].deblur.lambda)

        // Interpolation applies to xmipp's symmetric weights only (the taper forces the bank).
        var p = LocalSharpeningParameters()
        p.deblur = .xmipp
        let interpolated = try LocalSharpening.run(map: Self.average, resolution: Self.data.localResolution, origin: .imported, parameters: p)
        let first = interpolated.sharpened
        p.deblur.formulation = .filterBank
        let exact = try LocalSharpening.run(map: Self.average, resolution: Self.data.localResolution, origin: .imported, parameters: p)
        let fast = interpolated.summary.rounds[0].deblur, slow = exact.summary.rounds[0].deblur
        let mask = interpolated.resolutionMaps[0].voxels.array.map { $0 > 0 ? Float(1) : 0 }
        let cc = Volume.correlation(first, exact.sharpened, mask: Volume(grid: first.grid, voxels: AlignedArray(mask)))
        let difference = Maps.relativeMaxDifference(first, exact.sharpened)
        print(String(format: "interpolated vs filter bank, whole run: 1 − CC in mask %.2e, max relative difference %.2e, λ %.6f vs %.6f, iterations %d vs %d, transforms %d vs %d, iteration time %.2f s vs %.2f s",
                     1 - cc, difference, fast.lambda, slow.lambda, fast.innerIterations, slow.innerIterations, fast.transforms, slow.transforms,
                     fast.iterationSeconds, slow.iterationSeconds))
        #expect(cc >= 0.999)
        #expect(fast.innerIterations == slow.innerIterations)
        #expect(abs(fast.lambda - slow.lambda) / slow.lambda < 1e-4)
        #expect(fast.transforms < slow.transforms)
    }

    @Test("iterations −1: MonoRes between rounds, and the loop stops by itself within 5 rounds")
    func automaticRounds() throws {
        var p = LocalSharpeningParameters()
        p.rounds = -1
        var seen: [Int] = []
        let out = try LocalSharpening.run(map: Self.average, resolution: Self.data.localResolution, origin: .imported, parameters: p) { round, map, resolution in
            seen.append(round.round)
            #expect(map.grid == Self.average.grid && resolution.grid == Self.average.grid)
        }
        let s = out.summary
        print("automatic rounds: \(s.rounds.count), stop: \(s.stopReason.rawValue); λ per round \(s.lambdas.map { String(format: "%.3f", $0) }); re-estimated ρ max per round \(s.rounds.map { $0.reestimation.map { String(format: "%.2f", $0.worst) } ?? "-" }); resolution maps \(out.resolutionMaps.count)")
        #expect(s.rounds.count <= 5)
        #expect([.lambdaSettled, .narrowRange, .resolutionCollapsed].contains(s.stopReason))
        #expect(seen == Array(1...s.rounds.count))
        #expect(s.rounds.dropLast().allSatisfy { $0.reestimation != nil })
        #expect(out.sharpened.voxels.allSatisfy { $0.isFinite })
    }

    @Test("fixed rounds: N rounds exactly, a user λ only in the first")
    func fixedRounds() throws {
        var p = LocalSharpeningParameters()
        p.rounds = 2
        p.deblur.lambda = 3
        let out = try LocalSharpening.run(map: Self.average, resolution: Self.data.localResolution, origin: .computed, parameters: p)
        let s = out.summary
        print("two rounds: λ \(s.lambdas), stop \(s.stopReason.rawValue), sources \(s.rounds.map(\.resolutionSource))")
        #expect(s.rounds.count == 2 || s.stopReason == .reestimationImpossible)
        #expect(s.rounds[0].deblur.lambda == 3 && !s.rounds[0].deblur.lambdaAutomatic)
        if s.rounds.count == 2 { #expect(s.rounds[1].deblur.lambdaAutomatic && s.stopReason == .roundsDone) }
    }

    @Test("an imported map with a non-zero background gives the same result as the zero-background map, with a warning")
    func importedBackground() throws {
        var imported = Self.data.localResolution
        for i in 0..<imported.voxels.count where imported.voxels[i] == 0 { imported.voxels[i] = 25 }
        let out = try LocalSharpening.run(map: Self.average, resolution: imported, origin: .imported)
        print("imported with background 25 Å: warnings \(out.summary.warnings.count): \(out.summary.warnings.first ?? "")")
        #expect(out.sharpened == Self.oneRound.sharpened)
        #expect(out.summary.warnings.contains { $0.contains("no zero background") })
        #expect(out.summary.resolutionMapOrigin == .imported && out.summary.warnings.contains { $0.contains("imported") })
    }
}
