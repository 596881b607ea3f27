import MapbookCore

/// Where a boxed map is placed in space.
public enum BoxFrame: String, Codable, Sendable, CaseIterable {
    /// The original map's frame: the box keeps the original ORIGIN and its NSTART is the
    /// original's plus the box's first voxel, so it overlays the original map and its model
    /// needs no shift.
    case original
    /// Moved to the origin: NSTART and ORIGIN are zero, the box's first voxel sits at (0,0,0) Å,
    /// and models are shifted with it (`MapBox.modelShift`).
    case origin
}

/// A box cut out of a map: the original grid, the block of its voxels kept, and the frame
/// the block is written in. Everything needed to put the box back (`restore`) or to move a
/// model between the two frames is here, so `box.json` records exactly this.
///
/// The block always lies inside the original grid (it never wraps), so cutting and restoring
/// copy voxels one for one: the round trip is exact.
public struct MapBox: Codable, Sendable, Equatable {
    /// The grid of the map the box was cut from.
    public var original: VoxelGrid
    /// The voxels kept, as indices of the original grid (inside it).
    public var region: SubBox
    /// The frame of the boxed map.
    public var frame: BoxFrame

    /// A box of `region` cut from a map on `original`, written in `frame`; throws when the
    /// region does not lie inside the grid.
    public init(original: VoxelGrid, region: SubBox, frame: BoxFrame) throws {
        for a in 0..<3 where region.start[a] < 0 || region.size[a] < 1 || region.start[a] + region.size[a] > original.size[a] {
            let axis = ["x", "y", "z"][a]
            throw MapbookError("the box spans voxels \(region.start[a])..<\(region.start[a] + region.size[a]) along \(axis), outside the map's 0..<\(original.size[a])")
        }
        self.original = original
        self.region = region
        self.frame = frame
    }

    /// Physical position (Å) of the box's first voxel in the original frame.
    public var firstVoxelInOriginal: SIMD3<Double> {
        original.firstVoxelPosition + SIMD3(Double(region.start.x), Double(region.start.y), Double(region.start.z)) * original.voxelSize
    }

    /// The boxed map's grid: in the original frame NSTART moves by the box start and ORIGIN is
    /// kept; at the origin both are zero.
    public var grid: VoxelGrid {
        switch frame {
        case .original: return region.grid(of: original)
        case .origin: return VoxelGrid(size: region.size, voxelSize: original.voxelSize)
        }
    }

    /// What to add to a model's coordinates (Å) to carry it from the original frame into the
    /// boxed map's: zero in the original frame, minus the box's first voxel position at the origin.
    public var modelShift: SIMD3<Double> {
        frame == .original ? .zero : grid.firstVoxelPosition - firstVoxelInOriginal
    }

    /// The block of `volume` (which must lie on the original grid's size) on the boxed grid.
    public func cut(_ volume: Volume) throws -> Volume {
        guard volume.grid.size == original.size else {
            let n = volume.grid.size, m = original.size
            throw MapbookError("a map of \(n.x)×\(n.y)×\(n.z) voxels cannot be boxed like one of \(m.x)×\(m.y)×\(m.z)")
        }
        var out = region.cut(volume)
        out.grid = grid
        return out
    }

    /// The boxed map put back on the original grid: its voxels inside the box, and outside it
    /// those of `surroundings` (a map on the original grid) or zero without one. The box's
    /// voxels come back bit for bit.
    public func restore(_ boxed: Volume, surroundings: Volume? = nil) throws -> Volume {
        guard boxed.grid.size == region.size else {
            let n = boxed.grid.size, m = region.size
            throw MapbookError("the map has \(n.x)×\(n.y)×\(n.z) voxels; the box recorded has \(m.x)×\(m.y)×\(m.z)")
        }
        if let why = grid.mismatch(with: boxed.grid) {
            throw MapbookError("the map is not the box recorded: \(why)")
        }
        guard let surroundings else { return region.embed(boxed, in: original, outside: 0) }
        if let why = original.mismatch(with: surroundings.grid) {
            throw MapbookError("the map to restore into is not the original the box was cut from: \(why)")
        }
        var out = surroundings
        out.grid = original
        let n = original.size, s = region.start, b = region.size
        out.voxels.withUnsafeMutableBufferPointer { o in
            boxed.voxels.withUnsafeBufferPointer { c in
                for z in 0..<b.z { for y in 0..<b.y {
                    let from = b.x * (y + b.y * z), to = (s.x) + n.x * ((s.y + y) + n.y * (s.z + z))
                    for x in 0..<b.x { o[to + x] = c[from + x] }
                } }
            }
        }
        return out
    }
}
