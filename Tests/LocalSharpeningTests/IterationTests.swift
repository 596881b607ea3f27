import Foundation
import Testing
import FourierEngine
import MapbookCore
import MapModel
@testable import LocalSharpening

/// λ, the stop rule and the invariants of the update (§2.8.2–4).
@Suite("LocalDeblur iteration")
struct IterationTests {
    static let grid = VoxelGrid(cube: 40, voxel: 1.1)

    /// Smooth blobs plus white noise, with a resolution map of 3.5–6 Å inside a sphere.
    static let map: Volume = {
        var rng = SeededGenerator(seed: 5)
        let centres = (0..<40).map { _ in SIMD3(rng.nextUnit(), rng.nextUnit(), rng.nextUnit()) * 20 + 10 }
        var v = Volume(grid: grid) { x, y, z in
            var s = 0.0
            for c in centres {
                let d = SIMD3(Double(x), Double(y), Double(z)) - c
                s += exp(-(d * d).sum() / 3)
            }
            return Float(s)
        }
        let noise = Maps.noise(grid, sd: 0.05, seed: 6)
        for i in 0..<v.voxels.count { v.voxels[i] += noise.voxels[i] }
        return v
    }()
    static let resolution = try! Maps.prepared(Maps.sphere(grid, radius: 14) { x, y, _ in 3.5 + 2.5 * Double(x + y) / 78 })

    @Test("automatic λ = ‖V0‖ / (12 ‖H V0‖); a user λ is used as given")
    func lambda() throws {
        let out = try LocalDeblur.run(map: Self.map, resolution: Self.resolution, parameters: .xmipp)
        let op = try OperatorTests.make(.interpolated, Self.resolution)
        let h = OperatorTests.apply(op, Self.map)
        let expected = Maps.dot(Self.map, Self.map).squareRoot() / (12 * Maps.dot(h, h).squareRoot())
        print("automatic λ \(out.record.lambda), expected \(expected); \(out.record.innerIterations) iterations, norms \(out.record.norms.map { String(format: "%.4g", $0) })")
        #expect(abs(out.record.lambda - expected) / expected < 1e-6)
        #expect(out.record.lambdaAutomatic && !out.record.lambdaCapped)
        var p = LocalDeblurParameters.xmipp
        p.lambda = 0.7
        let given = try LocalDeblur.run(map: Self.map, resolution: Self.resolution, parameters: p)
        #expect(given.record.lambda == 0.7 && !given.record.lambdaAutomatic)
    }

    @Test("stop rule on a synthetic norm sequence: fires at the first i > 2 where 100·n_{i−1}/n_i rose by < 1 point")
    func stopRule() {
        // p: 0, 50, 80, 90, 95, 95.5 → rises 30, 10, 5, 0.5: fires at i = 6.
        let norms: [Double] = [1, 2, 2.5, 2.5 / 0.9, 2.5 / 0.9 / 0.95, 2.5 / 0.9 / 0.95 / 0.955]
        var rule = InnerStopRule()
        let fired = norms.map { rule.observe(norm: $0) }
        print("stop rule: p = \(rule.percentages.map { String(format: "%.2f", $0) }), fired \(fired)")
        #expect(fired == [false, false, false, false, false, true])
        // It cannot fire before i = 3, even when p rises by less than a point (p_1 = 0 after
        // p_0 = 1; p_2 = 0.5); level norms then fire it at i = 3.
        var early = InnerStopRule()
        #expect([1.0, 200].map { early.observe(norm: $0) } == [false, false])
        var level = InnerStopRule()
        #expect([1.0, 1, 1].map { level.observe(norm: $0) } == [false, false, true])
    }

    @Test("the stopping iteration's update is applied: a cap at the same count gives the same map, one less does not")
    func stoppingUpdateApplied() throws {
        let ruled = try LocalDeblur.run(map: Self.map, resolution: Self.resolution, parameters: .xmipp)
        #expect(ruled.record.stoppedByRule)
        var replay = InnerStopRule()
        let firstFiring = ruled.record.norms.firstIndex { replay.observe(norm: $0) }.map { $0 + 1 }
        #expect(firstFiring == ruled.record.innerIterations)
        var p = LocalDeblurParameters.xmipp
        p.maximumInnerIterations = ruled.record.innerIterations
        let capped = try LocalDeblur.run(map: Self.map, resolution: Self.resolution, parameters: p)
        p.maximumInnerIterations = ruled.record.innerIterations - 1
        let shorter = try LocalDeblur.run(map: Self.map, resolution: Self.resolution, parameters: p)
        #expect(capped.map == ruled.map)
        #expect(shorter.map != ruled.map)
        #expect(!shorter.record.stoppedByRule && shorter.record.warnings.contains { $0.contains("cap") })
    }

    @Test("outside the mask nothing changes but the −4σ_out floor; nothing falls below it; scaling the input scales the output")
    func invariants() throws {
        var input = Self.map
        let mask = Self.resolution.mask
        // Deep negative outliers outside the mask, which the floor must catch.
        var planted = 0
        for i in stride(from: 0, to: input.voxels.count, by: 97) where mask.voxels[i] == 0 { input.voxels[i] = -3; planted += 1 }
        let out = try LocalDeblur.run(map: input, resolution: Self.resolution)
        let floor = Float(out.record.clampLevel!)
        var changedOutside = 0, clampedOutside = 0, below = 0
        for i in 0..<input.voxels.count {
            let a = input.voxels[i], b = out.map.voxels[i]
            if b < floor { below += 1 }
            guard mask.voxels[i] == 0 else { continue }
            if a < floor { if b == floor { clampedOutside += 1 } else { changedOutside += 1 } } else if a != b { changedOutside += 1 }
        }
        print("floor \(floor) (σ_out \(out.record.sigmaOutside)); \(planted) outliers planted outside, \(clampedOutside) clamped, \(changedOutside) other outside voxels changed, \(below) below the floor")
        #expect(changedOutside == 0 && below == 0 && clampedOutside >= planted)
        #expect(abs(Double(floor) + 4 * out.record.sigmaOutside) < 1e-6)

        var scaled = input
        for i in 0..<scaled.voxels.count { scaled.voxels[i] *= 3 }
        let big = try LocalDeblur.run(map: scaled, resolution: Self.resolution)
        var expected = out.map
        for i in 0..<expected.voxels.count { expected.voxels[i] *= 3 }
        let difference = Maps.relativeMaxDifference(big.map, expected)
        print("scaling by 3: λ \(out.record.lambda) → \(big.record.lambda), max relative difference \(difference)")
        #expect(abs(big.record.lambda - out.record.lambda) / out.record.lambda < 1e-6)
        #expect(big.record.innerIterations == out.record.innerIterations)
        #expect(difference < 1e-5)
    }

    @Test("a masked input (flat outside) disables the floor with a warning; bad parameters are refused")
    func edgeCases() throws {
        var masked = Self.map
        for i in 0..<masked.voxels.count where Self.resolution.mask.voxels[i] == 0 { masked.voxels[i] = 0 }
        let out = try LocalDeblur.run(map: masked, resolution: Self.resolution)
        #expect(out.record.clampLevel == nil && out.record.warnings.contains { $0.contains("masked") })
        #expect(out.map.voxels.allSatisfy { $0.isFinite })
        var p = LocalDeblurParameters.xmipp
        p.k = 0
        #expect { try LocalDeblur.run(map: Self.map, resolution: Self.resolution, parameters: p) } throws: { ($0 as? ParameterProblem)?.key == "k" && !"\($0)".contains("--") }
        p = LocalDeblurParameters()
        p.lambda = -1
        #expect { try LocalDeblur.run(map: Self.map, resolution: Self.resolution, parameters: p) } throws: { ($0 as? ParameterProblem)?.key == "lambda" && !"\($0)".contains("--") }
        let other = VoxelGrid(cube: 40, voxel: 1.3)
        #expect { try LocalDeblur.run(map: Volume(grid: other), resolution: Self.resolution) } throws: { "\($0)".contains("grid") }
    }
}
