import MapbookCore
import MapModel

/// Averaging a map over the copies a point group relates.
///
/// Each output voxel at x becomes the mean of the input at R(x − c) + c over the group's
/// operators R (c the centre), read by trilinear interpolation. Images that fall outside the box
/// are left out of that voxel's mean rather than padded with zeros or wrapped, so voxels near
/// the edges are averaged over the copies that exist (at least the voxel itself, the identity).
/// Because the operators form a group, the average is symmetric wherever every image lies
/// inside the box, and averaging it again changes nothing there (up to interpolation).
///
/// Density modification averages each half map separately, so the two halves stay independent.
public enum SymmetryAveraging {
    /// `map` averaged over `group` about `centre` (Å; default `SymmetryCentre.box`, RELION's
    /// floor(N/2) voxel). With `region` (one flag per voxel, x fastest), only voxels where it is
    /// true are averaged; the others keep their value. The images are read from the unmodified
    /// input, so the region does not change what the averaged voxels see.
    ///
    /// Cost: (order − 1) trilinear interpolations per averaged voxel (the identity is read
    /// directly), e.g. 3 × 128³ ≈ 6·10⁶ for D2 and 59 × 128³ ≈ 1.2·10⁸ for I; no allocation per
    /// voxel (one scratch block per worker), rows split across `Parallelism.threads` workers.
    /// Each voxel's sum runs over the operators in a fixed order, so the result does not depend
    /// on the thread count.
    public static func average(_ map: Volume, over group: PointGroup, centre: SIMD3<Double>? = nil,
                               region: [Bool]? = nil) -> Volume {
        let grid = map.grid
        let n = grid.size
        precondition(region.map { $0.count == grid.count } ?? true, "region has \(region?.count ?? 0) flags for a map of \(grid.count) voxels")
        let c = centre ?? SymmetryCentre.box(grid)
        let operators = group.operators.dropFirst().map { GridOperator($0, centre: c, grid: grid) }
        if operators.isEmpty { return map }
        var out = map
        let rows = n.y * n.z
        // Rows are averaged in blocks of about 16 K voxels, each operator over the whole block
        // before the next: consecutive rows' images are neighbouring lines of the input, so
        // one operator's reads reuse the cache lines the previous row brought in. (All operators
        // one row at a time measured about 30 % slower under I at 128³: 27 against 19–21 ns per
        // interpolation on one thread.)
        let block = max(1, (1 << 14) / max(1, n.x))
        map.voxels.withUnsafeBufferPointer { input in
            out.voxels.withUnsafeMutableBufferPointer { output in
                let sampler = TrilinearSampler(input, size: n)
                withRegion(region) { flags in
                    Parallelism.forEachRange(rows, minimumPerChunk: 4) { _, rowRange in
                        // Per-worker scratch for one block: sums and copy counts.
                        let scratch = min(block, rowRange.count) * n.x
                        var sum = [Float](repeating: 0, count: scratch)
                        var count = [Float](repeating: 0, count: scratch)
                        sum.withUnsafeMutableBufferPointer { sum in
                            count.withUnsafeMutableBufferPointer { count in
                                var first = rowRange.lowerBound
                                while first < rowRange.upperBound {
                                    let last = min(rowRange.upperBound, first + block)
                                    averageBlock(first..<last, n: n, operators: operators, sampler: sampler,
                                                 flags: flags, sum: sum, count: count, output: output)
                                    first = last
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Averages the rows `rows` (row = y + n.y·z) of the box into `output`, using `sum` and
    /// `count` (at least rows.count × n.x long) as scratch.
    private static func averageBlock(_ rows: Range<Int>, n: SIMD3<Int>, operators: [GridOperator], sampler: TrilinearSampler,
                                     flags: UnsafeBufferPointer<Bool>?, sum: UnsafeMutableBufferPointer<Float>,
                                     count: UnsafeMutableBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>) {
        let start = rows.lowerBound * n.x
        let length = rows.count * n.x
        // Identity: the voxel itself, read exactly.
        for j in 0..<length {
            sum[j] = sampler.values[start + j]
            count[j] = 1
        }
        if let flags, !(0..<length).contains(where: { flags[start + $0] }) { return }
        for op in operators {
            for row in rows {
                let y = row % n.y, z = row / n.y
                let base = op.c1 * Double(y) + op.c2 * Double(z) + op.offset
                let offset = (row - rows.lowerBound) * n.x
                for x in 0..<n.x {
                    if let flags, !flags[start + offset + x] { continue }
                    if let value = sampler.sample(base + op.c0 * Double(x)) {
                        sum[offset + x] += value
                        count[offset + x] += 1
                    }
                }
            }
        }
        for j in 0..<length {
            if let flags, !flags[start + j] { continue }
            output[start + j] = sum[j] / count[j]
        }
    }

    /// Runs `body` with a pointer to the region's flags, or nil without a region.
    private static func withRegion<R>(_ region: [Bool]?, _ body: (UnsafeBufferPointer<Bool>?) -> R) -> R {
        guard let region else { return body(nil) }
        return region.withUnsafeBufferPointer { body($0) }
    }
}
