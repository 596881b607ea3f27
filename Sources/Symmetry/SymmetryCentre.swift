import MapModel

/// Where a map's symmetry axes meet.
///
/// Centres are positions in Å, in the same frame as `VoxelGrid.firstVoxelPosition` (the frame
/// atomic models use), so one value serves maps and models alike.
public enum SymmetryCentre {
    /// RELION's centre of a box: voxel index floor(N/2) along each axis (the origin RELION
    /// puts at the centre of every reconstruction, and about which it applies the symmetry),
    /// as a position in Å.
    ///
    /// For an even N this is the voxel just past the geometric middle (N−1)/2; for an odd N it
    /// is the middle voxel.
    public static func box(_ grid: VoxelGrid) -> SIMD3<Double> {
        position(ofVoxel: SIMD3(Double(grid.size.x / 2), Double(grid.size.y / 2), Double(grid.size.z / 2)), in: grid)
    }

    /// The candidate centres map_symmetry tries when none is given: the box centre rounded
    /// down and rounded up along the even axes, i.e. voxel N/2 − 1 and N/2 (they coincide for
    /// odd N, and then only one is returned). RELION's centre (`box`) comes first.
    public static func candidates(_ grid: VoxelGrid) -> [SIMD3<Double>] {
        let up = box(grid)
        let even = SIMD3(grid.size.x % 2 == 0 ? 1.0 : 0, grid.size.y % 2 == 0 ? 1.0 : 0, grid.size.z % 2 == 0 ? 1.0 : 0)
        if even == .zero { return [up] }
        return [up, up - even * grid.voxelSize]
    }

    /// The position in Å of the (possibly fractional) voxel index `index`.
    public static func position(ofVoxel index: SIMD3<Double>, in grid: VoxelGrid) -> SIMD3<Double> {
        grid.firstVoxelPosition + index * grid.voxelSize
    }

    /// The (fractional) voxel index of the position `centre` Å.
    public static func voxel(at centre: SIMD3<Double>, in grid: VoxelGrid) -> SIMD3<Double> {
        (centre - grid.firstVoxelPosition) / grid.voxelSize
    }
}
