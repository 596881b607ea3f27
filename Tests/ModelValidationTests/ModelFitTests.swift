import Foundation
import Testing
import MapbookCore
import MapModel
import ModelMaps
import Simulation
@testable import ModelValidation

@Suite("Model fit: every measure in one run")
struct ModelFitTests {
    /// A 48³ simulated helix bundle at 4 Å (white-noise FSC design), with its model.
    static let data: Result<SimulatedDataset, Error> = Result {
        var p = SimulationParameters()
        p.size = 48
        p.voxelSize = 1.2
        p.fsc = FSCDesign(shape: .whiteNoise, resolution: 4)
        p.seed = 11
        return try DatasetSimulator.make(p)
    }

    @Test("on a simulation with its own model: resolution from the half maps, a good fit, the half maps alike, no warning")
    func simulated() throws {
        let d = try Self.data.get()
        let average = HalfMapPair.average(d.half1, d.half2)
        let r = try ModelFit.run(map: average, model: d.model, halves: (d.half1, d.half2))
        print(String(format: "model fit: d %.2f Å (%@), CC_mask %.3f, CC_box %.3f, d_model %.2f, mean Q %.3f (expected %.3f), inclusion %.3f at %.4g, d_FSC_model(0.5) %.2f",
                     r.resolution, r.resolutionSource, r.correlations.mask, r.correlations.box, r.resolutions.dModel, r.meanQ,
                     r.expectedQ ?? .nan, r.atomInclusion, r.contour, r.fscMasked.resolutionAtHalf.interpolatedResolution))
        #expect(r.resolutionSource == "half-map FSC 0.143" && abs(r.resolution - 4) < 0.6)
        #expect(r.placement.insideFraction == 1 && r.placement.bestShiftVoxels == .zero && r.warnings.isEmpty, "\(r.warnings)")
        #expect(r.correlations.mask > 0.5 && r.meanQ > 0.3 && r.atomInclusion > 0.7)
        // Both halves hold the same signal as the model: neither is favoured (no overfitting).
        let halves = try #require(r.fscHalves)
        #expect(abs(halves[0].correlation - halves[1].correlation) < 0.05)
        #expect(r.residues.count > 10 && r.residues.allSatisfy { $0.q != nil && $0.localResolution == nil })
        #expect(r.worstResidues(5).count == 5 && r.worstResidues(5).first!.q! <= r.worstResidues(5).last!.q!)
        #expect(r.inclusionCurve.count == 50)
        // The map–model FSC is the one `mapbook fsc MAP --model` reports.
        let direct = try MapModelFSC.compare(map: average, modelMap: try ModelMap.density(of: d.model, on: average.grid))
        #expect(direct.fsc.fsc.count == r.fsc.fsc.fsc.count && zip(direct.fsc.fsc, r.fsc.fsc.fsc).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
    }

    @Test("a model moved by whole voxels is found, with the shift; without half maps the resolution must be given")
    func shiftedAndNoResolution() throws {
        let d = try Self.data.get()
        let average = HalfMapPair.average(d.half1, d.half2)
        var moved = d.model
        for i in moved.atoms.indices { moved.atoms[i].position += SIMD3(3 * 1.2, 0, -2 * 1.2) }
        var p = ModelFitParameters()
        p.resolution = 4
        let r = try ModelFit.run(map: average, model: moved, parameters: p)
        #expect(r.placement.bestShiftVoxels == SIMD3(-3, 0, 2), "\(r.placement)")
        #expect(r.warnings.contains { $0.contains("better moved by (-3.6, 0.0, 2.4) Å") }, "\(r.warnings)")
        #expect(r.resolutionSource == "given" && r.fscHalves == nil)
        #expect { try ModelFit.run(map: average, model: d.model) } throws: { ($0 as? ParameterProblem)?.key == "resolution" }
    }

    @Test("the noise-free truth fits its model better than the noisy average; a local-resolution map gives each residue its own")
    func truthAndLocalResolution() throws {
        let d = try Self.data.get()
        var p = ModelFitParameters()
        p.resolution = 4
        let truth = try ModelFit.run(map: d.truth, model: d.model, localResolution: d.localResolution, parameters: p)
        let noisy = try ModelFit.run(map: HalfMapPair.average(d.half1, d.half2), model: d.model, parameters: p)
        print(String(format: "truth against noisy average: CC_mask %.3f / %.3f, mean Q %.3f / %.3f", truth.correlations.mask, noisy.correlations.mask,
                     truth.meanQ, noisy.meanQ))
        #expect(truth.correlations.mask > noisy.correlations.mask && truth.meanQ > noisy.meanQ)
        let locals = truth.residues.compactMap(\.localResolution)
        #expect(locals.count == truth.residues.count && locals.allSatisfy { $0 > 0 })
    }
}
