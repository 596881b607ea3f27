import Foundation

/// A corpus of broken map files, made at test time in a temporary folder: every way a file
/// given as a map can be wrong that mapbook must refuse with one clear line (truncations,
/// unknown modes, overflowing or nonsense dimensions, bad axis orders, NaN and infinite
/// values, impossible cells and voxel sizes, an extended header longer than the file, broken
/// gzip, and things that are not map files at all: a folder, a text file, a FIFO, a device).
///
/// The maps are built byte by byte from `RawMap`, not with mapbook's writer, so any header
/// field can be broken on its own.
enum MalformedMapCorpus {
    /// One broken input.
    struct Case: Sendable, CustomStringConvertible {
        /// What is wrong, as the test's name.
        var name: String
        /// The file name in the corpus folder (or an absolute path outside it, e.g. /dev/zero).
        var file: String
        /// Phrases the error may contain; the error must contain at least one of them.
        var expect: [String]
        /// Makes the input at `path`.
        var make: @Sendable (_ path: String) throws -> Void

        var description: String { name }

        /// Where the input is, for a corpus folder `folder`.
        func path(in folder: String) -> String { file.hasPrefix("/") ? file : folder + "/" + file }
    }

    /// A field edit on the good 16³ map.
    static func edited(_ name: String, _ file: String, expect: [String], _ edit: @escaping @Sendable (inout RawMap) -> Void) -> Case {
        Case(name: name, file: file, expect: expect) { path in
            var map = RawMap()
            edit(&map)
            try map.write(to: path)
        }
    }

    /// The bytes of `data` written to `path`.
    static func bytes(_ name: String, _ file: String, expect: [String], _ data: @escaping @Sendable () throws -> [UInt8]) -> Case {
        Case(name: name, file: file, expect: expect) { path in
            try Data(try data()).write(to: URL(fileURLWithPath: path))
        }
    }

    static let truncations: [Case] = [
        bytes("header only, no data", "header-only.mrc", expect: ["truncated"]) { Array(RawMap().bytes.prefix(1024)) },
        bytes("half the data", "half-data.mrc", expect: ["truncated"]) { let b = RawMap().bytes; return Array(b.prefix(1024 + (b.count - 1024) / 2)) },
        bytes("one byte short", "one-short.mrc", expect: ["truncated", "1 missing"]) { Array(RawMap().bytes.dropLast()) },
        bytes("empty file", "empty.mrc", expect: ["empty"]) { [] },
        bytes("500 bytes, shorter than a header", "short.mrc", expect: ["1024-byte"]) { Array(RawMap().bytes.prefix(500)) },
        bytes("1023 bytes, one short of a header", "short-1023.mrc", expect: ["1024-byte"]) { Array(RawMap().bytes.prefix(1023)) },
        bytes("more data than the header describes", "long.mrc", expect: ["size mismatch"]) { RawMap().bytes + [UInt8](repeating: 0, count: 4096) },
    ]

    static let modes: [Case] = [3, 4, 5, 7, 99, -1, -2_147_483_648].map { mode in
        edited("mode \(mode)", "mode\(mode).mrc", expect: ["mode \(mode)"]) { $0.int(3, Int32(mode)) }
    }

    static let dimensions: [Case] = [
        edited("NX·NY·NZ overflows Int32 (2048×2048×1024)", "dims-int32.mrc", expect: ["truncated"]) { $0.dims(2048, 2048, 1024) },
        edited("NX·NY·NZ overflows Int64 (2^24 cubed)", "dims-int64.mrc", expect: ["more than any file"]) { $0.dims(1 << 24, 1 << 24, 1 << 24) },
        edited("NX·NY·NZ·bytes overflows Int64 (2^21 cubed)", "dims-2p63.mrc", expect: ["more than any file"]) { $0.dims(1 << 21, 1 << 21, 1 << 21) },
        edited("negative NY", "dims-negative.mrc", expect: ["NX, NY, NZ"]) { $0.dims(16, -16, 16) },
        edited("zero NZ", "dims-zero.mrc", expect: ["NX, NY, NZ"]) { $0.dims(16, 16, 0) },
        edited("NX of 2^30, beyond any map", "dims-2p30.mrc", expect: ["NX, NY, NZ"]) { $0.dims(1 << 30, 16, 16) },
        edited("1000³ voxels against a 16³ file", "dims-huge.mrc", expect: ["truncated", "3.7 GiB"]) { $0.dims(1000, 1000, 1000) },
    ]

    static let axes: [Case] = [(1, 1, 3), (0, 2, 3), (4, 2, 3), (1, 2, 4), (-1, 2, 3)].map { a in
        edited("MAPC/MAPR/MAPS = \(a.0),\(a.1),\(a.2)", "axes\(a.0)\(a.1)\(a.2).mrc", expect: ["not a permutation"]) {
            $0.int(16, Int32(a.0)); $0.int(17, Int32(a.1)); $0.int(18, Int32(a.2))
        }
    }

    static let nonFinite: [Case] = [
        edited("NaN voxel", "voxel-nan.mrc", expect: ["NaN or infinite"]) { $0.setVoxel(100, .nan) },
        edited("+infinite voxel", "voxel-inf.mrc", expect: ["NaN or infinite"]) { $0.setVoxel(7, .infinity) },
        edited("-infinite voxel, the last one", "voxel-minf.mrc", expect: ["NaN or infinite"]) { $0.setVoxel(16 * 16 * 16 - 1, -.infinity) },
        edited("NaN cell length", "cell-nan.mrc", expect: ["invalid cell"]) { $0.float(11, .nan) },
        edited("infinite cell length", "cell-inf.mrc", expect: ["invalid cell"]) { $0.float(10, .infinity) },
        edited("NaN cell angle", "angle-nan.mrc", expect: ["CELLB"]) { $0.float(13, .nan) },
        edited("infinite cell angle", "angle-inf.mrc", expect: ["CELLB"]) { $0.float(15, .infinity) },
        edited("NaN origin", "origin-nan.mrc", expect: ["ORIGIN"]) { $0.float(49, .nan) },
    ]

    static let cells: [Case] = [
        edited("zero cell lengths", "cell-zero.mrc", expect: ["invalid cell"]) { $0.cell(0, 0, 0) },
        edited("negative cell length", "cell-negative.mrc", expect: ["invalid cell"]) { $0.cell(32, -32, 32) },
        edited("cell angle 0°", "angle-0.mrc", expect: ["CELLB"]) { $0.float(13, 0) },
        edited("cell angle 180°", "angle-180.mrc", expect: ["CELLB"]) { $0.float(14, 180) },
        edited("negative cell angle", "angle-negative.mrc", expect: ["CELLB"]) { $0.float(15, -90) },
        edited("voxel size 1e-30 Å", "voxel-1e-30.mrc", expect: ["outside the 0.01–1000 Å"]) { $0.cell(16e-30, 16e-30, 16e-30) },
        edited("voxel size 1e30 Å", "voxel-1e30.mrc", expect: ["outside the 0.01–1000 Å"]) { $0.cell(16e30, 16e30, 16e30) },
        edited("voxel size 1e30 Å along z only", "voxel-z-1e30.mrc", expect: ["voxel size along z"]) { $0.float(12, 16e30) },
    ]

    static let extendedHeaders: [Case] = [
        edited("NSYMBT larger than the file", "nsymbt-huge.mrc", expect: ["extended header"]) { $0.int(23, 1_000_000) },
        edited("NSYMBT of 2^31-1", "nsymbt-max.mrc", expect: ["extended header"]) { $0.int(23, Int32.max) },
        edited("negative NSYMBT", "nsymbt-negative.mrc", expect: ["NSYMBT"]) { $0.int(23, -1024) },
    ]

    static let gzip: [Case] = [
        bytes("invalid deflate block type", "bad-block.mrc.gz", expect: ["gzip"]) {
            [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF, 0x07] + [UInt8](repeating: 0xA5, count: 2000)
        },
        bytes("corrupt .gz (payload overwritten, so the CRC fails)", "corrupt.mrc.gz", expect: ["gzip"]) {
            var gz = try Gzip.compress(RawMap().bytes)
            for i in (gz.count / 3)..<(gz.count / 3 + 64) { gz[i] ^= 0x5A }
            return gz
        },
        bytes(".gz with a wrong CRC", "bad-crc.mrc.gz", expect: ["gzip"]) {
            var gz = try Gzip.compress(RawMap().bytes)
            gz[gz.count - 8] ^= 0xFF
            return gz
        },
        bytes("truncated .gz", "cut.mrc.gz", expect: ["truncated"]) { let gz = try Gzip.compress(RawMap().bytes); return Array(gz.prefix(gz.count / 2)) },
        bytes(".gz cut inside its header", "cut-header.mrc.gz", expect: ["1024-byte", "empty", "gzip"]) { Array(try Gzip.compress(RawMap().bytes).prefix(12)) },
        bytes(".gz that is not gzip (text)", "text.mrc.gz", expect: ["not an MRC map"]) { Array(String(repeating: "this is not gzip data\n", count: 100).utf8) },
        bytes("gzip magic, then garbage", "garbage.mrc.gz", expect: ["gzip", "not an MRC map", "1024-byte", "empty"]) {
            [0x1F, 0x8B, 0x08, 0x00] + (0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ ($0 >> 3)) }
        },
        bytes("valid .gz of a truncated map", "half-data.mrc.gz", expect: ["truncated"]) { let b = RawMap().bytes; return try Gzip.compress(Array(b.prefix(b.count - 1000))) },
        bytes("valid .gz of a header claiming 1000³ voxels", "bomb.mrc.gz", expect: ["truncated"]) {
            var m = RawMap(); m.dims(1000, 1000, 1000); return try Gzip.compress(m.bytes)
        },
        bytes("valid .gz with data past the end", "long.mrc.gz", expect: ["size mismatch"]) { try Gzip.compress(RawMap().bytes + [UInt8](repeating: 1, count: 5000)) },
    ]

    static let notMaps: [Case] = [
        Case(name: "a folder", file: "maps.d", expect: ["is a folder, not a map file"]) { path in
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        },
        bytes("a text file", "notes.mrc", expect: ["not an MRC map"]) { Array(String(repeating: "Half maps from the 2024-06-03 session, grid 4.\n", count: 60).utf8) },
        bytes("a PDB file", "model.mrc", expect: ["not an MRC map"]) {
            Array(String(repeating: "ATOM      1  N   MET A   1      11.104  13.207  10.000  1.00 20.00           N\n", count: 30).utf8)
        },
        Case(name: "a FIFO", file: "fifo.mrc", expect: ["not a regular file"]) { path in
            guard mkfifo(path, 0o644) == 0 else { throw CocoaError(.fileWriteUnknown) }
        },
        Case(name: "/dev/zero", file: "/dev/zero", expect: ["not a regular file"]) { _ in },
        Case(name: "a missing file", file: "absent.mrc", expect: ["file not found"]) { _ in },
    ]

    /// Every case.
    static let all: [Case] = truncations + modes + dimensions + axes + nonFinite + cells + extendedHeaders + gzip + notMaps
}
