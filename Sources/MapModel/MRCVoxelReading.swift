import Foundation
import MapbookCore

extension MRCFile {
    /// Reads the extended header (skipped) and the voxel data that follow a checked header, and
    /// returns the voxels in x, y, z order.
    ///
    /// The common case, native-endian float32 already in x, y, z order, is read straight into
    /// the final aligned buffer: no staging copy and no conversion pass. Everything else is
    /// read raw into one staging buffer and converted (and permuted, if needed) in one pass.
    /// The header must have passed `layoutIssues()`.
    /// What the header promises, in words, for messages about the file's size.
    static func promised(_ header: MRCHeader) -> String {
        "the header promises \(header.dataByteCount ?? 0) bytes of voxel data (\(header.nx)×\(header.ny)×\(header.nz) voxels of mode \(header.dataMode?.label ?? "?")) after \(header.dataOffset) header bytes"
    }

    /// Why a plain file's size does not fit its checked header (truncated, or extra bytes);
    /// nil when it fits, and for gzip files, whose size is known only once decompressed.
    static func sizeProblem(_ input: MapInputStream, header: MRCHeader) -> MapbookError? {
        guard !input.isCompressed, let dataBytes = header.dataByteCount else { return nil }
        let present = input.fileSize - header.dataOffset
        if present < 0 {
            return MapbookError("truncated: the file (\(input.fileSize) bytes) ends inside the \(header.nsymbt)-byte extended header (NSYMBT)", path: input.path)
        }
        if present < dataBytes {
            return MapbookError("truncated: \(promised(header)), but only \(present) are present (\(dataBytes - present) missing)", path: input.path)
        }
        if present > dataBytes {
            return MapbookError("size mismatch: \(promised(header)), but the file holds \(present) (\(present - dataBytes) extra); NX/NY/NZ, MODE or NSYMBT is probably wrong", path: input.path)
        }
        return nil
    }

    static func readVoxels(from input: MapInputStream, header: MRCHeader) throws -> AlignedArray<Float> {
        let path = input.path
        guard let mode = header.dataMode, let axes = header.axisOrder,
              let count = header.voxelCount, let dataBytes = header.dataByteCount else {
            preconditionFailure("readVoxels needs a header that passed layoutIssues()")
        }
        let promise = promised(header)

        // A plain file's size tells at once whether the data is all there, before any allocation.
        if let problem = sizeProblem(input, header: header) { throw problem }

        let direct = mode == .float32 && axes.isIdentity
        let needed = UInt64(count) * 4 + (direct ? 0 : UInt64(dataBytes))
        let available = ProcessInfo.processInfo.physicalMemory
        if available > 0 && needed > available {
            throw MapbookError("the map needs \(gib(needed)) of memory to read, more than this machine's \(gib(available))", path: path)
        }

        let skipped = try input.skip(header.nsymbt)
        if skipped < header.nsymbt {
            throw MapbookError("truncated: the decompressed file ends inside the \(header.nsymbt)-byte extended header (NSYMBT)", path: path)
        }

        let swap = header.byteOrder != .host
        let short = { (got: Int) in
            MapbookError("truncated: \(promise), but the \(input.isCompressed ? "decompressed " : "")file holds only \(got) (\(dataBytes - got) missing)", path: path)
        }
        let voxels = try AlignedArray<Float>(unsafeUninitializedCount: count) { out in
            let destination = out.baseAddress!
            if direct {
                let got = try input.read(into: UnsafeMutableRawPointer(destination), count: dataBytes)
                guard got == dataBytes else { throw short(got) }
                if swap { MRCVoxelDecoding.swapInPlace(destination, count: count) }
            } else {
                let staging = UnsafeMutableRawPointer.allocate(byteCount: max(1, dataBytes), alignment: 64)
                defer { staging.deallocate() }
                let got = try input.read(into: staging, count: dataBytes)
                guard got == dataBytes else { throw short(got) }
                MRCVoxelDecoding.decode(staging, mode: mode, swap: swap, unsignedBytes: header.hasUnsignedBytes,
                                        fileDimensions: header.dimensions,
                                        axes: axes, into: destination)
            }
        }
        // For a gzip file the true length is only known now.
        if input.isCompressed {
            let extra = try input.countRemaining()
            if extra > 0 {
                throw MapbookError("size mismatch: \(promise), but the decompressed file holds \(dataBytes + extra) (\(extra) extra); NX/NY/NZ, MODE or NSYMBT is probably wrong", path: path)
            }
        }
        return voxels
    }

    private static func gib(_ bytes: UInt64) -> String {
        String(format: "%.1f GiB", Double(bytes) / Double(1 << 30))
    }
}
