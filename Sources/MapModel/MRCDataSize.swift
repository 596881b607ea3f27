import Foundation
import MapbookCore

/// The voxel data a checked header describes, measured against the file that should hold it
/// before anything is allocated, and the messages for when they disagree.
///
/// A plain file's size is known from `stat`, so any difference is found at once. A gzip
/// file's decompressed size is not known until it has been read, but deflate cannot expand
/// more than 1032-fold, which bounds it: a header that promises more than that is refused
/// without reading, and otherwise reading stops, with the same message, where the stream ends.
struct MRCDataSize {
    /// The header, checked by `layoutIssues()`.
    let header: MRCHeader
    /// Its mode.
    let mode: MRCMode
    /// Bytes of voxel data it promises.
    let dataBytes: Int

    /// The largest factor by which deflate can expand data (RFC 1951: 258-byte matches coded
    /// in 2 bits give 1032:1), plus headroom for gzip headers on tiny files.
    static let deflateExpansion = 1032
    static let gzipHeadroom = 1 << 16

    /// The extent of `header`'s data; the header must have passed `layoutIssues()`.
    init?(_ header: MRCHeader) {
        guard let mode = header.dataMode, let bytes = header.dataByteCount else { return nil }
        self.header = header
        self.mode = mode
        self.dataBytes = bytes
    }

    /// "96×96×96 float32 voxels (3.4 MiB) after 1024 header bytes".
    var described: String {
        "the header describes \(header.nx)×\(header.ny)×\(header.nz) \(mode.name) voxels (\(ByteCount.text(dataBytes))) after \(header.dataOffset) header bytes"
    }

    /// The message for a file holding only `present` bytes of voxel data.
    func truncated(present: Int, decompressed: Bool) -> String {
        "truncated: \(described), but the \(decompressed ? "decompressed " : "")file holds \(ByteCount.text(present)) of voxel data (\(dataBytes) bytes of voxel data expected, only \(present) are present, \(dataBytes - present) missing)"
    }

    /// The message for a file holding `present` bytes of voxel data, more than promised.
    func tooLong(present: Int, decompressed: Bool) -> String {
        "size mismatch: \(described), but the \(decompressed ? "decompressed " : "")file holds \(ByteCount.text(present)) of voxel data (\(dataBytes) bytes expected, \(present) present, \(present - dataBytes) extra); NX/NY/NZ, MODE or NSYMBT is probably wrong"
    }

    /// The message for a file that ends inside the extended header, `fileBytes` long.
    func endsInExtendedHeader(fileBytes: Int?, decompressed: Bool) -> String {
        let holds = fileBytes.map { "holds only \(ByteCount.text($0)), and " } ?? ""
        return "truncated: the \(decompressed ? "decompressed " : "")file \(holds)ends inside the \(header.nsymbt)-byte extended header (NSYMBT), before any voxel data"
    }

    /// Throws unless `input` can hold exactly the promised data: for a plain file, by its
    /// size; for a gzip file, by the most its compressed size can expand to. Then throws when
    /// decoding would need more memory than the machine has. Nothing is allocated or read.
    func check(against input: MapInputStream) throws {
        if !input.isCompressed {
            let present = input.fileSize - header.dataOffset
            if present < 0 {
                throw MapbookError(endsInExtendedHeader(fileBytes: input.fileSize, decompressed: false), path: input.path)
            }
            if present < dataBytes { throw MapbookError(truncated(present: present, decompressed: false), path: input.path) }
            if present > dataBytes { throw MapbookError(tooLong(present: present, decompressed: false), path: input.path) }
        } else {
            let (expanded, o1) = input.fileSize.multipliedReportingOverflow(by: Self.deflateExpansion)
            let (most, o2) = expanded.addingReportingOverflow(Self.gzipHeadroom)
            let (needed, o3) = header.dataOffset.addingReportingOverflow(dataBytes)
            if !(o1 || o2) && (o3 || needed > most) {
                throw MapbookError("truncated: \(described), but the gzip file (\(ByteCount.text(input.fileSize))) can decompress to at most \(ByteCount.text(most))", path: input.path)
            }
        }
        let direct = mode == .float32 && header.axisOrder?.isIdentity == true
        let (voxels, o4) = (header.voxelCount ?? Int.max).multipliedReportingOverflow(by: MemoryLayout<Float>.size)
        let (memory, o5) = voxels.addingReportingOverflow(direct ? 0 : dataBytes)
        let available = ProcessInfo.processInfo.physicalMemory
        if o4 || o5 || (available > 0 && UInt64(memory) > available) {
            let need = o4 || o5 ? "more memory than can be addressed" : "\(ByteCount.text(memory)) of memory"
            throw MapbookError("\(described); reading it needs \(need), more than this machine's \(ByteCount.text(available))", path: input.path)
        }
    }
}
