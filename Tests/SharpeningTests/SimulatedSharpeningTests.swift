import Foundation
import Testing
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps
import Simulation
@testable import Sharpening

/// A simulated map blurred by a known B: the built-in helix bundle, its model map blurred by
/// B = 100 Å², plus half-map noise with FSC 0.143 at 3.5 Å; the map is the average of the
/// halves. The truth is the unblurred model map.
struct BlurredSimulation {
    var map: Volume
    var truth: Volume
    var mask: Volume
    var half1: Volume
    var half2: Volume
    var model: AtomicModel

    /// The B = 100 Å² simulation, made once for all tests.
    static let shared: Result<BlurredSimulation, Error> = Result { try make() }

    static func make(blur: Double = 100) throws -> BlurredSimulation {
        var p = SimulationParameters()
        p.size = 64
        p.voxelSize = 1.0
        p.extraBFactor = blur
        p.fsc = FSCDesign(shape: .whiteNoise, resolution: 3.5)
        p.seed = 5
        let data = try DatasetSimulator.make(p)
        var map = data.half1
        map.voxels.withUnsafeMutableBufferPointer { m in
            data.half2.voxels.withUnsafeBufferPointer { h in for i in 0..<m.count { m[i] = 0.5 * (m[i] + h[i]) } }
        }
        let truth = try ModelMap.density(of: data.model, on: map.grid)
        return BlurredSimulation(map: map, truth: truth, mask: data.mask, half1: data.half1, half2: data.half2, model: data.model)
    }
}

@Suite("Automatic sharpening of a simulated map")
struct SimulatedSharpeningTests {
    @Test("the chosen map's CC with the truth is at least 0.97 of the best CC over the whole search grid")
    func choiceAgainstGrid() throws {
        let sim = try BlurredSimulation.shared.get()
        let resolution = 3.5
        for target in SharpeningScoreTarget.allCases {
            var p = SharpeningParameters(resolution: resolution)
            p.scoreTarget = target
            let out = try AutoSharpen.run(SharpeningInputs(map: sim.map), parameters: p)
            let chosen = Volume.correlation(out.map, sim.truth, mask: sim.mask)
            var best = -1.0, bestB = 0.0
            for trial in out.report.trials where trial.stage == .grid {
                let m = try AutoSharpen.apply(trial.settings!, to: sim.map, resolution: resolution)
                let cc = Volume.correlation(m, sim.truth, mask: sim.mask)
                if cc > best { best = cc; bestB = trial.mapBAfter! }
            }
            let input = Volume.correlation(sim.map, sim.truth, mask: sim.mask)
            print(String(format: "simulated (B 100 Å² blur, %@): map B %.1f Å², chosen map B %.1f Å² (%@), CC %.4f; best grid CC %.4f at map B %.1f Å²; ratio %.4f; input CC %.4f; region weight %.2f (%@)",
                         target.rawValue, out.report.mapBFactor.bFactor, out.report.choice.mapBAfter ?? .nan,
                         out.report.choice.settings.summary, chosen, best, bestB, chosen / best, input,
                         out.report.regionWeight, out.report.regionWeightSource))
            #expect(chosen >= 0.97 * best)
            #expect(chosen > input, "sharpening should bring the blurred map closer to the truth")
            #expect(out.map.grid == sim.map.grid)
        }
    }

    @Test("every method runs without a search when its parameters are given; half_map and model from their inputs")
    func fixedMethods() throws {
        let sim = try BlurredSimulation.shared.get()
        let resolution = 3.5
        var p = SharpeningParameters(resolution: resolution)
        p.methods = [.bIso, .bIsoToDCut, .resolutionDependent, .targetBIso, .halfMap, .model]
        p.bFactor = -60
        p.resolutionDependent = [0.5, 0, -2]
        let inputs = SharpeningInputs(map: sim.map, halfMaps: (sim.half1, sim.half2), model: sim.model)
        let out = try AutoSharpen.run(inputs, parameters: p)
        let fixed = out.report.trials.filter { $0.stage == .fixed }
        #expect(fixed.count == 6)
        #expect(!out.report.trials.contains { $0.stage == .grid || $0.stage == .refinement || $0.stage == .calibration })
        #expect(out.report.regionWeightSource.hasPrefix("default"))
        for t in fixed {
            let m = try AutoSharpen.apply(t.settings!, to: sim.map, resolution: resolution)
            let cc = Volume.correlation(m, sim.truth, mask: sim.mask)
            print(String(format: "%@ (%@): score %.4f, CC with truth %.4f", t.settings!.method.rawValue, t.settings!.summary, t.score ?? .nan, cc))
            #expect(cc > Volume.correlation(sim.map, sim.truth, mask: sim.mask) - 0.05)
        }
        let target = try #require(fixed.first { $0.settings?.method == .targetBIso })
        #expect(abs(target.mapBAfter! - 5.9 * 3.5 * 3.5) < 1e-9)
        #expect(out.report.fsc != nil)
    }

    @Test("local sharpening blends cubes into a map that stays close to the global one")
    func local() throws {
        let sim = try BlurredSimulation.shared.get()
        var p = SharpeningParameters(resolution: 3.5)
        p.local = CubeSharpeningParameters(boxEdge: 32)
        p.search.steps = 9
        let out = try AutoSharpen.run(SharpeningInputs(map: sim.map), parameters: p)
        let report = try #require(out.report.local)
        #expect(report.edge == 32 && report.spacing == 16)
        #expect(!report.cubes.isEmpty)
        var global = p
        global.local = nil
        let g = try AutoSharpen.run(SharpeningInputs(map: sim.map), parameters: global)
        let cc = Volume.correlation(out.map, g.map)
        let truthLocal = Volume.correlation(out.map, sim.truth, mask: sim.mask)
        let truthGlobal = Volume.correlation(g.map, sim.truth, mask: sim.mask)
        print(String(format: "local: %d cubes (%d skipped), CC with the global map %.4f; CC with truth local %.4f, global %.4f; map B after %@",
                     report.cubes.count, report.skipped, cc, truthLocal, truthGlobal,
                     report.cubes.map { String(format: "%.0f", $0.mapBAfter ?? .nan) }.joined(separator: " ")))
        #expect(cc > 0.9)
        #expect(truthLocal > truthGlobal - 0.03)
    }
}
