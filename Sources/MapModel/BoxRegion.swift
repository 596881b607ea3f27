import Foundation
import MapbookCore

/// Finding the block of a map to box: around positions (atoms), around flagged voxels (a
/// mask, a density threshold), or from given voxel bounds, widened by a padding, optionally
/// grown to FFT-friendly edge lengths, and always kept inside the map.
public enum BoxRegion {
    /// The voxels whose centres lie within the bounding box of `positions` (Å) widened by
    /// `padding` Å on every side, on `grid`, kept inside the grid; nil when that misses the map.
    public static func around(positions: [SIMD3<Double>], grid: VoxelGrid, padding: Double) -> SubBox? {
        guard let first = positions.first else { return nil }
        var lo = first, hi = first
        for p in positions { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        let a = (lo - padding - grid.firstVoxelPosition) / grid.voxelSize
        let b = (hi + padding - grid.firstVoxelPosition) / grid.voxelSize
        let start = SIMD3(Int(a.x.rounded(.up)), Int(a.y.rounded(.up)), Int(a.z.rounded(.up)))
        let last = SIMD3(Int(b.x.rounded(.down)), Int(b.y.rounded(.down)), Int(b.z.rounded(.down)))
        return clamped(start: start, last: last, grid: grid)
    }

    /// The bounding block of the voxels where `include` (a flat index, x fastest) is true,
    /// widened by `padding` Å, kept inside the grid; nil when no voxel is included.
    public static func around(voxels include: (Int) -> Bool, grid: VoxelGrid, padding: Double) -> SubBox? {
        guard let (lo, hi) = flaggedBounds(size: grid.size, include: include) else { return nil }
        let pad = padding / grid.voxelSize
        let margin = SIMD3(Int(pad.x.rounded(.down)), Int(pad.y.rounded(.down)), Int(pad.z.rounded(.down)))
        return clamped(start: lo &- margin, last: hi &+ margin, grid: grid)
    }

    /// The lowest and highest voxel index along each axis where `include` (a flat index, x
    /// fastest, on a grid of `n` voxels) is true; nil when it is true nowhere.
    public static func flaggedBounds(size n: SIMD3<Int>, include: (Int) -> Bool) -> (lower: SIMD3<Int>, upper: SIMD3<Int>)? {
        var lo = n, hi = SIMD3<Int>(repeating: -1)
        var i = 0
        for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
            if include(i) {
                lo = SIMD3(min(lo.x, x), min(lo.y, y), min(lo.z, z))
                hi = SIMD3(max(hi.x, x), max(hi.y, y), max(hi.z, z))
            }
            i += 1
        } } }
        return hi.x >= 0 ? (lo, hi) : nil
    }

    /// The block from voxel `lower` to `upper` (both included, indices of the grid), checked
    /// to lie inside it.
    public static func bounds(lower: SIMD3<Int>, upper: SIMD3<Int>, grid: VoxelGrid) throws -> SubBox {
        for a in 0..<3 where lower[a] < 0 || upper[a] >= grid.size[a] || lower[a] > upper[a] {
            let axis = ["x", "y", "z"][a]
            throw MapbookError("the bounds \(lower[a])…\(upper[a]) along \(axis) do not lie inside the map's voxels 0…\(grid.size[a] - 1) (first ≤ last)")
        }
        return SubBox(start: lower, size: upper &- lower &+ 1)
    }

    /// `box` grown along each axis to the next FFT-friendly length (`SubBox.fftFriendlyLength`),
    /// evenly on both sides and moved back inside the grid; an edge that would outgrow the map
    /// becomes the map's largest FFT-friendly length that still holds the box, or the map's
    /// own length.
    public static func fftFriendly(_ box: SubBox, in grid: VoxelGrid) -> SubBox {
        var out = box
        for a in 0..<3 {
            var s = SubBox.fftFriendlyLength(atLeast: box.size[a])
            if s > grid.size[a] { s = grid.size[a] }
            let grow = s - box.size[a]
            var start = box.start[a] - grow / 2
            start = min(max(0, start), grid.size[a] - s)
            out.start[a] = start
            out.size[a] = s
        }
        return out
    }

    /// The block from `start` to `last` (included) cut to the grid; nil when nothing is left.
    static func clamped(start: SIMD3<Int>, last: SIMD3<Int>, grid: VoxelGrid) -> SubBox? {
        let s = pointwiseMax(start, .zero)
        let e = pointwiseMin(last, grid.size &- 1)
        guard all(s .<= e) else { return nil }
        return SubBox(start: s, size: e &- s &+ 1)
    }
}
