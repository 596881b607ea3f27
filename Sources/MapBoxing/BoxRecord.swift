import MapModel

/// What `box.json` holds: both frames, every shift, how the region was chosen, and the
/// `MapBox` that puts the box back (`mapbook unbox`).
public struct BoxRecord: Codable, Sendable, Equatable {
    /// A grid as MRC headers carry it, with the position of its first voxel.
    public struct Frame: Codable, Sendable, Equatable {
        /// Voxels along x, y, z.
        public var size: [Int]
        /// Voxel size along x, y, z (Å).
        public var voxelSize: [Double]
        /// MRC NSTART (x, y, z).
        public var nstart: [Int]
        /// MRC ORIGIN (Å).
        public var origin: [Double]
        /// Position of voxel (0,0,0): ORIGIN + NSTART·voxel (Å).
        public var firstVoxelPosition: [Double]

        /// The frame of `grid`.
        public init(_ grid: VoxelGrid) {
            size = [grid.size.x, grid.size.y, grid.size.z]
            voxelSize = [grid.voxelSize.x, grid.voxelSize.y, grid.voxelSize.z]
            nstart = [grid.nstart.x, grid.nstart.y, grid.nstart.z]
            origin = [grid.origin.x, grid.origin.y, grid.origin.z]
            let p = grid.firstVoxelPosition
            firstVoxelPosition = [p.x, p.y, p.z]
        }
    }

    /// The unique part kept, when asked for.
    public struct Unique: Codable, Sendable, Equatable {
        /// The point group.
        public var group: String
        /// Whether the group was found (auto) rather than given.
        public var found: Bool
        /// Where the axes meet (Å, original frame).
        public var centre: [Double]
        /// The reference point of the unique copy (Å, original frame).
        public var reference: [Double]
        /// Share of the original map's voxels kept (about 1/order).
        public var keptFraction: Double
    }

    /// The box itself: original grid, region, frame (what `unbox` reads).
    public var box: MapBox
    /// The input map's frame.
    public var originalFrame: Frame
    /// The boxed map's frame.
    public var boxedFrame: Frame
    /// The box's first voxel as an index of the original grid.
    public var voxelShift: [Int]
    /// Å added to every model coordinate to carry the model into the boxed map's frame.
    public var modelShift: [Double]
    /// How the region was chosen ("model chains A,B", "mask", "threshold 0.5", "bounds", "whole map").
    public var regionFrom: String
    /// Padding used (Å).
    public var padding: Double
    /// Whether the edges were grown to FFT-friendly lengths.
    public var fftFriendly: Bool
    /// Width of the soft mask's edge (Å), or nil when none was applied.
    public var softMaskWidth: Double?
    /// The unique part, or nil.
    public var unique: Unique?
    /// Whether the padded region reached past the map and was cut to it.
    public var clampedToMap: Bool
}
