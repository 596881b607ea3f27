import Foundation
import MapModel

/// A box of voxels within a grid: indices from `lower` (inclusive) to `upper` (exclusive).
public struct VoxelRegion: Codable, Sendable, Equatable {
    /// First voxel index along x, y and z.
    public var lower: SIMD3<Int>
    /// One past the last voxel index along x, y and z.
    public var upper: SIMD3<Int>

    /// A region.
    public init(lower: SIMD3<Int>, upper: SIMD3<Int>) { self.lower = lower; self.upper = upper }

    /// The whole grid.
    public init(wholeOf grid: VoxelGrid) { self.init(lower: .zero, upper: grid.size) }

    /// The middle voxel along each axis (the central sections' position).
    public var centre: SIMD3<Int> { SIMD3(lower.x + (upper.x - lower.x) / 2, lower.y + (upper.y - lower.y) / 2, lower.z + (upper.z - lower.z) / 2) }

    /// The smallest region holding every voxel of `volume` above `threshold`, widened by
    /// `margin` voxels on each side (kept inside the grid); nil when no voxel is above it.
    public static func bounding(_ volume: Volume, above threshold: Float, margin: Int) -> VoxelRegion? {
        let n = volume.grid.size
        var lo = n, hi = SIMD3<Int>(repeating: -1)
        volume.voxels.withUnsafeBufferPointer { p in
            for z in 0..<n.z {
                for y in 0..<n.y {
                    let row = n.x * (y + n.y * z)
                    for x in 0..<n.x where p[row + x] > threshold {
                        lo = pointwiseMin(lo, SIMD3(x, y, z)); hi = pointwiseMax(hi, SIMD3(x, y, z))
                    }
                }
            }
        }
        guard hi.x >= 0 else { return nil }
        return VoxelRegion(lower: pointwiseMax(lo &- margin, .zero), upper: pointwiseMin(hi &+ (margin + 1), n))
    }
}

/// Orthogonal sections and projections of a map, in the one orientation every figure uses
/// (`CentralSlices`): X (the y–z plane) with y to the right and z up; Y (x–z) with x right, z
/// up; Z (x–y) with x right, y up. Image row 0 is the top (the highest index of the vertical
/// axis), so pixel (column c, row r) of axis a's image is voxel u = lower[u] + c and
/// v = upper[v] − 1 − r of its two in-plane axes (u, v) = `planeAxes[a]`.
public enum VolumeSections {
    /// The in-plane axes (right, up) of the images normal to x, y and z.
    public static let planeAxes: [(Int, Int)] = [(1, 2), (0, 2), (0, 1)]
    /// Axis names.
    public static let axisNames = ["X", "Y", "Z"]
    /// Which way the image axes point, per normal axis.
    public static let orientations = ["y →, z ↑", "x →, z ↑", "x →, y ↑"]

    /// The three sections of `volume` through voxel `point`, each limited to `region`
    /// (default: the whole box).
    public static func through(_ volume: Volume, at point: SIMD3<Int>, region: VoxelRegion? = nil) -> [SliceImage] {
        let r = region ?? VoxelRegion(wholeOf: volume.grid)
        let n = volume.grid.size
        return volume.voxels.withUnsafeBufferPointer { p in
            (0..<3).map { a in
                image(axis: a, region: r, voxelSize: volume.grid.voxelSize, label: "\(axisNames[a]) = \(point[a])") { u, v in
                    var c = SIMD3<Int>(repeating: 0)
                    c[a] = point[a]; c[planeAxes[a].0] = u; c[planeAxes[a].1] = v
                    return p[c.x + n.x * (c.y + n.y * c.z)]
                }
            }
        }
    }

    /// The projections of `volume` along x, y and z: each pixel is the line integral through
    /// the box, the sum of the voxels along the axis times the voxel length (density × Å),
    /// so that grids of different sampling project alike.
    public static func projections(_ volume: Volume) -> [SliceImage] {
        let n = volume.grid.size, v = volume.grid.voxelSize
        var sums = [[Double]](repeating: [], count: 3)
        sums[0] = [Double](repeating: 0, count: n.y * n.z)
        sums[1] = [Double](repeating: 0, count: n.x * n.z)
        sums[2] = [Double](repeating: 0, count: n.x * n.y)
        volume.voxels.withUnsafeBufferPointer { p in
            for z in 0..<n.z {
                for y in 0..<n.y {
                    let row = n.x * (y + n.y * z)
                    var line = 0.0
                    for x in 0..<n.x {
                        let value = Double(p[row + x])
                        line += value
                        sums[1][x + n.x * z] += value
                        sums[2][x + n.x * y] += value
                    }
                    sums[0][y + n.y * z] = line
                }
            }
        }
        let region = VoxelRegion(wholeOf: volume.grid)
        let widths = [n.y, n.x, n.x]
        return (0..<3).map { a in
            image(axis: a, region: region, voxelSize: v, label: "sum along \(axisNames[a].lowercased())") { u, w in
                Float(sums[a][u + widths[a] * w] * v[a])
            }
        }
    }

    /// For each axis, the section (index) whose values vary most (largest variance over the
    /// plane): where a map holds most structure, as EMDB shows beside the central sections.
    public static func largestVariancePosition(_ volume: Volume) -> SIMD3<Int> {
        let n = volume.grid.size
        var sum = [[Double]](repeating: [], count: 3), squares = [[Double]](repeating: [], count: 3)
        for a in 0..<3 { sum[a] = [Double](repeating: 0, count: n[a]); squares[a] = sum[a] }
        volume.voxels.withUnsafeBufferPointer { p in
            for z in 0..<n.z {
                for y in 0..<n.y {
                    let row = n.x * (y + n.y * z)
                    var rowSum = 0.0, rowSquares = 0.0
                    for x in 0..<n.x {
                        let value = Double(p[row + x])
                        rowSum += value; rowSquares += value * value
                        sum[0][x] += value; squares[0][x] += value * value
                    }
                    sum[1][y] += rowSum; squares[1][y] += rowSquares
                    sum[2][z] += rowSum; squares[2][z] += rowSquares
                }
            }
        }
        var best = SIMD3<Int>(repeating: 0)
        for a in 0..<3 {
            let count = Double(n.x * n.y * n.z / n[a])
            let variance = (0..<n[a]).map { i in squares[a][i] / count - pow(sum[a][i] / count, 2) }
            // The first of equal variances, so a constant map gives index 0 deterministically.
            best[a] = variance.indices.max { variance[$0] < variance[$1] || (variance[$0] == variance[$1] && $0 > $1) } ?? 0
        }
        return best
    }

    /// The image of the plane normal to `axis` over `region`, with `value(u, v)` at in-plane
    /// voxel indices (u right, v up).
    static func image(axis a: Int, region r: VoxelRegion, voxelSize: SIMD3<Double>, label: String,
                      value: (_ u: Int, _ v: Int) -> Float) -> SliceImage {
        let (ua, va) = planeAxes[a]
        let w = r.upper[ua] - r.lower[ua], h = r.upper[va] - r.lower[va]
        var values = [Float]()
        values.reserveCapacity(w * h)
        for row in 0..<h {
            let v = r.upper[va] - 1 - row
            for column in 0..<w { values.append(value(r.lower[ua] + column, v)) }
        }
        return SliceImage(label: label, orientation: orientations[a], width: w, height: h, values: values,
                          physicalWidth: Double(w) * voxelSize[ua], physicalHeight: Double(h) * voxelSize[va])
    }
}

extension SliceImage {
    /// The image averaged down (boxes, one factor both ways) to at most `limit` pixels a side,
    /// keeping its physical size: for figures of large maps whose data must stay small.
    public func reduced(toAtMost limit: Int) -> SliceImage {
        guard max(width, height) > limit else { return self }
        let f = Double(max(width, height)) / Double(limit)
        let target = Int((Double(width) / f).rounded(.down)) * Int((Double(height) / f).rounded(.down))
        let (size, values) = VolumeReduction.boxAverage(values, size: SIMD3(width, height, 1), maxVoxels: max(1, target))
        var s = self
        s.width = size.x; s.height = size.y; s.values = values
        return s
    }
}
