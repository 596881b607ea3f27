import Foundation
import MapModel
import MapbookCore
import TestSupport
import Testing

/// Every way a file can be refused gives one line naming the file and the fault.
@Suite("MRC reading: errors")
struct MRCReadErrorTests {
    let dir = TemporaryDirectory()
    let reference = referenceVolume(mode: 2) // 5×4×3 float32: 240 data bytes

    func file(_ name: String, _ edit: (inout RawMRC) -> Void = { _ in }) -> String {
        var raw = RawMRC(reference)
        edit(&raw)
        return raw.write(to: dir.file(name))
    }

    @Test("missing, a folder, unreadable")
    func unopenable() throws {
        defer { dir.cleanup() }
        expectReadError(dir.file("absent.mrc"), "file not found")
        expectReadError(dir.path, "folder")
        let locked = file("locked.mrc")
        chmod(locked, 0)
        if access(locked, R_OK) != 0 { // root can read anything; skip the check then
            expectReadError(locked, "cannot open")
        }
        #expect(mapbookError { _ = try MRCFile.readHeader(path: dir.file("absent.mrc")) }?.problem == "file not found")
    }

    @Test("not a map: too short for a header, or nonsense dimensions")
    func notAMap() throws {
        defer { dir.cleanup() }
        let short = dir.file("short.mrc")
        _ = FileManager.default.createFile(atPath: short, contents: Data(repeating: 7, count: 100))
        expectReadError(short, "not an MRC map", "100 bytes", "1024-byte")
        let text = dir.file("model.pdb")
        let pdb = String(repeating: "ATOM      1  N   MET A   1      11.104  13.207  10.000  1.00 20.00           N\n", count: 30)
        _ = FileManager.default.createFile(atPath: text, contents: Data(pdb.utf8))
        expectReadError(text, "not an MRC map", "NX, NY, NZ")
        expectReadError(file("zero.mrc") { $0.intOverrides = [1: 0] }, "not an MRC map", "= 5, 0, 3")
        expectReadError(file("negative.mrc") { $0.intOverrides = [2: -3] }, "not an MRC map")
        // Each dimension plausible, the product beyond any file: refused, not a crash.
        expectReadError(file("huge.mrc") { $0.intOverrides = [0: 1 << 24, 1: 1 << 24, 2: 1 << 24] }, "not an MRC map", "more than any file")
        // Large but representable: refused by the size check before anything is allocated.
        expectReadError(file("big.mrc") { $0.intOverrides = [0: 1 << 20, 1: 1 << 20, 2: 1 << 10] }, "truncated")
    }

    @Test("truncated: fewer data bytes than the header promises")
    func truncated() throws {
        defer { dir.cleanup() }
        expectReadError(file("cut.mrc") { $0.trim = 9 }, "truncated", "240 bytes of voxel data", "only 231 are present", "9 missing")
        // The same with an extended header, counted in the offset.
        expectReadError(file("cut-ext.mrc") { $0.nsymbt = 80; $0.trim = 4 }, "truncated", "after 1104 header bytes", "only 236")
        // A file that ends inside the extended header.
        expectReadError(file("cut-inside-ext.mrc") { $0.nsymbt = 4000; $0.trim = 3000 }, "truncated", "extended header")
        // A damaged gzip stream is caught as well.
        if let gz = SharedData.path("io/1pfe_asu.msk.gz") {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: gz))
            let cut = dir.file("cut.msk.gz")
            _ = FileManager.default.createFile(atPath: cut, contents: bytes.prefix(bytes.count / 2))
            expectReadError(cut, "truncated", "120050 bytes of voxel data", "decompressed")
        }
    }

    @Test("size mismatch: more data bytes than the header promises")
    func sizeMismatch() throws {
        defer { dir.cleanup() }
        expectReadError(file("long.mrc") { $0.trim = -48 }, "size mismatch", "240 bytes", "288", "48 extra")
        // NZ one short of the data: the classic wrong-dimension header.
        expectReadError(file("nz.mrc") { $0.intOverrides = [2: 2] }, "size mismatch", "5×4×2")
    }

    @Test("unknown or unsupported mode names the supported ones")
    func mode() throws {
        defer { dir.cleanup() }
        expectReadError(file("mode5.mrc") { $0.intOverrides = [3: 5] }, "unknown data mode 5", "0 (int8), 1 (int16), 2 (float32), 6 (uint16) and 12 (float16)")
        expectReadError(file("mode4.mrc") { $0.intOverrides = [3: 4] }, "mode 4 (complex float32) is not supported")
    }

    @Test("MAPC/MAPR/MAPS not a permutation of 1, 2, 3")
    func axes() throws {
        defer { dir.cleanup() }
        expectReadError(file("axes113.mrc") { $0.intOverrides = [16: 1, 17: 1, 18: 3] }, "MAPC, MAPR, MAPS = 1, 1, 3", "not a permutation")
        expectReadError(file("axes024.mrc") { $0.intOverrides = [16: 0, 17: 2, 18: 4] }, "not a permutation")
    }

    @Test("zero, negative or non-finite cell", arguments: [Float(0), -7.5, .nan, .infinity])
    func cell(bad: Float) throws {
        defer { dir.cleanup() }
        expectReadError(file("cell.mrc") { $0.cell = SIMD3(7.5, bad, 7.5) }, "invalid cell", "CELLA y = \(bad)")
    }

    @Test("a zero cell is accepted on the single-voxel axis of a 2-D image only")
    func imageCell() throws {
        defer { dir.cleanup() }
        let image = Volume(grid: VoxelGrid(size: SIMD3(6, 5, 1), voxelSize: SIMD3(2, 2, 2))) { x, y, _ in Float(x * y) }
        var raw = RawMRC(image)
        raw.cell = SIMD3(12, 10, 0)
        let map = try MRCFile.read(path: raw.write(to: dir.file("image.mrc")))
        #expect(map.volume.grid.voxelSize == SIMD3(2, 2, 2))
        #expect(map.notes.contains { $0.contains("CELLA z is 0") })
        raw.cell = SIMD3(12, 0, 0) // y has 5 voxels: a zero there is an error
        expectReadError(raw.write(to: dir.file("image2.mrc")), "CELLA y = 0")
    }

    @Test("NaN or infinite voxels: how many and where the first is")
    func nonFinite() throws {
        defer { dir.cleanup() }
        var v = reference
        v[3, 1, 0] = .nan
        v[0, 2, 2] = -.infinity
        v[4, 3, 2] = .infinity
        var raw = RawMRC(v)
        raw.axes = SIMD3(2, 3, 1) // the position must be reported in x, y, z after reordering
        expectReadError(raw.write(to: dir.file("nan.mrc")), "3 voxels are NaN or infinite", "first at x, y, z = 3, 1, 0, index 8 ")
        var half = RawMRC(referenceVolume(mode: 12))
        half.mode = 12
        var bytes = half.bytes()
        bytes[1024 + 2 * 7] = 0x00; bytes[1024 + 2 * 7 + 1] = 0x7C // float16 +infinity at voxel 7
        let path = dir.file("inf16.mrc")
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        expectReadError(path, "1 voxel is NaN or infinite", "x, y, z = 2, 1, 0")
    }

    @Test("a negative NSYMBT is refused")
    func negativeExtendedHeader() throws {
        defer { dir.cleanup() }
        expectReadError(file("nsymbt.mrc") { $0.intOverrides = [23: -80] }, "NSYMBT = -80")
    }
}
