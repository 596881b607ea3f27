import Foundation
import MapbookCore
import MapModel
import ModelMaps

/// The soft mask `soft_mask` multiplies the boxed maps by: 1 over the region, falling to 0
/// through a raised-cosine edge (`SoftMask.fromBinary`), made on the boxed grid.
enum BoxSoftMask {
    /// Radius (Å) around each selected atom of the region's binary mask (map_box's mask_atoms radius).
    static let atomRadius = 3.0

    /// The soft mask on `grid` for a region made of `atoms` (in the box's frame), of the voxels
    /// flagged by `flags` (x fastest, on `grid`), or of the box's inside (neither given): the
    /// voxels at least one edge width from every face, so the mask reaches 0 at the faces.
    static func make(grid: VoxelGrid, atoms: AtomicModel?, flags: [Bool]?, width: Double) -> Volume {
        let edge = width / grid.voxelSize.min()
        if let atoms {
            return SoftMask.fromBinary(ModelMask.binary(atoms, grid: grid, radius: atomRadius), grid: grid, extendVoxels: 0, softEdgeVoxels: edge)
        }
        if let flags { return SoftMask.fromBinary(flags, grid: grid, extendVoxels: 0, softEdgeVoxels: edge) }
        let n = grid.size
        let inset = Int(edge.rounded(.up))
        var inside = [Bool](repeating: false, count: grid.count)
        for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
            let p = SIMD3(x, y, z)
            inside[grid.index(x, y, z)] = all(p .>= SIMD3(repeating: inset)) && all(p .< n &- inset)
        } } }
        if !inside.contains(true) { inside[grid.index(n.x / 2, n.y / 2, n.z / 2)] = true }
        return SoftMask.fromBinary(inside, grid: grid, extendVoxels: 0, softEdgeVoxels: edge)
    }

    /// `volume` times `mask`, voxel by voxel.
    static func apply(_ mask: Volume, to volume: Volume) -> Volume {
        var out = volume
        out.voxels.withUnsafeMutableBufferPointer { v in
            mask.voxels.withUnsafeBufferPointer { m in for i in 0..<v.count { v[i] *= m[i] } }
        }
        return out
    }
}
