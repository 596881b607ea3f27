import Foundation
import Testing
import FourierEngine
import MapbookCore
import MapModel
@testable import Simulation

/// The harness's score against cases with a known answer.
@Suite("Truth score")
struct TruthScoreTests {
    static let grid = VoxelGrid(cube: 32, voxel: 1.5)

    /// A smooth blob of Gaussian "atoms" (σ 2 voxels) inside a sphere: a truth with content at
    /// every frequency up to about 1/(2πσ).
    static func truth() -> Volume {
        var rng = SeededGenerator(seed: 7)
        let centres = (0..<40).map { _ in SIMD3(Double.random(in: 9...23, using: &rng), Double.random(in: 9...23, using: &rng), Double.random(in: 9...23, using: &rng)) }
        return Volume(grid: grid) { x, y, z in
            let p = SIMD3(Double(x), Double(y), Double(z))
            var sum = 0.0
            for c in centres { let d = p - c; sum += exp(-(d * d).sum() / 8) }
            return Float(sum)
        }
    }

    static func sphereMask(radius: Double) -> Volume {
        Volume(grid: grid) { x, y, z in
            let d = SIMD3(Double(x - 16), Double(y - 16), Double(z - 16))
            return (d * d).sum() <= radius * radius ? 1 : 0
        }
    }

    @Test("the truth itself, and any scaled and shifted copy, correlates 1 and its FSC is 1 in every shell with signal")
    func identity() throws {
        let t = Self.truth(), mask = Self.sphereMask(radius: 12)
        var scaled = t
        for i in scaled.voxels.indices { scaled.voxels[i] = 3 * scaled.voxels[i] - 0.5 }
        let s = try TruthScore.score(scaled, truth: t, mask: mask)
        #expect(abs(s.correlation - 1) < 1e-6)
        // The masked copy is 3·t·m − 0.5·m: every shell but the mask's own offset term agrees.
        let same = try TruthScore.score(t, truth: t, mask: mask)
        #expect(abs(same.correlation - 1) < 1e-9)
        for i in 1..<same.fsc.shellCount where same.fsc.isDefined(i) { #expect(abs(same.fsc.fsc[i] - 1) < 1e-5) }
    }

    @Test("the truth plus white noise of known variance correlates sqrt(S/(S+N)) inside the mask")
    func noise() throws {
        let t = Self.truth(), mask = Self.sphereMask(radius: 12)
        let inside = mask.voxels.map { $0 >= 0.5 }
        var sum = 0.0, sum2 = 0.0, n = 0.0
        for i in t.voxels.indices where inside[i] { let v = Double(t.voxels[i]); sum += v; sum2 += v * v; n += 1 }
        let signal = sum2 / n - (sum / n) * (sum / n)
        var rng = SeededGenerator(seed: 11)
        for sd in [0.25, 0.5, 1.0] {
            let noisy = Volume(grid: Self.grid) { x, y, z in t[x, y, z] + Float(sd * signal.squareRoot() * rng.nextGaussian()) }
            let expected = (1 / (1 + sd * sd)).squareRoot()
            let s = try TruthScore.score(noisy, truth: t, mask: mask)
            #expect(abs(s.correlation - expected) < 0.02, "sd \(sd): \(s.correlation) vs \(expected)")
        }
    }

    @Test("regions split the mask at the median local resolution, and each region is scored on its own voxels")
    func regions() throws {
        let t = Self.truth(), mask = Self.sphereMask(radius: 12)
        // 3 Å on the left half of the box, 6 Å on the right; noise only on the right.
        let resolution = Volume(grid: Self.grid) { x, _, _ in x < 16 ? 3 : 6 }
        var rng = SeededGenerator(seed: 5)
        let map = Volume(grid: Self.grid) { x, y, z in t[x, y, z] + (x < 16 ? 0 : Float(0.3 * rng.nextGaussian())) }
        let split = try TruthScore.regionsByResolution(resolution, mask: mask)
        #expect(split.regions.count == 2)
        let s = try TruthScore.score(map, truth: t, mask: mask, regions: split.regions)
        #expect(abs(s.regionCorrelations[0] - 1) < 1e-6, "the clean half")
        #expect(s.regionCorrelations[1] < 0.99 && s.regionCorrelations[1] > 0.5, "the noisy half: \(s.regionCorrelations[1])")
        #expect(s.correlation < 1 && s.correlation > s.regionCorrelations[1])
    }

    @Test("an empty mask, a constant map or another grid is one clear error")
    func errors() throws {
        let t = Self.truth()
        #expect { try TruthScore.score(t, truth: t, mask: Volume(grid: Self.grid)) } throws: { "\($0)".contains("no voxel at or above 0.5") }
        #expect { try TruthScore.score(Volume(grid: Self.grid), truth: t, mask: Self.sphereMask(radius: 10)) } throws: { "\($0)".contains("constant inside the mask") }
        let other = Volume(grid: VoxelGrid(cube: 30, voxel: 1.5))
        #expect { try TruthScore.score(t, truth: other, mask: Self.sphereMask(radius: 10)) } throws: { "\($0)".contains("not on the map's grid") }
    }
}
