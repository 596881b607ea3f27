import Foundation
import Testing
import LocalResolution
import MapbookCore
import MapModel
@testable import LocalSharpening
import Simulation

/// LocalDeblur where it has to earn its place (issue 16): a 64³ helix bundle whose chains sit
/// under two B-factor envelopes (20 and 200 Å²), the truth left sharp, the half-map FSC at
/// 0.143 at 3 Å, and the local resolution estimated by MonoRes from the half maps as the
/// `local_sharpen` cell does it.
@Suite("LocalDeblur on a B-envelope design with varying local resolution")
struct EnvelopeDesignTests {
    /// The simulated dataset (seed 1, the sharpening harness's domains design).
    static let data: SimulatedDataset = {
        var p = SimulationParameters()
        p.localResolution = .bfactorEnvelope(.domains, sharp: 20, blurred: 200)
        p.fsc.resolution = 3
        p.seed = 1
        return try! DatasetSimulator.make(p)
    }()

    /// The map to sharpen: the average of the half maps.
    static let average = Volume(grid: data.half1.grid, voxels: AlignedArray(zip(data.half1.voxels, data.half2.voxels).map { ($0 + $1) / 2 }))

    /// MonoRes on the half maps inside the simulation's mask.
    static let monoRes = try! MonoRes.run(half1: data.half1, half2: data.half2, mask: data.mask).resolution

    /// CC with the truth where the mask is at least 0.5 (the harness's score).
    static func score(_ map: Volume) -> Double {
        map.correlation(with: data.truth, where: data.mask.voxels.map { $0 >= 0.5 })
    }

    @Test("one round with the defaults beats the unsharpened average and xmipp's settings in CC with the truth")
    func oneRound() throws {
        let out = try LocalSharpening.run(map: Self.average, resolution: Self.monoRes, origin: .computed, mask: Self.data.mask)
        var xmipp = LocalSharpeningParameters()
        xmipp.deblur = .xmipp
        let old = try LocalSharpening.run(map: Self.average, resolution: Self.monoRes, origin: .computed, mask: Self.data.mask, parameters: xmipp)
        let cc = Self.score(out.sharpened), none = Self.score(Self.average), ccXmipp = Self.score(old.sharpened)
        let r = out.summary.rounds[0].deblur
        print(String(format: "domains B 20/200 Å², 3 Å, 64³: CC with truth: LocalDeblur %.4f (λ %.2f, %d steps, %d bands, %@), xmipp settings %.4f (%d steps), unsharpened average %.4f",
                     cc, r.lambda, r.innerIterations, r.bandResolutions.count, r.formulation, ccXmipp, old.summary.rounds[0].deblur.innerIterations, none))
        #expect(cc > none + 0.02)
        #expect(cc > ccXmipp + 0.01)
        #expect(out.summary.warnings.allSatisfy { !$0.contains("cap") }, "three steps are the default, not a cap hit: \(out.summary.warnings)")
    }

    @Test("automatic rounds are never worse than one round, and stop when the re-estimated resolution collapses")
    func automaticRounds() throws {
        var p = LocalSharpeningParameters()
        p.rounds = -1
        var perRound: [Double] = []
        let out = try LocalSharpening.run(map: Self.average, resolution: Self.monoRes, origin: .computed, mask: Self.data.mask, parameters: p) { _, map, _ in
            perRound.append(Self.score(map))
        }
        let s = out.summary
        let final = Self.score(out.sharpened)
        let first = s.rounds[0].deblur.resolutionMap.median
        let estimates = s.rounds.compactMap { $0.reestimation?.median }
        print("automatic rounds: \(s.rounds.count), stop: \(s.stopReason.rawValue); CC per round \(perRound.map { String(format: "%.4f", $0) }); half-map median \(String(format: "%.2f", first)) Å, re-estimated medians \(estimates.map { String(format: "%.2f", $0) })")
        #expect(final >= perRound[0] - 0.005)
        #expect(final == perRound.last)
        // MonoRes on the sharpened single map reads finer than the half maps: the collapse rule.
        #expect(s.stopReason == .resolutionCollapsed)
        #expect((estimates.last ?? .infinity) < first - p.collapseTolerance)
        #expect(s.notes.contains { $0.contains("finer than the half-map evidence") })
    }

    @Test("the resolution taper keeps the operator within the local resolution; xmipp's weights do not")
    func taperBoundsTheOperator() throws {
        let tapered = try DeblurFilterBank(voxel: 1, maxResolution: 7, referenceLength: 64, k: 0.025, fineTaper: 0.6)
        let symmetric = try DeblurFilterBank(voxel: 1, maxResolution: 7, referenceLength: 64, k: 0.025)
        // A 6 Å voxel: the transfer at the centre of the band nearest 6 Å against that nearest
        // 3.5 Å (well beyond its resolution). (Between kept bands the bank has gaps.)
        func centre(nearest r: Double) -> Double { tapered.bands.min { abs($0.resolution - r) < abs($1.resolution - r) }!.centre }
        let own = centre(nearest: 6), fine = centre(nearest: 3.5)
        let atOwn = tapered.transfer(rho: 6, at: own), beyond = tapered.transfer(rho: 6, at: fine)
        let xmippOwn = symmetric.transfer(rho: 6, at: own), xmippBeyond = symmetric.transfer(rho: 6, at: fine)
        print(String(format: "h_6Å at 1/%.2f and 1/%.2f Å⁻¹: tapered %.4f, %.2e; xmipp %.4f, %.4f", 1 / own, 1 / fine, atOwn, beyond, xmippOwn, xmippBeyond))
        #expect(beyond < 1e-3 * atOwn)
        #expect(xmippBeyond > 0.5 * xmippOwn)
        // Bands at or coarser than ρ keep xmipp's weights.
        for b in tapered.bands.indices where tapered.bands[b].resolution >= 6 {
            #expect(tapered.weight(band: b, rho: 6) == symmetric.weight(band: b, rho: 6))
        }
    }
}
