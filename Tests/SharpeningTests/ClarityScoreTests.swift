import Foundation
import Testing
import MapbookCore
import MapModel
import TestSupport
@testable import Sharpening

/// A volume with `value` at the listed voxels and 0 elsewhere.
private func blocks(_ n: Int, _ voxels: [(Int, Int, Int)], value: Float = 1) -> Volume {
    var v = Volume(grid: VoxelGrid(cube: n, voxel: 1))
    for (x, y, z) in voxels { v[x, y, z] = value }
    return v
}

@Suite("Clarity scores")
struct ClarityScoreTests {
    @Test("threshold: values 0…N−1 shuffled leave exactly T voxels above it")
    func exactThreshold() {
        let n = 20
        var rng = SeededGenerator(seed: 7)
        var values = (0..<(n * n * n)).map { Float($0) }
        values.shuffle(using: &rng)
        let v = Volume(grid: VoxelGrid(cube: n, voxel: 1), voxels: AlignedArray(values))
        for t in [1, 137, 1600, 7999] {
            let m = ClarityMeasurer().measure(v, enclosedVoxels: t)
            let above = values.filter { Double($0) > m.threshold }.count
            #expect(above == t)
            #expect(m.enclosedVoxels == t)
        }
    }

    @Test("connectivity: face neighbours join; edge and corner neighbours do not; nothing wraps")
    func connectivity() {
        func regions(_ voxels: [(Int, Int, Int)]) -> Int {
            let v = blocks(8, voxels)
            return v.voxels.withUnsafeBufferPointer { ConnectedRegions($0, size: v.grid.size, above: 0.5).count }
        }
        #expect(regions([(2, 2, 2), (3, 2, 2)]) == 1)
        #expect(regions([(2, 2, 2), (3, 3, 2)]) == 2)
        #expect(regions([(2, 2, 2), (3, 3, 3)]) == 2)
        #expect(regions([(0, 4, 4), (7, 4, 4)]) == 2)
        #expect(regions([(2, 2, 2), (3, 2, 2), (3, 3, 2), (3, 3, 3), (6, 6, 6)]) == 2)
    }

    @Test("surface: a single voxel adds 26, a k³ cube (k+2)³ − k³")
    func surface() {
        let one = ClarityMeasurer().measure(blocks(9, [(4, 4, 4)]), enclosedVoxels: 1)
        #expect(one.regions == 1 && one.surfaceVoxels == 26 && one.surfaceRatio == 26)
        for k in [2, 3, 4] {
            var cube: [(Int, Int, Int)] = []
            for z in 3..<(3 + k) { for y in 3..<(3 + k) { for x in 3..<(3 + k) { cube.append((x, y, z)) } } }
            let m = ClarityMeasurer().measure(blocks(12, cube), enclosedVoxels: k * k * k)
            #expect(m.surfaceVoxels == (k + 2) * (k + 2) * (k + 2) - k * k * k)
            #expect(m.measuredVoxels == k * k * k)
        }
    }

    @Test("regions: the same volume as many small blobs has more regions and a lower adjusted surface area")
    func fragmentation() {
        var blob: [(Int, Int, Int)] = []
        for z in 4..<8 { for y in 4..<8 { for x in 4..<8 { blob.append((x, y, z)) } } }   // 64 voxels
        var scattered: [(Int, Int, Int)] = []
        for z in stride(from: 1, to: 16, by: 4) { for y in stride(from: 1, to: 16, by: 4) { for x in stride(from: 1, to: 16, by: 4) {
            for dz in 0..<1 { scattered.append((x, y, z + dz)) }
        } } }
        let one = ClarityMeasurer().measure(blocks(16, blob), enclosedVoxels: 64)
        let many = ClarityMeasurer().measure(blocks(16, scattered), enclosedVoxels: 64)
        #expect(one.regions == 1 && many.regions == 64)
        #expect(many.normalizedRegions > one.normalizedRegions)
        #expect(many.adjustedSurfaceArea(regionWeight: 30)! < one.adjustedSurfaceArea(regionWeight: 30)!)
        // Only the biggest regions, up to 30 % of T, are walked for the surface.
        #expect(many.measuredVoxels == 20)
    }

    @Test("kurtosis: Gaussian 3.00 ± 0.02, uniform 1.80 ± 0.01")
    func kurtosis() {
        var rng = SeededGenerator(seed: 11)
        let grid = VoxelGrid(cube: 100, voxel: 1)
        let gauss = Volume(grid: grid) { _, _, _ in Float(rng.nextGaussian()) }
        let uniform = Volume(grid: grid) { _, _, _ in Float(rng.nextUnit()) }
        let g = gauss.voxels.withUnsafeBufferPointer { ClarityMeasurer.kurtosis($0) }
        let u = uniform.voxels.withUnsafeBufferPointer { ClarityMeasurer.kurtosis($0) }
        #expect(abs(g - 3) < 0.02, "Gaussian \(g)")
        #expect(abs(u - 1.8) < 0.01, "uniform \(u)")
    }

    @Test("region-weight calibration: delta ratio inside its bounds, clamped outside, fallback 30 on failure")
    func calibration() {
        func m(_ sa: Double, _ nr: Double) -> ClarityMeasurement {
            ClarityMeasurement(enclosedVoxels: 1000, threshold: 0, regions: Int(nr * 1000), normalizedRegions: nr,
                               measuredVoxels: 300, surfaceVoxels: Int(sa * 300), surfaceRatio: sa, kurtosis: 3)
        }
        // strong, weak, middle
        let ok = RegionWeightCalibration(mapBAfter: [-100, 300, 50], measurements: [m(2.0, 0.05), m(1.0, 0.01), m(1.8, 0.02)])
        #expect(ok.outcome == .calibrated)
        #expect(abs(ok.deltaRatio! - 25) < 1e-9)
        // Bounds: max (1.8 − 1)/(0.02 − 0.01) = 80, min (2 − 1.8)/(0.05 − 0.02) = 6.67; buffered by 10 % of the gap.
        #expect(abs(ok.maximumWeight! - (80 - 0.1 * (80 - 20.0 / 3))) < 1e-9)
        #expect(abs(ok.minimumWeight! - (20.0 / 3 + 0.1 * (80 - 20.0 / 3))) < 1e-9)
        #expect(ok.weight == 25)

        // Bounds [19.7, 125] buffered to [30.2, 114.5]: the delta ratio 25 is raised to the lower one.
        let clamped = RegionWeightCalibration(mapBAfter: [-100, 300, 50], measurements: [m(2.0, 0.05), m(1.0, 0.01), m(1.25, 0.012)])
        #expect(clamped.outcome == .clamped)
        #expect(clamped.weight == clamped.minimumWeight)
        let crossed = RegionWeightCalibration(mapBAfter: [-100, 300, 50], measurements: [m(2.0, 0.05), m(1.0, 0.01), m(1.1, 0.02)])
        #expect(crossed.outcome == .boundsCrossed && crossed.weight == 25)

        let failed = RegionWeightCalibration(mapBAfter: [-100, 300, 50], measurements: [m(0.9, 0.05), m(1.0, 0.01), m(1.1, 0.02)])
        #expect(failed.outcome == .failed && failed.weight == 30)
        #expect(RegionWeightCalibration.mapBTargets(mapB: 120) == [-100, 300, 50])
        #expect(RegionWeightCalibration.mapBTargets(mapB: 400) == [-100, 400, 87.5])
    }
}

@Suite("Molecular volume and guards")
struct MolecularVolumeTests {
    @Test("FASTA: chains, residues and mass; the haemoglobin tetramer is about 62 kDa")
    func fasta() throws {
        let text = ">A\nVLSPADKTNV\nKAAW*\n>B nucleic\nACGU\n"
        let s = try SequenceComposition.parse(text)
        #expect(s.chains.count == 2)
        #expect(s.chains[0].residues == "VLSPADKTNVKAAW" && !s.chains[0].isNucleicAcid)
        #expect(s.chains[1].isNucleicAcid)
        #expect(throws: MapbookError.self) { try SequenceComposition.parse("> title only\n") }
        #expect(throws: MapbookError.self) { try SequenceComposition.parse(">A\nVL1SP\n") }
        let mv = try MolecularVolume.fromMass(50_000)
        #expect(abs(mv.volume - 61_500) < 1e-9)
        #expect(throws: ParameterProblem.self) { try MolecularVolume.fromMass(-3) }
        if SharedData.has("emd_3488/5me2_seqres.fasta"), let path = SharedData.path("emd_3488/5me2_seqres.fasta") {
            let hb = try SequenceComposition.read(path: path)
            #expect(hb.residueCount == 566)
            #expect(abs(hb.molecularMass - 62_000) < 1_500, "mass \(hb.molecularMass)")
        }
    }

    @Test("guards: a mostly-zero map is refused with the reason unless forced; bad resolutions are errors")
    func guards() throws {
        let map = try smallTestMap()
        #expect(try SharpeningGuards.check(map, labels: [], resolution: 4, force: false, path: "m.mrc").isEmpty)
        #expect(try SharpeningGuards.check(map, labels: [], resolution: 6, force: false, path: "m.mrc").count == 1)
        var masked = map
        let n = map.grid.size.x
        for z in 0..<n { for y in 0..<n { for x in 0..<n where (x - n / 2) * (x - n / 2) + (y - n / 2) * (y - n / 2) + (z - n / 2) * (z - n / 2) > 100 {
            masked[x, y, z] = 0
        } } }
        do {
            _ = try SharpeningGuards.check(masked, labels: [], resolution: 4, force: false, path: "masked.mrc")
            Issue.record("a masked map was accepted")
        } catch let e as MapbookError {
            #expect(e.path == "masked.mrc")
            #expect(e.problem.contains("exact value") && e.problem.contains("force") && !e.problem.contains("--") && !e.description.contains("\n"))
        }
        #expect(try SharpeningGuards.check(masked, labels: [], resolution: 4, force: true, path: nil).count == 1)
        for bad in [2.0, -1] {
            do {
                _ = try SharpeningGuards.check(map, labels: [], resolution: bad, force: false, path: nil)
                Issue.record("resolution \(bad) was accepted")
            } catch let e as ParameterProblem {
                #expect(e.key == "resolution" && !e.description.contains("--"), "\(e)")
            }
        }
        #expect(throws: MapbookError.self) { try SharpeningGuards.check(map, labels: ["x map_is_sharpened"], resolution: 4, force: false, path: nil) }
        var p = SharpeningParameters(resolution: 4)
        p.methods = [.halfMap]
        p.bFactor = -50
        #expect(Self.problemKey { try p.validate() } == "bfactor")
        p = SharpeningParameters(resolution: 4)
        p.search.steps = 1
        #expect(Self.problemKey { try p.validate() } == "search_steps")
        p = SharpeningParameters(resolution: 4)
        p.methods = [.bIso, .bIso]
        #expect(Self.problemKey { try p.validate() } == "method")
        p = SharpeningParameters(resolution: 4)
        p.resolutionDependent = [1, 2]
        #expect(Self.problemKey { try p.validate() } == "resolution_dependent")
        p = SharpeningParameters(resolution: 4)
        p.enclosedFraction = 0
        #expect(Self.problemKey { try p.validate() } == "enclosed_fraction")
        p = SharpeningParameters(resolution: 4)
        p.search.targetBMin = 50; p.search.targetBMax = 10
        #expect(Self.problemKey { try p.validate() } == "search_b_max")
        p = SharpeningParameters()
        #expect(Self.problemKey { try p.validateResolution() } == "resolution")
        #expect(throws: Never.self) { try SharpeningParameters(resolution: 4).validate() }
    }
}

extension MolecularVolumeTests {
    /// The key of the `ParameterProblem` that `body` throws; nil when it throws none (or another error).
    static func problemKey(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as ParameterProblem { return e.key } catch { return nil }
    }
}

@Suite("Sharpening parameters, declared")
struct SharpeningParameterDeclarationTests {
    @Test("every user-facing field is declared once, with the defaults the library had; text reads as plans and flags write it")
    func declarations() throws {
        let keys = SharpeningParameters.declarations.map(\.key)
        #expect(keys == ["method", "score", "box", "bfactor", "resolution_dependent", "d_cut", "k_sharpen", "b_blur", "target_b_iso_ratio",
                         "search_b_min", "search_b_max", "search_steps", "refinement_levels", "region_weight", "enclosed_fraction",
                         "local", "local_box"])
        for d in SharpeningParameters.declarations { #expect(!d.help.contains("--"), "\(d.key): \(d.help)") }
        let p = SharpeningParameters()
        #expect(p.methods.isEmpty && p.scoreTarget == .adjustedSurfaceArea && p.box == .automatic && p.local == nil)
        #expect(p.kSharpen == SharpeningDefaults.kSharpen && p.blurBeyondCut == SharpeningDefaults.blurBeyondCut)
        #expect(p.search.steps == SharpeningDefaults.searchSteps && p.search.refinementLevels == 3)
        #expect(p.enclosedFraction == SharpeningDefaults.enclosedFraction && p.targetBIsoRatio == SharpeningDefaults.targetBIsoRatio)

        let q = try SharpeningParameters(parameterTexts: ["method": "b-iso, half_map", "box": "1, 2, 3, 21, 22, 23", "local": "true",
                                                          "local_box": "30", "search_steps": "9", "score": "kurtosis"])
        #expect(q.methods == [.bIso, .halfMap] && q.scoreTarget == .kurtosis && q.search.steps == 9)
        #expect(q.box == .given(SubBox(start: SIMD3(1, 2, 3), size: SIMD3(20, 20, 20))))
        #expect(q.local == CubeSharpeningParameters(boxEdge: 30))
        #expect(q.parameterTexts["box"] == "1, 2, 3, 21, 22, 23" && q.parameterTexts["method"] == "b_iso, half_map")
        // The plan-keyed JSON round trip (cache keys) keeps every value.
        struct Holder: Codable { var p: SharpeningParameters
            init(_ p: SharpeningParameters) { self.p = p }
            init(from d: Decoder) throws { p = try SharpeningParameters(planKeyedFrom: d) }
            func encode(to e: Encoder) throws { try p.encodeParameters(to: e) }
        }
        let back = try JSONDecoder().decode(Holder.self, from: JSONEncoder().encode(Holder(q))).p
        #expect(back.parameterTexts == q.parameterTexts && back.box == q.box && back.local == q.local)

        for (texts, key) in [(["box": "0,0,0,0,4,4"], "box"), (["method": "sharpest"], "method"), (["local_box": "20"], "local_box"),
                             (["k_sharpen": "0"], "k_sharpen"), (["enclosed_fraction": "1.5"], "enclosed_fraction"), (["bfactor": "-9000"], "bfactor")] {
            #expect(MolecularVolumeTests.problemKey { _ = try SharpeningParameters(parameterTexts: texts) } == key, "\(texts)")
        }
    }

    @Test("no method named: the library implies it from the inputs, for the command and plans alike")
    func impliedMethods() {
        var p = SharpeningParameters(resolution: 4)
        #expect(p.methods(halfMaps: true, model: true) == [.halfMap])
        #expect(p.methods(halfMaps: false, model: true) == [.model])
        #expect(p.methods(halfMaps: false, model: false) == [.bIsoToDCut])
        p.bFactor = -40
        #expect(p.resolved(halfMaps: true, model: false).methods == [.bIsoToDCut])
        p.methods = [.bIso]
        #expect(p.methods(halfMaps: true, model: true) == [.bIso])
    }
}
