import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
@testable import ModelValidation

@Suite("mtriage's d99, d_model and d_model (B = 0)")
struct ResolutionFromModelTests {
    @Test("d99 of a map hard-low-passed at d is within 10 % of d", arguments: [3.0, 4.0, 6.0])
    func d99OfLowPassedMap(d: Double) throws {
        let map = try MapModelCorrelation.modelMap(Fixture.model, grid: Fixture.grid, resolution: d)
        let d99 = try ResolutionFromModel.d99(map)
        print(String(format: "d99 of a map cut at %.1f Å: %.3f Å", d, d99))
        #expect(abs(d99 - d) <= 0.1 * d)
    }

    @Test("d_model of a model map cut at a known resolution is within 10 % of it", arguments: [3.0, 4.0, 6.0])
    func dModelOfLowPassedMap(d: Double) throws {
        let map = try MapModelCorrelation.modelMap(Fixture.model, grid: Fixture.grid, resolution: d)
        let result = try ResolutionFromModel.dModel(map: map, model: Fixture.model)
        print(String(format: "d_model of a map cut at %.1f Å: %.3f Å (CC %.5f)", d, result.resolution, result.correlation))
        #expect(abs(result.resolution - d) <= 0.1 * d)
        #expect(result.correlation > 0.98)   // the scan steps by whole shells, so the cut rarely lands exactly on d
    }

    @Test("d_model follows a Gaussian blur: a sharper model (B = 0) is pushed to a coarser d than the model's own B")
    func dModelB0() throws {
        // The map: the model with its own B (20–30 Å²) plus 100 Å², a Gaussian blur with no cut.
        var blurred = Fixture.model
        for i in blurred.atoms.indices { blurred.atoms[i].bFactor += 100 }
        let map = try MapModelCorrelation.modelMap(blurred, grid: Fixture.grid, resolution: 2.0)
        let withB = try ResolutionFromModel.dModel(map: map, model: Fixture.model)
        let zeroB = try ResolutionFromModel.dModel(map: map, model: Fixture.model, zeroB: true)
        print(String(format: "B + 100 Å² map: d_model %.2f Å (CC %.4f), d_model(B=0) %.2f Å (CC %.4f)", withB.resolution, withB.correlation, zeroB.resolution, zeroB.correlation))
        #expect(withB.resolution > 2.5, "a blurred map must not be matched at the sharpest model map")
        #expect(zeroB.resolution >= withB.resolution)
    }

    @Test("mirroring the map and the model together leaves d99, d_model and d_model(B=0) unchanged")
    func mirror() throws {
        let map = Fixture.noisy(try MapModelCorrelation.modelMap(Fixture.model, grid: Fixture.grid, resolution: 4), sigma: 0.02, seed: 3)
        let shifted = Fixture.model.translated(by: SIMD3(0.4, -0.3, 0.2))
        let a = try ResolutionFromModel.estimate(map: map, model: shifted)
        let b = try ResolutionFromModel.estimate(map: Fixture.flippedX(map), model: Fixture.flippedX(shifted, grid: Fixture.grid))
        print("mirror: \(a) / \(b)")
        #expect(abs(a.d99 - b.d99) < 1e-6 && a.dModel == b.dModel && a.dModelB0 == b.dModelB0)
        #expect(abs(a.correlationAtDModel - b.correlationAtDModel) < 1e-5 && abs(a.correlationAtDModelB0 - b.correlationAtDModelB0) < 1e-5)
    }

    @Test("a constant map has no d99")
    func constantMap() {
        var map = Volume(grid: Fixture.grid)
        for i in 0..<map.voxels.count { map.voxels[i] = 2 }
        #expect(throws: MapbookError.self) { try ResolutionFromModel.d99(map) }
    }

    @Test("EMD-3488 with 5ME2: d99, d_model and d_model(B=0), timed", .enabled(if: SharedData.has("emd_3488/5me2.pdb") && SharedData.has("emd_3488/emd_3488.mrc")))
    func emd3488() throws {
        guard let modelPath = SharedData.path("emd_3488/5me2.pdb"), let mapPath = SharedData.path("emd_3488/emd_3488.mrc") else { return }
        let model = try AtomicModelFile.read(path: modelPath)
        let map = try MRCFile.read(path: mapPath).volume
        let start = Date()
        let r = try ResolutionFromModel.estimate(map: map, model: model)
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "EMD-3488 + 5ME2 (%d scored atoms): d99 %.2f Å, d_model %.2f Å (CC %.4f), d_model(B=0) %.2f Å (CC %.4f); %.2f s (debug)",
                     ModelValidation.scoredAtoms(model).count, r.d99, r.dModel, r.correlationAtDModel, r.dModelB0, r.correlationAtDModelB0, seconds))
        #expect(r.d99 > 2.1 && r.d99 < 6)
        #expect(r.dModel > 2.1 && r.dModel < 6)
        #expect(r.dModelB0 > 2.1 && r.dModelB0 < 8)
    }
}
