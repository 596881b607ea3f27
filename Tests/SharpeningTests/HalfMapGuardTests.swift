import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
import Postprocessing
import Simulation
@testable import Sharpening
import HalfMapSharpening

/// Issue 16: no sharpening method's default may score below the unsharpened map against the
/// truth. Auto-sharpen's adjusted surface area over-sharpens noise on these designs (it counts
/// sharpened noise as surface); with half maps, the guard (`ExpectedTruthCorrelation`) keeps the
/// map unsharpened when the best-scoring sharpening is expected to correlate less well.
@Suite("Auto-sharpen's half-map guard against the truth")
struct HalfMapGuardTests {
    /// A harness-style design (bench/sharpening_harness.sh) at 48³ and 1.25 Å: the built-in
    /// helices, the half maps' signal under a B envelope, the truth sharp.
    func dataset(_ pattern: LocalResolutionPattern, sharp: Double, blurred: Double, resolution: Double, seed: UInt64) throws -> SimulatedDataset {
        var p = SimulationParameters()
        p.size = 48
        p.voxelSize = 1.25
        p.localResolution = .bfactorEnvelope(pattern, sharp: sharp, blurred: blurred)
        p.fsc = FSCDesign(resolution: resolution)
        p.seed = seed
        return try DatasetSimulator.make(p)
    }

    /// The harness's "none" (the unsharpened post-processed average) and its auto-sharpen cell
    /// (b_iso_to_d_cut, adjusted surface area, at the post-processing resolution, molecular
    /// volume from the model's sequence), each against the truth inside the mask.
    func scores(_ d: SimulatedDataset) throws -> (none: Double, auto: Double, report: SharpeningReport) {
        var pp = PostprocessParameters()
        pp.bFactor = .fixed(0)
        pp.fscWeighting = false
        let unsharpened = try Postprocess.run(half1: d.half1, half2: d.half2, mask: .supplied(d.mask), parameters: pp)
        let inside = d.mask.voxels.map { $0 >= 0.5 }
        var p = SharpeningParameters(resolution: unsharpened.report.resolution.shellResolution)
        p.methods = [.bIsoToDCut]
        let average = HalfMapPair.average(d.half1, d.half2)
        let sequence = try SequenceComposition.parse(d.model.sequenceFASTA())
        let out = try AutoSharpen.run(SharpeningInputs(map: average, halfMaps: (d.half1, d.half2),
                                                       molecularVolume: .fromSequence(sequence)), parameters: p)
        return (unsharpened.sharpened.correlation(with: d.truth, where: inside), out.map.correlation(with: d.truth, where: inside), out.report)
    }

    // Seeds 13 and 15 at 48³: not the harness's designs or seeds (1–9 at 64³), and not tuned on.
    // Before the guard auto-sharpen scored 0.838 against none's 0.851 (uniform) and 0.806
    // against 0.820 (domains).
    @Test("uniform envelope B 80 Å², 3.5 Å, seed 13; two domains at B 20 / 200 Å², 3 Å, seed 15: never below none",
          arguments: [(LocalResolutionPattern.uniform, 80.0, 80.0, 3.5, UInt64(13)), (.domains, 20, 200, 3, 15)])
    func neverBelowNone(_ design: (LocalResolutionPattern, Double, Double, Double, UInt64)) throws {
        let d = try dataset(design.0, sharp: design.1, blurred: design.2, resolution: design.3, seed: design.4)
        let s = try scores(d)
        print(String(format: "%@ seed %d: none %.4f, auto-sharpen %.4f (%@)", design.0.rawValue, design.4, s.none, s.auto, s.report.choice.reason))
        // ≥ none − 0.000; left unsharpened, the two maps differ only by float rounding (1e-9).
        #expect(s.auto >= s.none - 1e-6)
        #expect(s.report.choice.unsharpenedExpectedCorrelation != nil, "half maps given: the guard ran")
    }

    @Test("the expected correlation rises for a moderate sharpening of a blurred map and falls for one that amplifies noise")
    func expectationShape() throws {
        let d = try dataset(.uniform, sharp: 80, blurred: 80, resolution: 3.5, seed: 21)
        let shells = FourierShells(grid: d.half1.grid)
        // Masked, as auto-sharpen masks them by the envelope: the solvent's noise would dominate.
        let e = try #require(ExpectedTruthCorrelation(half1: FFT.forward(d.half1.multiplied(by: d.mask)),
                                                      half2: FFT.forward(d.half2.multiplied(by: d.mask)),
                                                      shells: shells, targetBFactor: 40))
        // The half maps' signal is under an 80 Å² envelope: a moderate B sharpens toward the
        // truth, a B of −400 Å² mostly amplifies noise.
        let moderate = e.correlation { exp(40 * $0 * $0 / 4) }
        print(String(format: "expected correlation: unsharpened %.4f, B −40 %.4f, B −400 %.4f", e.unsharpened, moderate, e.correlation { exp(400 * $0 * $0 / 4) }))
        let extreme = e.correlation { exp(400 * $0 * $0 / 4) }
        #expect(moderate > e.unsharpened)
        #expect(extreme < e.unsharpened)
        #expect(e.unsharpened > 0 && e.unsharpened < 1)
    }
    /// The scored region (the simulation's mask), the average of the halves, and the sharpen
    /// cell's inputs: the average with both halves and the model's sequence's volume.
    func cellInputs(_ d: SimulatedDataset) throws -> (inside: [Bool], average: Volume, inputs: SharpeningInputs) {
        let average = HalfMapPair.average(d.half1, d.half2)
        let sequence = try SequenceComposition.parse(d.model.sequenceFASTA())
        let inputs = SharpeningInputs(map: average, halfMaps: (d.half1, d.half2), molecularVolume: .fromSequence(sequence))
        return (d.mask.voxels.map { $0 >= 0.5 }, average, inputs)
    }

    /// Local sharpening with half maps (the default half_map method) measures the half-map
    /// weights in soft windows (`HalfMapSharpening`, local mode) instead of sharpening cubes.
    /// On the harness's domains design, per cube it scored 0.818 against none's 0.819.
    @Test("local sharpening with half maps uses windowed half-map weights: above none and the global half_map method on two domains (seed 17)")
    func localHalfMap() throws {
        let d = try dataset(.domains, sharp: 20, blurred: 200, resolution: 3, seed: 17)
        let (inside, average, inputs) = try cellInputs(d)
        var p = SharpeningParameters(resolution: 3)
        p.local = CubeSharpeningParameters(boxEdge: nil)
        p.local!.enabled = true
        let local = try AutoSharpen.run(inputs, parameters: p)
        var g = p
        g.local = nil
        let global = try AutoSharpen.run(inputs, parameters: g)
        let none = average.correlation(with: d.truth, where: inside)
        let ccLocal = local.map.correlation(with: d.truth, where: inside), ccGlobal = global.map.correlation(with: d.truth, where: inside)
        let windows = try #require(local.report.halfMapLocal)
        print(String(format: "domains seed 17: none %.4f, half_map global %.4f, local %.4f (%@)", none, ccGlobal, ccLocal, windows.windowsSummary ?? "no windows"))
        #expect(local.report.local == nil, "no cubes with the half_map method")
        #expect(windows.windowsSummary != nil)
        #expect(ccLocal > none)
        #expect(ccLocal >= ccGlobal - 0.005)
    }

    /// The half_map method measures its weights inside a molecule mask (the molecular volume's
    /// worth of highest local variance), not inside the envelope, whose solvent made the
    /// weights hardly sharpen: on the harness's split design it scored 0.754 in CC with the
    /// truth, as with no mask at all, against 0.808. Seed 19 at 48³, not the harness's.
    @Test("the global half_map method measures in a molecule mask: within 0.01 of half-map sharpening in the simulation's own mask (split, seed 19)")
    func halfMapInMoleculeMask() throws {
        let d = try dataset(.split, sharp: 20, blurred: 150, resolution: 4, seed: 19)
        let (inside, average, inputs) = try cellInputs(d)
        let cell = try AutoSharpen.run(inputs, parameters: SharpeningParameters(resolution: 4))
        var hp = HalfMapSharpeningParameters()
        hp.mode = .global
        let inMask = try HalfMapSharpening.sharpen(half1: d.half1, half2: d.half2, mask: d.mask, parameters: hp)
        let unmasked = try HalfMapSharpening.sharpen(half1: d.half1, half2: d.half2, mask: nil, parameters: hp)
        let none = average.correlation(with: d.truth, where: inside)
        let ccCell = cell.map.correlation(with: d.truth, where: inside)
        let ccMask = inMask.map.correlation(with: d.truth, where: inside), ccBox = unmasked.map.correlation(with: d.truth, where: inside)
        print(String(format: "split seed 19: none %.4f, half_map method %.4f, half-map sharpening in the simulation's mask %.4f, with no mask %.4f",
                     none, ccCell, ccMask, ccBox))
        #expect(cell.report.choice.settings.method == .halfMap)
        #expect(ccCell >= ccMask - 0.01)
        #expect(ccCell > ccBox + 0.01, "the molecule mask must do better than no mask")
    }
}
