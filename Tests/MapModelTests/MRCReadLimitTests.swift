import Foundation
import MapModel
import MapbookCore
import TestSupport
import Testing

/// The limits reading enforces before it allocates or blocks: the data size against the file,
/// the voxel size against a sane range, and regular files only.
@Suite("MRC reading: sizes, voxel sizes and file types")
struct MRCReadLimitTests {
    let dir = TemporaryDirectory()

    @Test("a truncated file is reported as truncated, in MiB, not as a memory problem")
    func truncatedInMiB() throws {
        defer { dir.cleanup() }
        let map = Volume(grid: VoxelGrid(cube: 96, voxel: 1.5)) { x, y, z in Float(x + y + z) }
        var raw = RawMRC(map)
        raw.trim = 96 * 96 * 96 * 4 - 1_258_291 // 1.2 MiB of voxel data left
        let path = raw.write(to: dir.file("half1.mrc"))
        expectReadError(path, "truncated: the header describes 96×96×96 float32 voxels (3.4 MiB)", "the file holds 1.2 MiB")
        let e = mapbookError { _ = try MRCFile.read(path: path) }
        #expect(e?.problem.contains("memory") == false)
    }

    @Test("a header promising far more than the file is refused from the file size alone")
    func hugeHeaderSmallFile() throws {
        defer { dir.cleanup() }
        var raw = RawMRC(referenceVolume(mode: 2))
        raw.intOverrides = [0: 1 << 23, 1: 1 << 23, 2: 1 << 14] // 2^60 voxels: 4 EiB
        expectReadError(raw.write(to: dir.file("huge.mrc")), "truncated", "the file holds 240 bytes")
    }

    @Test("voxel sizes from 0.01 Å to 1000 Å are read; outside, refused by read, readGrid and validate",
          arguments: [(0.01, true), (1000.0, true), (0.0099, false), (1001.0, false), (1e-30, false), (1e30, false)])
    func voxelSizeRange(size: Double, accepted: Bool) throws {
        defer { dir.cleanup() }
        var raw = RawMRC(Volume(grid: VoxelGrid(cube: 4, voxel: 1)) { x, _, _ in Float(x) })
        raw.cell = SIMD3(repeating: Float(4 * size))
        let path = raw.write(to: dir.file("v.mrc"))
        if accepted {
            let map = try MRCFile.read(path: path)
            #expect(close(map.volume.grid.voxelSize.x, size, rel: 1e-6))
        } else {
            expectReadError(path, "voxel size along x", "outside the 0.01–1000 Å range")
            #expect(mapbookError { _ = try MRCFile.readGrid(path: path) }?.problem.contains("outside the 0.01–1000 Å") == true)
            #expect(MRCFile.validate(path: path).contains { $0.hasPrefix("error: voxel size along x") })
        }
    }

    @Test("a folder, a FIFO and a device are refused before any read, and a FIFO never blocks")
    func notRegularFiles() throws {
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("maps"), withIntermediateDirectories: true)
        expectReadError(dir.file("maps"), "is a folder, not a map file")
        let fifo = dir.file("pipe.mrc")
        #expect(mkfifo(fifo, 0o644) == 0)
        // Opening a FIFO for reading blocks until a writer appears: these calls must return.
        expectReadError(fifo, "is not a regular file (a FIFO or pipe)")
        #expect(mapbookError { _ = try MRCFile.readHeader(path: fifo) }?.problem.contains("not a regular file") == true)
        #expect(MRCFile.validate(path: fifo) == ["error: is not a regular file (a FIFO or pipe), so not a map file"])
        expectReadError("/dev/zero", "is not a regular file (a character device)")
    }
}
