import MapModel

/// Trilinear interpolation of a map at Cartesian positions (Å), placed by the grid's origin,
/// nstart and voxel size (voxel (i,j,k) sits at `firstVoxelPosition + (i,j,k)·voxelSize`).
/// Public so that maps are placed on other grids (focused maps onto a composite's) by the same
/// interpolation that scores models.
public struct TrilinearSampler {
    // Scalars rather than SIMD3: unoptimised builds call a function per SIMD lane access.
    let x0: Double, y0: Double, z0: Double
    let vx: Double, vy: Double, vz: Double
    let nx: Int, ny: Int, nz: Int
    let voxels: UnsafeBufferPointer<Float>

    /// A sampler of `voxels` (x fastest) placed by `grid`; valid while the buffer is.
    public init(grid: VoxelGrid, voxels: UnsafeBufferPointer<Float>) {
        let first = grid.firstVoxelPosition
        (x0, y0, z0) = (first.x, first.y, first.z)
        (vx, vy, vz) = (grid.voxelSize.x, grid.voxelSize.y, grid.voxelSize.z)
        (nx, ny, nz) = (grid.size.x, grid.size.y, grid.size.z)
        self.voxels = voxels
    }

    /// The interpolated value at (x, y, z) Å, or nil outside the box spanned by the voxel
    /// centres. Scalar arithmetic: this runs for every sample point.
    @inline(__always)
    public func value(_ x: Double, _ y: Double, _ z: Double) -> Double? {
        let cx = (x - x0) / vx, cy = (y - y0) / vy, cz = (z - z0) / vz
        guard nx > 1, ny > 1, nz > 1, cx >= 0, cy >= 0, cz >= 0,
              cx <= Double(nx - 1), cy <= Double(ny - 1), cz <= Double(nz - 1) else { return nil }
        let i = min(Int(cx), nx - 2), j = min(Int(cy), ny - 2), k = min(Int(cz), nz - 2)
        let fx = cx - Double(i), fy = cy - Double(j), fz = cz - Double(k)
        let sy = nx, sz = nx * ny
        let b = i + sy * j + sz * k
        let v000 = Double(voxels[b]), v100 = Double(voxels[b + 1])
        let v010 = Double(voxels[b + sy]), v110 = Double(voxels[b + sy + 1])
        let v001 = Double(voxels[b + sz]), v101 = Double(voxels[b + sz + 1])
        let v011 = Double(voxels[b + sz + sy]), v111 = Double(voxels[b + sz + sy + 1])
        let c00 = v000 + fx * (v100 - v000), c10 = v010 + fx * (v110 - v010)
        let c01 = v001 + fx * (v101 - v001), c11 = v011 + fx * (v111 - v011)
        let c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01)
        return c0 + fz * (c1 - c0)
    }
}
