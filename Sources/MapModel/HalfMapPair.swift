import Foundation
import MapbookCore

/// The checks every pair of half maps passes before any FSC, sharpening or modification.
///
/// Two half maps must be two independent reconstructions on one grid. The same file given
/// twice, or two files with bit-identical voxels, would give an FSC of 1 in every shell (a
/// resolution at Nyquist that means nothing), so they are refused with the reason.
public enum HalfMapPair {
    /// `half2` placed on `half1`'s grid after the checks, with `paths` naming the files in
    /// messages. Origins may differ by less than `originTolerance` of a voxel.
    public static func checked(_ half1: Volume, _ half2: Volume, paths: (String, String),
                               originTolerance: Double = VoxelGrid.placementTolerance) throws -> (Volume, Volume) {
        if OutputSafety.sameFile(paths.0, paths.1) {
            throw MapbookError("is the same file as the first half map \(paths.0); give two independent half maps", path: paths.1)
        }
        if let why = half1.grid.mismatch(with: half2.grid, originTolerance: originTolerance) {
            throw MapbookError("does not match \(paths.0): \(why)", path: paths.1)
        }
        if identical(half1.voxels, half2.voxels) {
            throw MapbookError("holds exactly the same voxels as \(paths.0); give two independent half maps", path: paths.1)
        }
        var second = half2
        second.grid = half1.grid
        return (half1, second)
    }

    /// The average of two maps on one grid (the first map's grid), voxel by voxel: the map
    /// that half-map methods sharpen, mask and show. Each voxel is 0.5 · (a + b) in Float.
    public static func average(_ a: Volume, _ b: Volume) -> Volume {
        precondition(a.voxels.count == b.voxels.count, "the maps differ in size")
        var out = a
        out.voxels.withUnsafeMutableBufferPointer { x in
            b.voxels.withUnsafeBufferPointer { y in
                Parallelism.forEachRange(x.count, minimumPerChunk: 1 << 16) { _, r in
                    for i in r { x[i] = 0.5 * (x[i] + y[i]) }
                }
            }
        }
        return out
    }

    /// Whether two arrays hold the same bits (a byte comparison: one pass, no allocation).
    static func identical(_ a: AlignedArray<Float>, _ b: AlignedArray<Float>) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0 else { return true }
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                memcmp(pa.baseAddress!, pb.baseAddress!, a.count * MemoryLayout<Float>.stride) == 0
            }
        }
    }
}
