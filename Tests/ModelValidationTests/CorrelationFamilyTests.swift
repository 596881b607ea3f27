import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps
import Simulation
@testable import ModelValidation

/// What the ModelValidation tests share: a helix bundle on a 60³ grid of 1 Å voxels, and the
/// mirror and noise operations the tests apply to it.
enum Fixture {
    /// The default 4-helix bundle (about 800 atoms), centred on the origin.
    static let model: AtomicModel = try! HelixBundle.make()
    /// 60³ voxels of 1 Å around the origin: the bundle sits well inside.
    static let grid = VoxelGrid(size: SIMD3(60, 60, 60), voxelSize: SIMD3(repeating: 1), origin: SIMD3(repeating: -30))

    /// The map mirrored along x (voxel i goes to n − 1 − i).
    static func flippedX(_ v: Volume) -> Volume {
        let n = v.grid.size
        return Volume(grid: v.grid) { x, y, z in v[n.x - 1 - x, y, z] }
    }

    /// The model mirrored through the same plane as `flippedX` mirrors a map on `grid`.
    static func flippedX(_ m: AtomicModel, grid: VoxelGrid) -> AtomicModel {
        let plane = 2 * grid.firstVoxelPosition.x + Double(grid.size.x - 1) * grid.voxelSize.x
        var out = m
        for i in out.atoms.indices { out.atoms[i].position.x = plane - out.atoms[i].position.x }
        return out
    }

    /// `v` plus white Gaussian noise of standard deviation `sigma` (Box–Muller, seeded).
    static func noisy(_ v: Volume, sigma: Double, seed: UInt64) -> Volume {
        var rng = SeededGenerator(seed: seed)
        var out = v
        for i in 0..<out.voxels.count {
            let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
            out.voxels[i] += Float(sigma * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
        }
        return out
    }
}

@Suite("Phenix's CC family: CC_box, CC_mask, CC_volume, CC_peaks")
struct CorrelationFamilyTests {
    @Test("a map identical to the model map gives every CC = 1")
    func identical() throws {
        let map = try MapModelCorrelation.modelMap(Fixture.model, grid: Fixture.grid, resolution: 3.5)
        let cc = try MapModelCorrelation.compute(map: map, model: Fixture.model, resolution: 3.5)
        print(String(format: "identical: CC_box %.8f CC_mask %.8f CC_volume %.8f CC_peaks %.8f (radius %.2f Å, N %d)",
                     cc.box, cc.mask, cc.volume, cc.peaks, cc.maskRadius, cc.maskVoxelCount))
        for value in [cc.box, cc.mask, cc.volume, cc.peaks] { #expect(abs(value - 1) < 1e-6) }
        #expect(cc.maskVoxelCount > 1000 && cc.maskVoxelCount < Fixture.grid.count / 2)
    }

    @Test("every CC falls as noise is added")
    func noise() throws {
        let clean = try MapModelCorrelation.modelMap(Fixture.model, grid: Fixture.grid, resolution: 3.5)
        let rms = clean.statistics.rms
        var previous: CorrelationFamily? = nil
        for (k, level) in [0.1, 0.3, 1, 3].enumerated() {
            let map = Fixture.noisy(clean, sigma: level * rms, seed: 15 + UInt64(k))
            let cc = try MapModelCorrelation.compute(map: map, model: Fixture.model, resolution: 3.5)
            print(String(format: "noise %.1f × rms: CC_box %.4f CC_mask %.4f CC_volume %.4f CC_peaks %.4f", level, cc.box, cc.mask, cc.volume, cc.peaks))
            if let p = previous {
                #expect(cc.box < p.box && cc.mask < p.mask && cc.volume < p.volume && cc.peaks < p.peaks)
            }
            previous = cc
        }
        #expect(previous!.box < 0.5)
    }

    @Test("mirroring the map and the model together leaves every CC unchanged")
    func mirror() throws {
        let map = Fixture.noisy(try MapModelCorrelation.modelMap(Fixture.model, grid: Fixture.grid, resolution: 4), sigma: 0.02, seed: 7)
        let shifted = Fixture.model.translated(by: SIMD3(0.4, -0.3, 0.2))   // a model that does not fit exactly
        let a = try MapModelCorrelation.compute(map: map, model: shifted, resolution: 4)
        let b = try MapModelCorrelation.compute(map: Fixture.flippedX(map), model: Fixture.flippedX(shifted, grid: Fixture.grid), resolution: 4)
        print(String(format: "mirror: CC_mask %.6f / %.6f, CC_peaks %.6f / %.6f", a.mask, b.mask, a.peaks, b.peaks))
        #expect(a.maskVoxelCount == b.maskVoxelCount)
        for (x, y) in [(a.box, b.box), (a.mask, b.mask), (a.volume, b.volume), (a.peaks, b.peaks)] { #expect(abs(x - y) < 1e-5) }
        #expect(a.mask < 0.999, "the shifted model must not fit perfectly, or the test proves nothing")
    }

    @Test("the mask radius is the atom image's central-peak half-width: ~0.7 d for a sharp atom, wider when blurred")
    func maskRadius() {
        // A hard cut of a flat spectrum has its first zero at 4.493/(2π)·d = 0.715 d; the falling
        // form factor widens the peak a little.
        for d in [2.0, 3.0, 4.0, 6.0] {
            let r = MapModelCorrelation.maskRadius(resolution: d, bFactor: 0)
            print(String(format: "mask radius at %.1f Å: B 0 → %.2f Å, B 50 → %.2f Å", d, r, MapModelCorrelation.maskRadius(resolution: d, bFactor: 50)))
            #expect(r >= 0.7 * d && r <= 0.9 * d)
            #expect(MapModelCorrelation.maskRadius(resolution: d, bFactor: 50) >= r)
        }
    }

    @Test("refuses maps and masks on different grids, and a model that misses the map")
    func refusals() throws {
        let map = Volume(grid: Fixture.grid)
        #expect(throws: MapbookError.self) { try MapModelCorrelation.correlations(map: map, modelMap: map, mask: [true], maskRadius: 2, resolution: 3) }
        let far = Fixture.model.translated(by: SIMD3(500, 0, 0))
        #expect(throws: MapbookError.self) { try MapModelCorrelation.compute(map: map, model: far, resolution: 3) }
        #expect(throws: MapbookError.self) { try MapModelCorrelation.modelMap(Fixture.model, grid: Fixture.grid, resolution: 0) }
    }

    @Test("EMD-3488 with 5ME2: the four CCs, timed", .enabled(if: SharedData.has("emd_3488/5me2.pdb") && SharedData.has("emd_3488/emd_3488.mrc")))
    func emd3488() throws {
        guard let modelPath = SharedData.path("emd_3488/5me2.pdb"), let mapPath = SharedData.path("emd_3488/emd_3488.mrc") else { return }
        let model = try AtomicModelFile.read(path: modelPath)
        let map = try MRCFile.read(path: mapPath).volume
        let start = Date()
        let cc = try MapModelCorrelation.compute(map: map, model: model, resolution: 3.2)
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "EMD-3488 + 5ME2 (%d scored atoms) at 3.2 Å: CC_mask %.4f CC_box %.4f CC_volume %.4f CC_peaks %.4f (mask radius %.2f Å, N %d); %.2f s (debug)",
                     ModelValidation.scoredAtoms(model).count, cc.mask, cc.box, cc.volume, cc.peaks, cc.maskRadius, cc.maskVoxelCount, seconds))
        #expect(cc.mask > 0.5 && cc.mask < 0.95)
        #expect(cc.box > 0.3 && cc.box < 0.95)
        #expect(cc.volume > 0.4 && cc.volume < 0.95)
        #expect(cc.peaks > 0.3 && cc.peaks < 0.95)
        #expect(cc.maskRadius > 1.5 && cc.maskRadius < 4)
    }

    /// The issue's independent check: gemmi's model map (DensityCalculatorE) cut at 3.2 Å and
    /// correlated with numpy, over the box and over the same-radius mask
    /// (`python3 fixtures/gemmi/cc_family.py 5me2.pdb emd_3488.mrc 3.2 RADIUS`).
    @Test("EMD-3488 with 5ME2: CC_box and CC_mask agree with gemmi + numpy within 0.01",
          .enabled(if: SharedData.has("emd_3488/5me2.pdb") && SharedData.has("emd_3488/emd_3488.mrc")))
    func againstGemmi() throws {
        guard let modelPath = SharedData.path("emd_3488/5me2.pdb"), let mapPath = SharedData.path("emd_3488/emd_3488.mrc") else { return }
        guard ExternalTool.pythonHas("gemmi") && ExternalTool.pythonHas("numpy") else {
            print("skipped: python3 cannot import gemmi and numpy (python3 -m pip install gemmi numpy)")
            return
        }
        let model = try AtomicModelFile.read(path: modelPath)
        let map = try MRCFile.read(path: mapPath).volume
        let ours = try MapModelCorrelation.compute(map: map, model: model, resolution: 3.2)
        let script = SharedData.fixture("gemmi/cc_family.py")
        let arguments = [script, modelPath, mapPath, "3.2", String(ours.maskRadius)]
        let run = ExternalTool.run("python3", arguments)
        #expect(run?.status == 0, "gemmi script failed: \(run?.stderr ?? "could not start python3")")
        guard let run, run.status == 0 else { return }
        let line = try #require(run.stdout.split(separator: "\n").last.map(String.init))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let box = try #require(json["cc_box"] as? Double), mask = try #require(json["cc_mask"] as? Double)
        let voxels = try #require(json["mask_voxels"] as? Int)
        print(String(format: "EMD-3488 + 5ME2 at 3.2 Å, mask radius %.3f Å: CC_box %.4f (gemmi %.4f), CC_mask %.4f (gemmi %.4f), mask voxels %d (numpy %d); command: python3 %@",
                     ours.maskRadius, ours.box, box, ours.mask, mask, ours.maskVoxelCount, voxels, arguments.joined(separator: " ")))
        #expect(abs(ours.box - box) < 0.01)
        #expect(abs(ours.mask - mask) < 0.01)
        #expect(abs(Double(ours.maskVoxelCount - voxels)) <= 0.01 * Double(voxels))
    }
}

@Suite("The N-th highest voxel")
struct HighestVoxelsTests {
    @Test("the histogram selection agrees with a full sort, ties and all")
    func againstSort() {
        let map = Fixture.noisy(Volume(grid: VoxelGrid(cube: 20, voxel: 1)), sigma: 1, seed: 11)
        let sorted = map.voxels.sorted(by: >)
        for k in [1, 2, 17, 400, 4000, 7999, 8000, 9000] {
            #expect(MapModelCorrelation.thresholdForHighest(map, count: k) == sorted[min(k, sorted.count) - 1])
        }
        var flat = Volume(grid: VoxelGrid(cube: 4, voxel: 1))
        for i in 0..<flat.voxels.count { flat.voxels[i] = Float(i % 3) }
        #expect(MapModelCorrelation.thresholdForHighest(flat, count: 30) == 1)
        #expect(MapModelCorrelation.highest(flat, count: 30).filter { $0 }.count == 42)
    }
}
