import MapModel

/// The grid a composite is built on when none is given: it covers every input map's voxel
/// centres, at the finest input voxel size (or a given one), isotropic, placed by ORIGIN alone.
public enum CompositeGrid {
    /// The grid covering the voxel centres of all `grids` with voxels of `voxelSize` Å
    /// (default: the smallest voxel edge of any input).
    public static func covering(_ grids: [VoxelGrid], voxelSize: Double? = nil) -> VoxelGrid {
        precondition(!grids.isEmpty, "no grids to cover")
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for g in grids {
            let first = g.firstVoxelPosition
            let last = first + (SIMD3(Double(g.size.x), Double(g.size.y), Double(g.size.z)) - 1) * g.voxelSize
            lo = pointwiseMin(lo, first); hi = pointwiseMax(hi, last)
        }
        let v = voxelSize ?? grids.map { $0.voxelSize.min() }.min()!
        let span = (hi - lo) / v
        let size = SIMD3(Int((span.x + 1e-6).rounded(.down)) + 1, Int((span.y + 1e-6).rounded(.down)) + 1, Int((span.z + 1e-6).rounded(.down)) + 1)
        return VoxelGrid(size: size, voxelSize: SIMD3(repeating: v), origin: lo)
    }
}
