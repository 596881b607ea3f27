import Foundation
import MapbookCore

/// Soft masks: values in [0, 1], 1 inside, falling to exactly 0 through a raised-cosine edge.
///
/// The edge is built here, beside the volume model, so that masks from maps (Postprocessing)
/// and masks around atomic models (ModelMaps) are made the same way.
public enum SoftMask {
    /// Grows a binary mask by `extendVoxels` and gives it a raised-cosine edge `softEdgeVoxels`
    /// wide. A voxel joins the mask when its distance to it is < `extendVoxels` (strict, as
    /// RELION); a voxel at distance d < W from the grown mask gets 0.5 + 0.5·cos(π d / W).
    public static func fromBinary(_ binary: [Bool], grid: VoxelGrid, extendVoxels: Double, softEdgeVoxels: Double) -> Volume {
        var binary = binary
        let size = grid.size
        if extendVoxels > 0 {
            let d2 = DistanceTransform.squaredDistance(size: size) { binary[$0] }
            let e2 = Float(extendVoxels * extendVoxels)
            d2.withUnsafeBufferPointer { d in for i in 0..<d.count where d[i] < e2 { binary[i] = true } }
        } else if extendVoxels < 0 {
            // Erosion: keep voxels farther than |E| from the outside.
            let d2 = DistanceTransform.squaredDistance(size: size) { !binary[$0] }
            let e2 = Float(extendVoxels * extendVoxels)
            d2.withUnsafeBufferPointer { d in for i in 0..<d.count where d[i] < e2 { binary[i] = false } }
        }
        let d2 = DistanceTransform.squaredDistance(size: size) { binary[$0] }
        let w = softEdgeVoxels
        var mask = Volume(grid: grid)
        mask.voxels.withUnsafeMutableBufferPointer { m in
            d2.withUnsafeBufferPointer { d in
                Parallelism.forEachRange(m.count, minimumPerChunk: 1 << 15) { _, r in
                    for i in r {
                        if d[i] == 0 { m[i] = 1; continue }
                        let dist = Double(d[i]).squareRoot()
                        m[i] = dist < w ? Float(0.5 + 0.5 * cos(Double.pi * dist / w)) : 0
                    }
                }
            }
        }
        return mask
    }
}
