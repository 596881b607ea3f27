/// A map read from disk: its voxels, the header they came with, and where they came from.
public struct MapFile: Sendable {
    /// The path the map was read from, as given.
    public var path: String
    /// The header exactly as stored (file axis order, file byte order).
    public var header: MRCHeader
    /// The voxels in x, y, z order, placed by NSTART, ORIGIN and the voxel size.
    public var volume: Volume
    /// How ambiguous parts of the header were interpreted (a permuted axis order, a zero cell
    /// on a 2-D image, an unrecognised machine stamp): worth showing, never fatal.
    public var notes: [String]

    /// A map file record (normally made by `MRCFile.read`).
    public init(path: String, header: MRCHeader, volume: Volume, notes: [String] = []) {
        self.path = path
        self.header = header
        self.volume = volume
        self.notes = notes
    }
}
