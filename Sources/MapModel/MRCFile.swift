import MapbookCore

/// Reading, writing and validating MRC2014 / CCP4 map files.
///
/// Reading accepts modes 0, 1, 2, 6 and 12 in either byte order, any axis order, with or
/// without an extended header, plain or gzip-compressed, and returns voxels in x, y, z order.
/// Writing always produces a little-endian float32 MRC2014 file in x, y, z order.
/// Every failure is a one-line `MapbookError` naming the file and the fault.
public enum MRCFile {
    /// Reads just the header of the map at `path` (plain or gzip).
    ///
    /// The fields are returned as stored, without judging them, so a tool can show the header
    /// of a file `read` refuses; only a missing, unreadable, too-short or non-regular file
    /// (a folder, FIFO or device) fails.
    public static func readHeader(path: String) throws -> MRCHeader {
        try readHeader(from: MapInputStream(path: path)).header
    }

    /// Reads the map at `path` (plain or gzip).
    ///
    /// Throws when the file is missing or unreadable, is a folder, FIFO or device rather than
    /// a regular file (refused before any read, so it never blocks), is not an MRC map, uses a
    /// mode other than 0, 1, 2, 6 or 12, has MAPC/MAPR/MAPS that are not a permutation of
    /// 1,2,3, has a cell that is zero, negative or not finite (except the zero thickness of a
    /// 2-D image) or angles outside (0°, 180°), gives a voxel size outside
    /// `VoxelGrid.plausibleVoxelSizes`, holds fewer or more data bytes than the header promises
    /// (checked against the file size, or a gzip file's largest possible expansion, before
    /// anything is allocated), or contains NaN or infinite voxels. Header DMIN/DMAX/DMEAN/RMS
    /// are not used.
    public static func read(path: String) throws -> MapFile {
        let input = try MapInputStream(path: path)
        let (header, geometry, issues) = try checkedHeader(from: input)
        let voxels = try readVoxels(from: input, header: header)
        if let problem = nonFiniteProblem(voxels, grid: geometry.grid) {
            throw MapbookError(problem, path: path)
        }
        return MapFile(path: path, header: header, volume: Volume(grid: geometry.grid, voxels: voxels),
                       notes: issues.notes)
    }

    /// The grid of the map at `path`, after every check `read` makes short of reading the
    /// voxels: the header's layout and cell, and for a plain file its size against what the
    /// header promises (a truncated file is reported as truncated). For planning work (memory
    /// estimates) before anything large is read.
    public static func checkedGrid(path: String) throws -> VoxelGrid {
        let input = try MapInputStream(path: path)
        let (header, geometry, _) = try checkedHeader(from: input)
        try MRCDataSize(header)?.check(against: input)
        return geometry.grid
    }

    /// The header at the start of `input` and its geometry, refused with the first error found.
    static func checkedHeader(from input: MapInputStream) throws -> (MRCHeader, MRCGeometry, [MRCIssue]) {
        let (header, orderNote) = try readHeader(from: input)
        var issues: [MRCIssue] = orderNote.map { [.note($0)] } ?? []
        issues += header.layoutIssues()
        if let e = issues.firstError { throw MapbookError(e.message, path: input.path) }
        let geometry = MRCGeometry(header)
        issues += geometry.issues
        if let e = issues.firstError { throw MapbookError(e.message, path: input.path) }
        issues += header.conventionIssues()
        return (header, geometry, issues)
    }

    /// Reads and decodes the 1024-byte header at the start of `input`.
    static func readHeader(from input: MapInputStream) throws -> (header: MRCHeader, note: String?) {
        let bytes = try input.readBytes(MRCHeader.byteCount)
        guard bytes.count == MRCHeader.byteCount else {
            if bytes.isEmpty {
                throw MapbookError("not an MRC map: the \(input.isCompressed ? "decompressed " : "")file is empty", path: input.path)
            }
            let what = input.isCompressed ? "the decompressed file has" : "the file has"
            throw MapbookError("not an MRC map: \(what) only \(bytes.count) bytes, less than the \(MRCHeader.byteCount)-byte MRC header", path: input.path)
        }
        let (order, note) = MRCHeader.detectByteOrder(bytes)
        return (MRCHeader(decoding: bytes, byteOrder: order), note)
    }

    /// A message about NaN or infinite voxels, or nil when all are finite.
    static func nonFiniteProblem(_ voxels: AlignedArray<Float>, grid: VoxelGrid) -> String? {
        let (count, first) = voxels.withUnsafeBufferPointer { buf in
            MRCVoxelDecoding.nonFinite(buf.baseAddress!, count: buf.count)
        }
        guard count > 0, let i = first else { return nil }
        let x = i % grid.size.x, y = (i / grid.size.x) % grid.size.y, z = i / (grid.size.x * grid.size.y)
        return "\(count) voxel\(count == 1 ? " is" : "s are") NaN or infinite (first at x, y, z = \(x), \(y), \(z), index \(i) in x-fastest order); maps must hold finite densities"
    }
}
