import Foundation
import Testing
import TestSupport
import MapbookCore
import MapModel
@testable import ModelValidation

@Suite("Atom inclusion")
struct AtomInclusionTests {
    @Test("1 below every atom's value, 0 above, never rising with the level")
    func limitsAndMonotonic() throws {
        let map = try MapModelCorrelation.modelMap(Fixture.model, grid: Fixture.grid, resolution: 3.5)
        let inclusion = AtomInclusion(map: map, model: Fixture.model)
        let values = inclusion.values.compactMap { $0 }
        #expect(values.count == ModelValidation.scoredAtoms(Fixture.model).count)
        let lo = Double(values.min()!), hi = Double(values.max()!)
        #expect(inclusion.fraction(atLevel: lo - 1e-3) == 1)
        #expect(inclusion.fraction(atLevel: lo) == 1)
        #expect(inclusion.fraction(atLevel: hi + 1e-3) == 0)
        let curve = try #require(inclusion.curve(levels: (lo - 0.1)...(hi + 0.1), count: 80))
        #expect(curve.first!.fraction == 1 && curve.last!.fraction == 0)
        for (a, b) in zip(curve, curve.dropFirst()) { #expect(b.fraction <= a.fraction && b.level > a.level) }
    }

    @Test("interpolation is exact for a linear map, and an atom outside the box counts as excluded")
    func interpolation() {
        let g = VoxelGrid(size: SIMD3(8, 9, 10), voxelSize: SIMD3(1.5, 1.2, 1), nstart: SIMD3(2, 0, -1), origin: SIMD3(3, 0, 0))
        let map = Volume(grid: g) { x, y, z in Float(2 * x - 3 * y + 5 * z + 1) }
        let p = g.firstVoxelPosition + SIMD3(2.3, 4.75, 6.2) * g.voxelSize
        let value = AtomInclusion.interpolate(map, at: p)
        #expect(value != nil && abs(Double(value!) - (2 * 2.3 - 3 * 4.75 + 5 * 6.2 + 1)) < 1e-4)
        #expect(AtomInclusion.interpolate(map, at: g.firstVoxelPosition - SIMD3(0.1, 0, 0)) == nil)
        let corner = g.firstVoxelPosition + SIMD3(7, 8, 9) * g.voxelSize
        #expect(AtomInclusion.interpolate(map, at: corner) == map[7, 8, 9])
        let inclusion = AtomInclusion(values: [1, 2, nil, 4])
        #expect(inclusion.fraction(atLevel: 0) == 0.75)
        #expect(inclusion.fraction(atLevel: 2) == 0.5)
        #expect(AtomInclusion(values: []).fraction(atLevel: 0) == nil)
    }

    @Test("the recommended level (the model's volume enclosed) includes most atoms of a matching map; mirroring changes nothing")
    func recommendedLevel() throws {
        let map = try MapModelCorrelation.modelMap(Fixture.model, grid: Fixture.grid, resolution: 3.5)
        let level = try AtomInclusion.recommendedLevel(map: map, model: Fixture.model, resolution: 3.5)
        let fraction = try #require(AtomInclusion(map: map, model: Fixture.model).fraction(atLevel: level))
        let flippedMap = Fixture.flippedX(map), flippedModel = Fixture.flippedX(Fixture.model, grid: Fixture.grid)
        let flippedLevel = try AtomInclusion.recommendedLevel(map: flippedMap, model: flippedModel, resolution: 3.5)
        let flippedFraction = try #require(AtomInclusion(map: flippedMap, model: flippedModel).fraction(atLevel: flippedLevel))
        print(String(format: "recommended level %.5f (map rms %.5f): inclusion %.4f; mirrored %.5f, %.4f", level, map.statistics.rms, fraction, flippedLevel, flippedFraction))
        #expect(fraction > 0.9)
        #expect(level > 0)
        #expect(abs(level - flippedLevel) < 1e-6 && abs(fraction - flippedFraction) < 1e-9)
    }

    @Test("EMD-3488 with 5ME2: inclusion at the recommended level", .enabled(if: SharedData.has("emd_3488/5me2.pdb") && SharedData.has("emd_3488/emd_3488.mrc")))
    func emd3488() throws {
        guard let modelPath = SharedData.path("emd_3488/5me2.pdb"), let mapPath = SharedData.path("emd_3488/emd_3488.mrc") else { return }
        let model = try AtomicModelFile.read(path: modelPath)
        let map = try MRCFile.read(path: mapPath).volume
        let start = Date()
        let level = try AtomInclusion.recommendedLevel(map: map, model: model, resolution: 3.2)
        let inclusion = AtomInclusion(map: map, model: model)
        let fraction = try #require(inclusion.fraction(atLevel: level))
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "EMD-3488 + 5ME2: recommended level %.4f (rms %.4f), atom inclusion %.3f; %.2f s (debug)", level, map.statistics.rms, fraction, seconds))
        #expect(fraction > 0.5 && fraction <= 1)
    }
}
