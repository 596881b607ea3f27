import Foundation
import MapModel
import MapbookCore
import TestSupport
import Testing

/// Every file in shared/data/io loads with the facts io/SOURCE.md states (read there with
/// mrcfile). SOURCE.md gives shapes in numpy order (nz, ny, nx) = (sections, rows, columns);
/// the sizes below are after reordering to x, y, z through MAPC/MAPR/MAPS.
@Suite("MRC reading: shared io/ files")
struct MRCSharedDataTests {
    /// The facts checked for one file.
    struct Facts: CustomStringConvertible, Sendable {
        var file: String
        var mode: Int
        var axes: SIMD3<Int>
        var size: SIMD3<Int>            // x, y, z
        var voxel: SIMD3<Double>        // Å along x, y, z
        var nstart: SIMD3<Int>          // x, y, z
        var origin: SIMD3<Double> = .zero
        var min: Double
        var max: Double
        var mean: Double
        var description: String { file }
    }

    static let files: [Facts] = [
        // Axes 3,1,2: columns run along z (73), rows along x (43), sections along y (25), so
        // the numpy shape (25, 43, 73) becomes 43×25×73 in x, y, z; NSTART (0, -21, -12) is
        // per column/row/section, i.e. z = 0, x = -21, y = -12. Voxel = CELLA / MX…MZ with
        // MX, MY, MZ = 40, 12, 72 (not the grid size).
        Facts(file: "io/EMD-3001.map", mode: 2, axes: SIMD3(3, 1, 2), size: SIMD3(43, 25, 73),
              voxel: SIMD3(17.93 / 40, 4.71 / 12, 33.03 / 72), nstart: SIMD3(-21, -12, 0),
              min: -0.36814, max: 0.72161, mean: 0.00053297),
        Facts(file: "io/EMD-3197.map", mode: 2, axes: SIMD3(1, 2, 3), size: SIMD3(20, 20, 20),
              voxel: SIMD3(repeating: 11.4), nstart: SIMD3(-2, 0, 0),
              min: -4.1337, max: 5.5767, mean: 0.78361),
        // 2-D image with cell z = 0: voxel z falls back to voxel x. SOURCE.md gives the data
        // range to 4 figures (-4.340 / 3.820); the header's -5.958 / 20.718 are wrong.
        Facts(file: "io/float16.mrc", mode: 12, axes: SIMD3(1, 2, 3), size: SIMD3(64, 64, 1),
              voxel: SIMD3(repeating: 230.1 / 64), nstart: .zero,
              min: -4.340, max: 3.820, mean: 0.041134),
        // Axes 1,3,2: rows run along z, sections along y; shape (49, 50, 49) → 49×49×50.
        // Mean is from an independent numpy read (SOURCE.md only says values are {0, 1}).
        Facts(file: "io/1pfe_asu.msk.gz", mode: 0, axes: SIMD3(1, 3, 2), size: SIMD3(49, 49, 50),
              voxel: SIMD3(39.374 / 72, 39.374 / 72, 79.734 / 150), nstart: .zero,
              min: 0, max: 1, mean: 0.279775),
        // Axes 2,1,3: columns along y (8), rows along x (6); NSTART (50, -8, 40) → x -8, y 50, z 40.
        Facts(file: "io/5i55_tiny.ccp4", mode: 2, axes: SIMD3(2, 1, 3), size: SIMD3(6, 8, 10),
              voxel: SIMD3(29.45 / 60, 10.5 / 24, 29.7 / 60), nstart: SIMD3(-8, 50, 40),
              min: -0.53104, max: 2.3988, mean: 0.34712),
        // Axes 2,3,1: columns along y (1), rows along z (2), sections along x (4); NSTART
        // (20, -3, 1) → x 1, y 20, z -3. Cell 150×132×140 over MX, MY, MZ = 5, 6, 7.
        Facts(file: "io/iota_yzx.ccp4.gz", mode: 2, axes: SIMD3(2, 3, 1), size: SIMD3(4, 1, 2),
              voxel: SIMD3(30, 22, 20), nstart: SIMD3(1, 20, -3),
              min: 60, max: 187, mean: 123.5),
        Facts(file: "io/emd_21457_seg.mrc", mode: 2, axes: SIMD3(1, 2, 3), size: SIMD3(48, 40, 47),
              voxel: SIMD3(repeating: 1.05), nstart: .zero, origin: SIMD3(162.75, 231.0, 204.75),
              min: 0, max: 2.6483, mean: 0.12899),
        Facts(file: "io/emd_21457_seg_nstart.mrc", mode: 2, axes: SIMD3(1, 2, 3), size: SIMD3(48, 40, 47),
              voxel: SIMD3(repeating: 1.05), nstart: SIMD3(155, 220, 195),
              min: 0, max: 2.6483, mean: 0.12899),
        Facts(file: "io/emd_21457_seg_orig0.mrc", mode: 2, axes: SIMD3(1, 2, 3), size: SIMD3(48, 40, 47),
              voxel: SIMD3(repeating: 1.05), nstart: .zero,
              min: 0, max: 2.6483, mean: 0.12899),
    ]

    @Test("loads with the SOURCE.md header facts", arguments: files)
    func loads(_ facts: Facts) throws {
        guard let path = SharedData.path(facts.file) else { return }
        let map = try MRCFile.read(path: path)
        let g = map.volume.grid
        #expect(map.path == path)
        #expect(map.header.mode == facts.mode)
        #expect(SIMD3(map.header.mapc, map.header.mapr, map.header.maps) == facts.axes)
        #expect(g.size == facts.size)
        #expect(map.volume.voxels.count == facts.size.x * facts.size.y * facts.size.z)
        #expect(close(g.voxelSize, facts.voxel, rel: 1e-5), "voxel \(g.voxelSize)")
        #expect(g.nstart == facts.nstart)
        #expect(close(g.origin, facts.origin, rel: 1e-6, abs: 1e-4), "origin \(g.origin)")
        let s = map.volume.statistics
        #expect(close(Double(s.min), facts.min, rel: 1e-4, abs: 1e-6), "min \(s.min)")
        #expect(close(Double(s.max), facts.max, rel: 1e-4, abs: 1e-6), "max \(s.max)")
        #expect(close(s.mean, facts.mean, rel: 1e-4, abs: 1e-6), "mean \(s.mean)")
    }

    @Test("header fields that SOURCE.md singles out")
    func headerFields() throws {
        if let path = SharedData.path("io/EMD-3001.map") {
            let h = try MRCFile.readHeader(path: path)
            #expect(h.nsymbt == 160 && h.ispg == 4)
            #expect(SIMD3(h.mx, h.my, h.mz) == SIMD3(40, 12, 72))
            #expect(SIMD3(h.nx, h.ny, h.nz) == SIMD3(73, 43, 25))
            #expect(h.byteOrder == .little && h.map == "MAP ")
            #expect(h.labels == ["::::EMDATABANK.org::::EMD-3001::::"])
        }
        if let path = SharedData.path("io/float16.mrc") {
            let map = try MRCFile.read(path: path)
            // The header statistics are wrong in this file and must not leak into the volume.
            #expect(map.header.dmin < -5.9 && map.header.dmax > 20.7)
            #expect(map.volume.statistics.max < 3.83)
            #expect(map.header.cellA.z == 0 && map.header.labels.first?.hasPrefix("Relion") == true)
            #expect(map.notes.contains { $0.contains("2-D image") }, "notes: \(map.notes)")
        }
        if let path = SharedData.path("io/1pfe_asu.msk.gz") {
            let map = try MRCFile.read(path: path)
            #expect(map.header.nsymbt == 960 && map.header.ispg == 182)
            #expect(map.volume.voxels.allSatisfy { $0 == 0 || $0 == 1 })
        }
        if let path = SharedData.path("io/emd_21457_seg_orig0.mrc") {
            let h = try MRCFile.readHeader(path: path)
            #expect(h.nversion == 20141 && h.machst == [0x44, 0x44, 0, 0])
        }
    }
}
