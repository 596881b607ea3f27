import Foundation
import Testing
import MapbookCore
import MapModel
import FourierEngine
@testable import Postprocessing

@Suite("Soft masks")
struct SoftMaskTests {
    @Test("distance transform equals brute force on random binary volumes", arguments: [UInt64(1), 2, 3])
    func distanceTransform(seed: UInt64) {
        let size = SIMD3(11, 9, 7)
        var rng = SeededGenerator(seed: seed)
        let count = size.x * size.y * size.z
        let binary = (0..<count).map { _ in rng.nextUnit() < 0.04 }
        let d2 = DistanceTransform.squaredDistance(size: size) { binary[$0] }
        for i in 0..<count {
            let (x, y, z) = (i % size.x, (i / size.x) % size.y, i / (size.x * size.y))
            var best = Float.infinity
            for j in 0..<count where binary[j] {
                let (a, b, c) = (j % size.x, (j / size.x) % size.y, j / (size.x * size.y))
                best = min(best, Float((x - a) * (x - a) + (y - b) * (y - b) + (z - c) * (z - c)))
            }
            #expect(d2[i] == best, "voxel \(i)")
        }
    }

    @Test("one seed voxel, extend 3, edge 6: 1 to x = 2, 0.933 at 3, 0.5 at 5, 0 from 8 (RELION)")
    func seedProfile() {
        let grid = VoxelGrid(cube: 24, voxel: 1)
        var binary = [Bool](repeating: false, count: grid.count)
        binary[grid.index(4, 12, 12)] = true
        let mask = SoftMask.fromBinary(binary, grid: grid, extendVoxels: 3, softEdgeVoxels: 6)
        func at(_ dx: Int) -> Float { mask[4 + dx, 12, 12] }
        #expect(at(0) == 1 && at(1) == 1 && at(2) == 1)
        #expect(abs(at(3) - 0.9330127) < 1e-5)
        #expect(abs(at(5) - 0.5) < 1e-6)
        #expect(at(8) == 0 && at(10) == 0)
        let stats = mask.statistics
        #expect(stats.min >= 0 && stats.max <= 1)
    }

    @Test("a supplied mask must share the grid and lie in [0, 1]")
    func validation() {
        let grid = VoxelGrid(cube: 8, voxel: 2)
        let good = Volume(grid: grid) { _, _, _ in 0.5 }
        #expect(throws: Never.self) { _ = try MaskInput.checked(good, path: "m.mrc", on: grid) }
        let wrongGrid = Volume(grid: VoxelGrid(cube: 8, voxel: 2.5)) { _, _, _ in 0.5 }
        #expect { _ = try MaskInput.checked(wrongGrid, path: "m.mrc", on: grid) } throws: { e in
            "\(e)".hasPrefix("m.mrc: mask is not on the half maps' grid")
        }
        let outOfRange = Volume(grid: grid) { x, _, _ in Float(x) }
        #expect { _ = try MaskInput.checked(outOfRange, path: "m.mrc", on: grid) } throws: { e in
            "\(e)".contains("[0, 1]")
        }
        let empty = Volume(grid: grid)
        #expect { _ = try MaskInput.checked(empty, path: "m.mrc", on: grid) } throws: { e in "\(e)".contains("empty") }
    }
}
