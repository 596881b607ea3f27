import MapbookCore

extension MRCFile {
    /// The grid (size, voxel size, placement) of the map at `path`, from its header alone: for
    /// commands that only borrow a map's grid (`--like`). The header is refused exactly as
    /// `read` would refuse it; the voxels are not read.
    public static func readGrid(path: String) throws -> VoxelGrid {
        let input = try MapInputStream(path: path)
        let (header, orderNote) = try readHeader(from: input)
        var issues: [MRCIssue] = orderNote.map { [.note($0)] } ?? []
        issues += header.layoutIssues()
        if let e = issues.firstError { throw MapbookError(e.message, path: path) }
        let geometry = MRCGeometry(header)
        if let e = geometry.issues.firstError { throw MapbookError(e.message, path: path) }
        return geometry.grid
    }
}
