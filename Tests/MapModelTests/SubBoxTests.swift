import Foundation
import Testing
@testable import MapModel
import MapbookCore

@Suite("Sub-boxes")
struct SubBoxTests {
    static func numbered(_ n: SIMD3<Int>) -> Volume {
        Volume(grid: VoxelGrid(size: n, voxelSize: SIMD3(repeating: 1.5), nstart: SIMD3(-4, 0, 2))) { x, y, z in Float(x + 100 * y + 10_000 * z) }
    }

    @Test("cut equals the brute-force periodic copy, inside the map and wrapping around its edges")
    func cutMatchesBruteForce() {
        let n = SIMD3(13, 11, 9)
        let v = Self.numbered(n)
        for box in [SubBox(start: SIMD3(2, 3, 1), size: SIMD3(8, 6, 5)), SubBox(start: SIMD3(10, -3, 7), size: SIMD3(7, 8, 4)),
                    SubBox(start: SIMD3(-5, 9, -2), size: SIMD3(13, 4, 9)), SubBox.whole(v.grid)] {
            let c = box.cut(v)
            #expect(c.grid.size == box.size)
            #expect(c.grid.nstart == v.grid.nstart &+ box.start && c.grid.voxelSize == v.grid.voxelSize)
            var i = 0
            for z in 0..<box.size.z { for y in 0..<box.size.y { for x in 0..<box.size.x {
                let fx = SubBox.wrap(box.start.x + x, n.x), fy = SubBox.wrap(box.start.y + y, n.y), fz = SubBox.wrap(box.start.z + z, n.z)
                #expect(c.voxels[i] == Float(fx + 100 * fy + 10_000 * fz), "\(box) at \(x),\(y),\(z)")
                i += 1
            } } }
        }
    }

    @Test("embed puts the cut back where it came from and fills the rest")
    func embedInvertsCut() {
        let v = Self.numbered(SIMD3(12, 10, 8))
        let box = SubBox(start: SIMD3(9, -2, 3), size: SIMD3(6, 5, 4))
        let back = box.embed(box.cut(v), in: v.grid, outside: -1)
        let again = box.cut(back)
        #expect(Array(again.voxels) == Array(box.cut(v).voxels))
        #expect(back.voxels.filter { $0 == -1 }.count == v.grid.count - box.count)
    }

    @Test("FFT-friendly lengths, the enclosing block and the inside check")
    func sizesAndChecks() {
        #expect(SubBox.fftFriendlyLength(atLeast: 97) == 98 && SubBox.fftFriendlyLength(atLeast: 211) == 216)
        #expect(SubBox.fftFriendlyLength(atLeast: 0) == 1 && SubBox.fftFriendlyLength(atLeast: 64) == 64)
        let n = SIMD3(40, 40, 40)
        // Voxels 10...14 along each axis, margin 2: 9 voxels wanted, 9 is friendly (3²).
        let box = SubBox.enclosing(size: n, margin: 2) { i in
            let x = i % 40, y = (i / 40) % 40, z = i / 1600
            return (10...14).contains(x) && (10...14).contains(y) && (10...14).contains(z)
        }
        #expect(box == SubBox(start: SIMD3(repeating: 8), size: SIMD3(repeating: 9)))
        #expect(SubBox.enclosing(size: n, margin: 2) { _ in false } == nil)
        let grid = VoxelGrid(cube: 40, voxel: 1)
        #expect(SubBox(start: .zero, size: SIMD3(repeating: 8)).problem(in: grid) == nil)
        #expect(SubBox(start: SIMD3(35, 0, 0), size: SIMD3(repeating: 8)).problem(in: grid)?.contains("along x") == true)
        #expect(SubBox(start: .zero, size: SIMD3(7, 8, 8)).problem(in: grid)?.contains("at least 8") == true)
    }
}
