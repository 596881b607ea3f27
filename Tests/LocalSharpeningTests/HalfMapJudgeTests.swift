import Foundation
import Testing
import HalfMapSharpening
import LocalResolution
import MapbookCore
import MapModel
@testable import LocalSharpening
import Simulation

/// The half maps as LocalDeblur's judge (`DeblurHalfMaps`): their estimate of each iterate's
/// correlation with the true map, checked against the truth of simulated designs the defaults
/// were not chosen on (seed 3, and an anisotropic design with seed 11).
@Suite("LocalDeblur judged by the half maps")
struct HalfMapJudgeTests {
    /// A simulated 64³ helix dataset, its average and MonoRes's local resolution.
    struct Design {
        let data: SimulatedDataset
        let average: Volume
        let monoRes: Volume

        init(_ configure: (inout SimulationParameters) -> Void) {
            var p = SimulationParameters()
            configure(&p)
            data = try! DatasetSimulator.make(p)
            average = Volume(grid: data.half1.grid, voxels: AlignedArray(zip(data.half1.voxels, data.half2.voxels).map { ($0 + $1) / 2 }))
            monoRes = try! MonoRes.run(half1: data.half1, half2: data.half2, mask: data.mask).resolution
        }

        /// CC with the truth where the mask is at least 0.5 (the harness's score).
        func score(_ map: Volume) -> Double {
            map.correlation(with: data.truth, where: data.mask.voxels.map { $0 >= 0.5 })
        }

        func run(_ p: LocalSharpeningParameters, judged: Bool) throws -> LocalSharpeningResult {
            try LocalSharpening.run(map: average, resolution: monoRes, origin: .computed, mask: data.mask,
                                    halves: judged ? (data.half1, data.half2) : nil, parameters: p)
        }
    }

    /// The split design (two halves of the bundle at B 20 and 150 Å², 4 Å), where xmipp's
    /// settings boost far too much (`LocalDeblur`'s table: 0.606 against 0.704 unsharpened).
    static let split = Design { p in
        p.localResolution = .bfactorEnvelope(.split, sharp: 20, blurred: 150)
        p.fsc.resolution = 4
        p.seed = 3
    }

    @Test("the half maps rank the iterates as the truth does: the kept iterate is within 0.005 of the truth's best")
    func rankingFollowsTheTruth() throws {
        let d = Self.split
        let judged = try d.run(LocalSharpeningParameters(), judged: true)
        let r = judged.summary.rounds[0].deblur
        let e = try #require(r.expectedCorrelations)
        let kept = try #require(r.keptIteration)
        #expect(e.count == r.innerIterations + 1)
        // The truth's score of every iterate: unjudged runs stopped after 1, 2, … iterations.
        var truth = [d.score(d.average)]
        for k in 1..<e.count {
            var p = LocalSharpeningParameters()
            p.deblur.maximumInnerIterations = k
            truth.append(d.score(try d.run(p, judged: false).sharpened))
        }
        print("split, seed 3: per iterate, expected " + e.map { String(format: "%.4f", $0) }.joined(separator: " ")
              + "; true " + truth.map { String(format: "%.4f", $0) }.joined(separator: " ") + "; kept \(kept)")
        #expect(truth[kept] >= truth.max()! - 0.005)
        #expect(d.score(judged.sharpened) == truth[kept])
        // The estimate is of the correlation with a true map of envelope B 40 Å² (the target of
        // half-map sharpening); the simulated truth is sharper, so the level reads high.
        for k in e.indices { #expect(abs(e[k] - truth[k]) < 0.08, "iterate \(k): expected \(e[k]), true \(truth[k])") }
    }

    @Test("with xmipp's settings the judged run returns an early iterate: never below the input, and far above the unjudged run")
    func overBoostingIsCaught() throws {
        let d = Self.split
        var p = LocalSharpeningParameters()
        p.deblur = .xmipp
        let judged = try d.run(p, judged: true), free = try d.run(p, judged: false)
        let r = judged.summary.rounds[0].deblur
        let none = d.score(d.average), cc = d.score(judged.sharpened), ccFree = d.score(free.sharpened)
        let kept = try #require(r.keptIteration)
        let e = try #require(r.expectedCorrelations)
        print(String(format: "split, seed 3, xmipp settings: unjudged %.4f (%d iterations), judged %.4f (iterate %d, expected %.4f), unsharpened %.4f",
                     ccFree, free.summary.rounds[0].deblur.innerIterations, cc, kept, e[kept], none))
        #expect(cc >= none - 0.005)
        #expect(cc > ccFree + 0.03)
        #expect(kept < r.innerIterations)
        #expect(e[kept] == e.max())
        #expect(kept > 0 || judged.summary.warnings.contains { $0.contains("returned unsharpened") })
    }

    @Test("on an anisotropic design the defaults, judged, never score below the unsharpened average")
    func anisotropicDesign() throws {
        let d = Design { p in
            p.localResolution = .bfactorEnvelope(.uniform, sharp: 60, blurred: 60)
            p.fsc.resolution = 4
            p.anisotropy = AnisotropyDesign(ratio: 1.5)
            p.seed = 11
        }
        let out = try d.run(LocalSharpeningParameters(), judged: true)
        let none = d.score(d.average), cc = d.score(out.sharpened)
        let r = out.summary.rounds[0].deblur
        print(String(format: "anisotropic 1.5, seed 11: judged %.4f (iterate %d of %d), unsharpened %.4f", cc, r.keptIteration ?? -1, r.innerIterations, none))
        #expect(cc >= none - 0.005)
    }

    @Test("automatic rounds, judged, end no worse than the first round or the input")
    func automaticRounds() throws {
        let d = Self.split
        var p = LocalSharpeningParameters()
        p.rounds = -1
        var perRound: [Double] = []
        let out = try LocalSharpening.run(map: d.average, resolution: d.monoRes, origin: .computed, mask: d.data.mask,
                                          halves: (d.data.half1, d.data.half2), parameters: p) { _, map, _ in perRound.append(d.score(map)) }
        let s = out.summary
        print("split, automatic rounds, judged: \(s.rounds.count) rounds, stop: \(s.stopReason.rawValue); CC per round \(perRound.map { String(format: "%.4f", $0) }), kept \(s.rounds.map { $0.deblur.keptIteration ?? -1 })")
        #expect(d.score(out.sharpened) >= perRound[0] - 0.005)
        #expect(d.score(out.sharpened) >= d.score(d.average) - 0.005)
    }

    @Test("the halves judge only a map that is their average")
    func averageCheck() {
        let d = Self.split
        #expect(HalfMapJudge.isAverage(d.average, of: (d.data.half1, d.data.half2)))
        var other = d.average
        other.voxels[1000] += 0.5
        #expect(!HalfMapJudge.isAverage(other, of: (d.data.half1, d.data.half2)))
    }
}
