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
    static func readVoxels(from input: MapInputStream, header: MRCHeader) throws -> AlignedArray<Float> {
        let path = input.path
        guard let mode = header.dataMode, let axes = header.axisOrder,
              let count = header.voxelCount, let size = MRCDataSize(header) else {
            preconditionFailure("readVoxels needs a header that passed layoutIssues()")
        }
        let dataBytes = size.dataBytes
        let direct = mode == .float32 && axes.isIdentity
        // Dimensions against the file (and the machine) before any allocation.
        try size.check(against: input)

        let skipped = try input.skip(header.nsymbt)
        if skipped < header.nsymbt {
            throw MapbookError(size.endsInExtendedHeader(fileBytes: nil, decompressed: input.isCompressed), path: path)
        }

        let swap = header.byteOrder != .host
        let short = { (got: Int) in MapbookError(size.truncated(present: got, decompressed: input.isCompressed), path: path) }
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
                throw MapbookError(size.tooLong(present: dataBytes + extra, decompressed: true), path: path)
            }
        }
        return voxels
    }
}
