import Foundation
import MapModel
import MapbookCore
import TestSupport
import Testing

/// Writing: what goes in comes back out, the header follows MRC2014, the write is atomic and
/// never replaces an input.
@Suite("MRC writing")
struct MRCWriterTests {
    /// A non-cubic box with non-cubic voxels, a grid start and an origin, and noisy values.
    static func sample(size: SIMD3<Int> = SIMD3(7, 5, 3), voxel: SIMD3<Double> = SIMD3(1.1, 0.9, 2.3)) -> Volume {
        var rng = SeededGenerator(seed: 42)
        var v = Volume(grid: VoxelGrid(size: size, voxelSize: voxel, nstart: SIMD3(-3, 4, 11), origin: SIMD3(12.5, -7.25, 100)))
        v.voxels.withUnsafeMutableBufferPointer { buf in
            for i in buf.indices { buf[i] = Float(rng.nextGaussian()) * 3 + 0.5 }
        }
        return v
    }

    @Test("write then read returns the same voxels, voxel size, nstart and origin",
          arguments: [SIMD3(7, 5, 3), SIMD3(16, 16, 16), SIMD3(1, 9, 4), SIMD3(12, 10, 1)],
                     [SIMD3(1.1, 0.9, 2.3), SIMD3(3.54, 3.54, 3.54)])
    func roundTrip(size: SIMD3<Int>, voxel: SIMD3<Double>) throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let volume = Self.sample(size: size, voxel: voxel)
        let path = dir.file("out.mrc")
        try MRCFile.write(volume, to: path, labels: [MRCFile.provenanceLabel(), "round trip"])
        let back = try MRCFile.read(path: path)
        #expect(back.volume.voxels == volume.voxels)
        #expect(back.volume.grid.size == size)
        #expect(back.volume.grid.nstart == volume.grid.nstart)
        #expect(back.volume.grid.origin == volume.grid.origin) // chosen exactly representable in Float
        // CELLA is stored as float32, so the voxel size returns to float precision.
        #expect(close(back.volume.grid.voxelSize, voxel, rel: 1e-6), "\(back.volume.grid.voxelSize)")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(size == 1024 + 4 * volume.grid.count)
        #expect(back.header.labels.count == 2 && back.header.labels[1] == "round trip")
        #expect(back.header.labels[0].hasPrefix("mapbook 20"))
    }

    @Test("the header follows MRC2014 and its statistics equal the computed ones")
    func header() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let volume = Self.sample()
        let path = dir.file("out.mrc")
        try MRCFile.write(volume, to: path, labels: ["one"])
        let h = try MRCFile.readHeader(path: path)
        let s = volume.statistics
        #expect(h.mode == 2 && h.map == "MAP " && h.nversion == 20140)
        #expect(h.machst == [0x44, 0x44, 0, 0] && h.byteOrder == .little)
        #expect(SIMD3(h.mapc, h.mapr, h.maps) == SIMD3(1, 2, 3))
        #expect(SIMD3(h.nx, h.ny, h.nz) == SIMD3(7, 5, 3) && h.sampling == SIMD3(7, 5, 3))
        #expect(h.cellA == SIMD3(Float(7 * 1.1), Float(5 * 0.9), Float(3 * 2.3)))
        #expect(h.cellB == SIMD3(repeating: 90))
        #expect(h.start == SIMD3(-3, 4, 11) && h.origin == SIMD3(12.5, -7.25, 100))
        #expect(h.ispg == 1 && h.nsymbt == 0 && h.nlabl == 1 && h.labels == ["one"])
        #expect(h.dmin == s.min && h.dmax == s.max)
        #expect(h.dmean == Float(s.mean) && h.rms == Float(s.rms))
        // The only remark on our own output: NSTART and ORIGIN are both set (programs disagree
        // on combining them). Without an ORIGIN the file is clean.
        let findings = MRCFile.validate(path: path)
        #expect(findings.count == 1 && findings[0].hasPrefix("warning: both NSTART"), "\(findings)")
        var plain = volume
        plain.grid.origin = .zero
        try MRCFile.write(plain, to: path)
        #expect(MRCFile.validate(path: path) == [])
    }

    @Test("a one-section volume is written as an image (ISPG 0)")
    func image() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("image.mrc")
        try MRCFile.write(Self.sample(size: SIMD3(6, 4, 1)), to: path)
        #expect(try MRCFile.readHeader(path: path).ispg == 0)
    }

    @Test("labels: at most ten, 80 characters each, printable ASCII")
    func labels() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("labels.mrc")
        let many = (0..<12).map { "label \($0)" }
        try MRCFile.write(Self.sample(), to: path, labels: [String(repeating: "x", count: 100), "µ-map"] + many)
        let h = try MRCFile.readHeader(path: path)
        #expect(h.labels.count == 10 && h.nlabl == 10)
        #expect(h.labels[0] == String(repeating: "x", count: 80))
        #expect(h.labels[1] == "?-map")
        #expect(h.labels[9] == "label 7")
    }

    @Test("the write is atomic: no temporary file is left, and an existing file is replaced whole")
    func atomic() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("map.mrc")
        try MRCFile.write(Self.sample(), to: path)
        try MRCFile.write(Self.sample(size: SIMD3(4, 4, 4)), to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["map.mrc"])
        #expect(try MRCFile.read(path: path).volume.grid.size == SIMD3(4, 4, 4))
        // Writing into a missing folder fails cleanly with the path in the message.
        let e = mapbookError { try MRCFile.write(Self.sample(), to: dir.file("nope/map.mrc")) }
        #expect(e?.description.contains(dir.file("nope/map.mrc")) == true)
    }

    @Test("writing over an input is refused, however the path is spelled")
    func refusesInput() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let input = dir.file("in.mrc")
        try MRCFile.write(Self.sample(), to: input)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.mrc"), withDestinationPath: input)
        try FileManager.default.linkItem(atPath: input, toPath: dir.file("hard.mrc"))
        for spelling in [input, dir.path + "/./in.mrc", dir.path + "/sub/../in.mrc", dir.file("link.mrc"), dir.file("hard.mrc")] {
            if spelling.contains("/sub/") { try? FileManager.default.createDirectory(atPath: dir.file("sub"), withIntermediateDirectories: true) }
            let e = mapbookError { try MRCFile.write(Self.sample(size: SIMD3(2, 2, 2)), to: spelling, inputs: [input]) }
            #expect(e?.description.hasPrefix(spelling + ": ") == true)
            #expect(e?.description.contains("input") == true, "\(String(describing: e))")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
        // A different output is fine.
        try MRCFile.write(Self.sample(), to: dir.file("out.mrc"), inputs: [input])
        #expect(throws: Never.self) { try MRCFile.checkOutput(dir.file("other.mrc"), isNotAmong: [input]) }
    }

    @Test("volumes a reader could not load back are refused")
    func refusesUnreadable() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        var bad = Self.sample()
        bad[1, 2, 0] = .nan
        bad[3, 0, 2] = .infinity
        let e = mapbookError { try MRCFile.write(bad, to: dir.file("nan.mrc")) }
        #expect(e?.description.contains("2 voxels are NaN or infinite") == true, "\(String(describing: e))")
        #expect(e?.description.contains("x, y, z = 1, 2, 0") == true)
        var flat = Self.sample()
        flat.grid.voxelSize.y = 0
        #expect(mapbookError { try MRCFile.write(flat, to: dir.file("flat.mrc")) }?.problem.contains("voxel size") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.file("nan.mrc")))
    }
}
