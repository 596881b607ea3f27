import MapbookCore

extension Volume {
    /// Multiplies every voxel by the same voxel of `weights` (a mask or an envelope on the
    /// same grid), in parallel.
    public mutating func multiply(by weights: Volume) {
        precondition(weights.voxels.count == voxels.count, "the maps differ in size")
        voxels.withUnsafeMutableBufferPointer { v in
            weights.voxels.withUnsafeBufferPointer { w in
                Parallelism.forEachRange(v.count, minimumPerChunk: 1 << 16) { _, r in
                    for i in r { v[i] *= w[i] }
                }
            }
        }
    }

    /// This map times `weights`, voxel by voxel, in a new volume: one pass, in which the copy
    /// is the product (no copy first).
    public func multiplied(by weights: Volume) -> Volume {
        precondition(weights.voxels.count == voxels.count, "the maps differ in size")
        var out = Volume(grid: grid, voxels: AlignedArray(unsafeUninitializedCount: voxels.count) { _ in })
        out.voxels.withUnsafeMutableBufferPointer { o in
            voxels.withUnsafeBufferPointer { v in
                weights.voxels.withUnsafeBufferPointer { w in
                    Parallelism.forEachRange(v.count, minimumPerChunk: 1 << 16) { _, r in
                        for i in r { o[i] = v[i] * w[i] }
                    }
                }
            }
        }
        return out
    }
}
