import Foundation
import MapModel
import MapbookCore
import TestSupport
import Testing

/// Axis-order handling: the permuted real files against their known layout, and every axis
/// order, byte order and mode written by the independent `RawMRC` builder.
@Suite("MRC reading: axis order, byte order, modes")
struct MRCAxisOrderTests {
    @Test("iota_yzx.ccp4.gz reorders to the layout gemmi documents")
    func iota() throws {
        guard let path = SharedData.path("io/iota_yzx.ccp4.gz") else { return }
        let map = try MRCFile.read(path: path)
        // gemmi's tests/test_grid.py made a full 5×6×7 (x, y, z) map whose value at (x, y, z) is
        // 42x + 7y + z (numpy arange(210).reshape(5, 6, 7) indexed [x][y][z]), then had CCP4
        // MAPMASK cut x = 1…4, y = 2, z = 4…5 with AXIS Y Z X. Expected sub-block:
        // value(x, 0, z) = 42(x + 1) + 7·2 + (z + 4) = 60 + 42x + z.
        // In the file MAPC, MAPR, MAPS = 2, 3, 1: columns run along y (NX = 1), rows along z
        // (NY = 2), sections along x (NZ = 4), so file order (column fastest) is
        // 60, 61, 102, 103, 144, 145, 186, 187 = (x0 z0), (x0 z1), (x1 z0), … and the x-fastest
        // volume (4×1×2) must be 60, 102, 144, 186, 61, 103, 145, 187.
        #expect(map.volume.grid.size == SIMD3(4, 1, 2))
        #expect(map.volume.voxels.array == [60, 102, 144, 186, 61, 103, 145, 187])
        for x in 0..<4 { for z in 0..<2 { #expect(map.volume[x, 0, z] == Float(60 + 42 * x + z)) } }
        // NSTART (20, -3, 1) is per column, row, section → x 1, y 20, z -3. Modulo the cell
        // sampling (5, 6, 7) that is x 1, y 2, z 4: exactly where gemmi cut the block.
        let n = map.volume.grid.nstart
        #expect(n == SIMD3(1, 20, -3))
        #expect(SIMD3((n.x % 5 + 5) % 5, (n.y % 6 + 6) % 6, (n.z % 7 + 7) % 7) == SIMD3(1, 2, 4))
        #expect(map.volume.grid.voxelSize == SIMD3(30, 22, 20))
        #expect(map.header.nsymbt == 80)
    }

    @Test("emd_21457 seg, seg_nstart and seg_orig0: same voxels; seg and seg_nstart at the same place")
    func originVersusNstart() throws {
        guard let segPath = SharedData.path("io/emd_21457_seg.mrc"),
              let nstartPath = SharedData.path("io/emd_21457_seg_nstart.mrc"),
              let orig0Path = SharedData.path("io/emd_21457_seg_orig0.mrc") else { return }
        let seg = try MRCFile.read(path: segPath).volume
        let nstart = try MRCFile.read(path: nstartPath).volume
        let orig0 = try MRCFile.read(path: orig0Path).volume
        #expect(seg.voxels == nstart.voxels)
        #expect(seg.voxels == orig0.voxels)
        let expected = SIMD3<Double>(162.75, 231.0, 204.75)
        // Placement by ORIGIN (Å) in one file, by NSTART (voxels) in the other: same position.
        #expect(close(seg.grid.firstVoxelPosition, expected, rel: 0, abs: 1e-3), "\(seg.grid.firstVoxelPosition)")
        #expect(close(nstart.grid.firstVoxelPosition, expected, rel: 0, abs: 1e-3), "\(nstart.grid.firstVoxelPosition)")
        #expect(seg.grid.mismatch(with: nstart.grid) == nil)
        #expect(orig0.grid.firstVoxelPosition == .zero)
        #expect(seg.grid.mismatch(with: orig0.grid) != nil)
    }

    @Test("EMD-3001 (axes 3,1,2): voxel (x, y, z) is file column z, row x, section y")
    func emd3001Layout() throws {
        guard let path = SharedData.path("io/EMD-3001.map") else { return }
        let map = try MRCFile.read(path: path)
        // Independent check straight from the bytes: 1024 + 160 header bytes, then float32
        // little-endian with index column + 73·(row + 43·section).
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        func fileValue(column: Int, row: Int, section: Int) -> Float {
            let offset = 1024 + 160 + 4 * (column + 73 * (row + 43 * section))
            let bits = data[offset..<(offset + 4)].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
            return Float(bitPattern: bits)
        }
        for (x, y, z) in [(0, 0, 0), (42, 0, 0), (0, 24, 0), (0, 0, 72), (17, 11, 40), (42, 24, 72)] {
            #expect(map.volume[x, y, z] == fileValue(column: z, row: x, section: y))
        }
    }

    static let modes: [Int32] = [0, 1, 2, 6, 12]
    static let orders: [MRCByteOrder] = [.little, .big]

    @Test("every axis order reads back equal, in each mode and byte order", arguments: modes, orders)
    func permutedCopies(mode: Int32, order: MRCByteOrder) throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let reference = referenceVolume(mode: mode)
        for axes in MRCAxisOrder.all {
            var raw = RawMRC(reference)
            raw.mode = mode
            raw.bigEndian = order == .big
            raw.axes = SIMD3(Int32(axes.mapcrs.x), Int32(axes.mapcrs.y), Int32(axes.mapcrs.z))
            let path = raw.write(to: dir.file("m\(mode)-\(order)-\(axes.mapcrs.x)\(axes.mapcrs.y)\(axes.mapcrs.z).mrc"))
            let map = try MRCFile.read(path: path)
            #expect(map.header.byteOrder == order)
            #expect(map.header.axisOrder == axes)
            #expect(map.volume.grid == reference.grid, "\(axes): grid \(map.volume.grid)")
            #expect(map.volume.voxels == reference.voxels, "\(axes), mode \(mode), \(order)-endian: voxels differ")
        }
    }

    @Test("permutation of a volume larger than the reader's 32-voxel tiles, split over threads", arguments: [Int32(2), 1])
    func largePermuted(mode: Int32) throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        // Sizes that are not multiples of the tile, with more than one tile along every axis.
        let grid = VoxelGrid(size: SIMD3(37, 70, 33), voxelSize: SIMD3(1, 2, 3), nstart: SIMD3(1, -2, 3))
        let reference = Volume(grid: grid) { x, y, z in Float((x + 37 * y + 2590 * z) % 30011 - 15000) }
        for axes in MRCAxisOrder.all {
            var raw = RawMRC(reference)
            raw.mode = mode
            raw.axes = SIMD3(Int32(axes.mapcrs.x), Int32(axes.mapcrs.y), Int32(axes.mapcrs.z))
            let map = try MRCFile.read(path: raw.write(to: dir.file("large.mrc")))
            #expect(map.volume == reference, "\(axes), mode \(mode)")
        }
    }

    @Test("a missing or odd machine stamp falls back to a sanity check", arguments: orders, [[UInt8](repeating: 0, count: 4), [0x20, 0x20, 0x20, 0x20]])
    func stampFallback(order: MRCByteOrder, stamp: [UInt8]) throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        var raw = RawMRC(referenceVolume(mode: 2))
        raw.bigEndian = order == .big
        raw.stamp = stamp
        raw.axes = SIMD3(3, 1, 2)
        let map = try MRCFile.read(path: raw.write(to: dir.file("stamp.mrc")))
        #expect(map.header.byteOrder == order)
        #expect(map.volume == referenceVolume(mode: 2))
        #expect(map.notes.contains { $0.contains("machine stamp") }, "notes: \(map.notes)")
    }

    @Test("a wrong machine stamp is overruled when only the other order makes sense")
    func wrongStamp() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        var raw = RawMRC(referenceVolume(mode: 1))
        raw.mode = 1
        raw.bigEndian = true
        raw.stamp = [0x44, 0x44, 0, 0]
        let map = try MRCFile.read(path: raw.write(to: dir.file("liar.mrc")))
        #expect(map.header.byteOrder == .big)
        #expect(map.volume == referenceVolume(mode: 1))
    }

    @Test("mode 0 marked unsigned by IMOD's header flags reads as 0…255; without the flag, signed")
    func imodUnsignedBytes() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let grid = VoxelGrid(size: SIMD3(16, 4, 4), voxelSize: SIMD3(repeating: 1))
        let bytes = Volume(grid: grid) { x, y, z in Float((x + 16 * y + 64 * z) % 256) }
        var raw = RawMRC(bytes)
        raw.mode = 0
        raw.imodUnsigned = true
        raw.axes = SIMD3(2, 1, 3)
        let map = try MRCFile.read(path: raw.write(to: dir.file("imod.mrc")))
        #expect(map.header.hasUnsignedBytes)
        #expect(map.volume == bytes)
        #expect(map.notes.contains { $0.contains("unsigned") })
        // The same bytes with the signed flag set (bit 0) read as -128…127.
        raw.intOverrides = [39: 1]
        let signed = try MRCFile.read(path: raw.write(to: dir.file("imod-signed.mrc")))
        #expect(!signed.header.hasUnsignedBytes)
        #expect(signed.volume[15, 3, 3] == -1) // byte 255
        #expect(signed.volume.statistics.min == -128)
    }

    @Test("MRCAxisOrder converts per-axis triples both ways")
    func axisOrderConversion() {
        #expect(MRCAxisOrder.all.count == 6)
        for axes in MRCAxisOrder.all {
            let v = SIMD3(10, 20, 30)
            #expect(axes.toFileOrder(axes.toXYZ(v)) == v)
            #expect(axes.toXYZ(axes.toFileOrder(v)) == v)
        }
        let yzx = MRCAxisOrder(mapc: 2, mapr: 3, maps: 1)!
        #expect(yzx.toXYZ(SIMD3(1, 2, 4)) == SIMD3(4, 1, 2)) // iota: NX, NY, NZ → x, y, z sizes
        #expect(MRCAxisOrder(mapc: 1, mapr: 1, maps: 3) == nil)
        #expect(MRCAxisOrder(mapc: 0, mapr: 1, maps: 2) == nil)
    }
}
