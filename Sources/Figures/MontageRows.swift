import Foundation
import MapModel

/// What a montage row draws over its slices, and where they are cut.
public struct MontageOverlay: Sendable {
    /// A mask on the map's grid: its outline (the contour at `SliceMontageFigure.maskLevel`)
    /// is drawn on every tile.
    public var mask: Volume?
    /// Atoms (positions in Å, the maps' frame) drawn where they lie within `atomDistance`
    /// of a tile's plane.
    public var atoms: [SIMD3<Double>]
    /// How far from the plane an atom may lie and still be drawn (Å).
    public var atomDistance: Double
    /// The part of the box the tiles show (default: all of it).
    public var region: VoxelRegion?

    /// An overlay.
    public init(mask: Volume? = nil, atoms: [SIMD3<Double>] = [], atomDistance: Double = 1.5, region: VoxelRegion? = nil) {
        self.mask = mask; self.atoms = atoms; self.atomDistance = atomDistance; self.region = region
    }
}

extension SliceMontageFigure {
    /// The level of a mask drawn as its outline: half-way up a soft edge.
    public static let maskLevel: Float = 0.5

    /// A row of the sections of `volume` through voxel `point` (default: the centre of the
    /// overlay's region), in standard deviations of the map when `standardize` is set, with
    /// the overlay's mask outline and atoms near each plane, and the map's browser stack when
    /// `browsable`.
    public static func row(_ label: String, of volume: Volume, at point: SIMD3<Int>? = nil, overlay: MontageOverlay = MontageOverlay(),
                           standardize: Bool = true, browsable: Bool = false) -> Row {
        let region = overlay.region ?? VoxelRegion(wholeOf: volume.grid)
        let p = point ?? region.centre
        var row = Row(label: label, slices: VolumeSections.through(volume, at: p, region: region))
        if let mask = overlay.mask {
            row.outlines = VolumeSections.through(mask, at: p, region: region).map { SliceOutline.segments(of: $0, level: maskLevel) }
        }
        if !overlay.atoms.isEmpty {
            row.atoms = (0..<3).map { atomsNear(overlay.atoms, axis: $0, index: p[$0], region: region, grid: volume.grid, distance: overlay.atomDistance) }
        }
        if standardize { row = standardized(row, of: volume) }
        if browsable { row.stack = SliceStack.of(volume, label: label) }
        return row
    }

    /// The atoms within `distance` Å of the plane normal to `axis` at voxel `index`, in the
    /// image units of that plane's tile over `region` (pixel (c, r) centred at (c + ½, r + ½)).
    static func atomsNear(_ atoms: [SIMD3<Double>], axis a: Int, index: Int, region: VoxelRegion, grid: VoxelGrid, distance: Double) -> [Point] {
        let (u, v) = VolumeSections.planeAxes[a]
        let first = grid.firstVoxelPosition, voxel = grid.voxelSize
        var out: [Point] = []
        for atom in atoms {
            let i = (atom - first) / voxel
            guard abs(i[a] - Double(index)) * voxel[a] <= distance else { continue }
            let x = i[u] - Double(region.lower[u]) + 0.5, y = Double(region.upper[v] - 1) - i[v] + 0.5
            let width = Double(region.upper[u] - region.lower[u]), height = Double(region.upper[v] - region.lower[v])
            if x >= 0, x <= width, y >= 0, y <= height { out.append(Point(x, y)) }
        }
        return out
    }
}
