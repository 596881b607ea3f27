import Foundation
import MapModel

/// A triangle mesh of the surface where a map crosses a contour level, in Å in the map's box
/// frame: the box spans 0 ... n × voxel size on each axis and voxel i's centre sits at
/// (i + ½) × voxel size, the frame of `SliceImage`'s physical extent.
public struct IsosurfaceMesh: Sendable, Equatable {
    /// Vertex positions, Å.
    public var positions: [SIMD3<Float>]
    /// Unit outward normals per vertex (towards lower density), from the density gradient;
    /// zero where the gradient vanishes.
    public var normals: [SIMD3<Float>]
    /// Three vertex indices per triangle, wound counter-clockwise seen from outside.
    public var triangles: [UInt32]

    /// Number of triangles.
    public var triangleCount: Int { triangles.count / 3 }
}

/// Isosurface extraction by naive surface nets (Gibson 1998, "Constrained elastic surface
/// nets"; the dual of marching cubes): one vertex in each grid cell whose eight corners lie
/// on both sides of the level, at the mean of the points where the cell's edges cross it
/// (linear interpolation along each edge), and one quad, split into two triangles, for each
/// grid edge that crosses, joining the four cells around that edge. The surface is closed:
/// the grid is padded with one layer below the level, so density touching the box gets a cap
/// on the box face. Voxels at or above the level are inside, as in `RecommendedContour`.
///
/// Large maps are extracted on a coarser grid: every f-th voxel along each axis, with f the
/// smallest integer that leaves at most `maxEdge` samples per edge. Sampling, unlike
/// averaging, keeps the values at the retained voxels, so the surface still passes through
/// the same level crossings; only detail finer than f voxels is lost.
public enum SurfaceNets {
    /// The default largest number of samples along any edge of the extraction grid: a 256³
    /// map is extracted on 128³ points, which keeps the silhouette within a fraction of a
    /// pixel at report sizes and three views well within a second.
    public static let defaultMaxEdge = 160

    /// The sampling step for a grid of `size`: the smallest f with ⌈n / f⌉ ≤ `maxEdge` on
    /// every axis.
    public static func step(for size: SIMD3<Int>, maxEdge: Int) -> Int {
        let longest = max(size.x, size.y, size.z)
        return max(1, (longest + max(1, maxEdge) - 1) / max(1, maxEdge))
    }

    /// The surface of `volume` at `level`, extracted on a grid of at most `maxEdge` samples
    /// per edge.
    public static func mesh(of volume: Volume, level: Float, maxEdge: Int = defaultMaxEdge) -> IsosurfaceMesh {
        let f = step(for: volume.grid.size, maxEdge: maxEdge)
        let grid = PaddedSamples(volume, step: f, level: level)
        var builder = Builder(grid: grid, level: level, step: f, voxelSize: SIMD3<Float>(volume.grid.voxelSize), boxVoxels: volume.grid.size)
        builder.placeVertices()
        builder.joinFaces()
        return IsosurfaceMesh(positions: builder.positions, normals: builder.normals, triangles: builder.triangles)
    }
}

/// Every `step`-th voxel of a volume, with one layer of padding on each side set below the
/// level (so every crossing edge has all four cells around it, and surfaces close at the box).
struct PaddedSamples {
    /// Samples per axis, padding included.
    let size: SIMD3<Int>
    /// Values, x fastest.
    var values: [Float]

    init(_ volume: Volume, step f: Int, level: Float) {
        let n = volume.grid.size
        let m = SIMD3((n.x + f - 1) / f, (n.y + f - 1) / f, (n.z + f - 1) / f)
        size = m &+ 2
        let stats = volume.statistics
        // Below the level by as much as the map's highest value is above it: a voxel at the
        // top of the range then crosses half-way into the padding, which is clamped to the box.
        let outside = level - max(stats.max - level, 1e-6 * max(1, abs(level)))
        values = [Float](repeating: outside, count: size.x * size.y * size.z)
        let sx = size.x, sxy = size.x * size.y
        volume.voxels.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                for c in 0..<m.z {
                    for b in 0..<m.y {
                        let from = volume.grid.index(0, b * f, c * f), to = (c + 1) * sxy + (b + 1) * sx + 1
                        for a in 0..<m.x { dst[to + a] = src[from + a * f] }
                    }
                }
            }
        }
    }

    func index(_ x: Int, _ y: Int, _ z: Int) -> Int { x + size.x * (y + size.y * z) }
}

/// Builds a surface-nets mesh over padded samples.
struct Builder {
    let grid: PaddedSamples
    let level: Float
    let step: Int
    let voxelSize: SIMD3<Float>
    let boxVoxels: SIMD3<Int>
    var positions: [SIMD3<Float>] = []
    var normals: [SIMD3<Float>] = []
    var triangles: [UInt32] = []
    /// Vertex index of each cell (cell (x, y, z) has corners x ... x+1 etc.), −1 for none.
    var cellVertex: [Int32]

    init(grid: PaddedSamples, level: Float, step: Int, voxelSize: SIMD3<Float>, boxVoxels: SIMD3<Int>) {
        self.grid = grid; self.level = level; self.step = step; self.voxelSize = voxelSize; self.boxVoxels = boxVoxels
        cellVertex = [Int32](repeating: -1, count: grid.values.count)
    }

    /// The 12 cell edges as pairs of corner numbers (corner bit 0 = +x, bit 1 = +y, bit 2 = +z).
    static let edges: [(Int, Int)] = [(0, 1), (2, 3), (4, 5), (6, 7), (0, 2), (1, 3), (4, 6), (5, 7), (0, 4), (1, 5), (2, 6), (3, 7)]

    /// One vertex per crossing cell: the mean of its edge crossings, with the outward normal
    /// from the gradient of the cell's trilinear interpolant there.
    mutating func placeVertices() {
        let s = grid.size
        let offsets: [Int] = (0..<8).map { (k: Int) -> Int in grid.index(k & 1, (k >> 1) & 1, (k >> 2) & 1) }
        let corner: [SIMD3<Float>] = (0..<8).map { (k: Int) -> SIMD3<Float> in
            SIMD3<Float>(Float(k & 1), Float((k >> 1) & 1), Float((k >> 2) & 1))
        }
        let upper = SIMD3<Float>(Float(boxVoxels.x - 1), Float(boxVoxels.y - 1), Float(boxVoxels.z - 1))
        grid.values.withUnsafeBufferPointer { v in
            var c = [Float](repeating: 0, count: 8)
            for z in 0..<(s.z - 1) {
                for y in 0..<(s.y - 1) {
                    for x in 0..<(s.x - 1) {
                        let base = grid.index(x, y, z)
                        var inside = 0
                        for k in 0..<8 {
                            c[k] = v[base + offsets[k]]
                            if c[k] >= level { inside |= 1 << k }
                        }
                        guard inside != 0, inside != 255 else { continue }
                        var sum = SIMD3<Float>.zero, count: Float = 0
                        for (a, b) in Self.edges where ((inside >> a) & 1) != ((inside >> b) & 1) {
                            let t = (level - c[a]) / (c[b] - c[a])
                            sum += corner[a] + (corner[b] - corner[a]) * t
                            count += 1
                        }
                        let local = sum / count
                        // Padded sample coordinates → the original map's voxel coordinates,
                        // clamped to the box (caps lie on the outermost voxel centres).
                        let sample = SIMD3<Float>(Float(x), Float(y), Float(z)) + local - 1
                        let voxel = (sample * Float(step)).clamped(lowerBound: .zero, upperBound: upper)
                        cellVertex[base] = Int32(positions.count)
                        positions.append((voxel + 0.5) * voxelSize)
                        normals.append(Self.outwardNormal(c, at: local, voxelSize: voxelSize * Float(step)))
                    }
                }
            }
        }
    }

    /// Minus the gradient of the trilinear interpolant of corner values `c` at `p` (cell
    /// coordinates 0 ... 1), per Å, normalised; zero when the gradient vanishes.
    static func outwardNormal(_ c: [Float], at p: SIMD3<Float>, voxelSize: SIMD3<Float>) -> SIMD3<Float> {
        // Along each axis: the corner differences along it, blended bilinearly over the other two.
        func blend(_ d00: Float, _ d10: Float, _ d01: Float, _ d11: Float, _ s: Float, _ t: Float) -> Float {
            let near = d00 * (1 - s) + d10 * s
            let far = d01 * (1 - s) + d11 * s
            return near * (1 - t) + far * t
        }
        let dx = blend(c[1] - c[0], c[3] - c[2], c[5] - c[4], c[7] - c[6], p.y, p.z)
        let dy = blend(c[2] - c[0], c[3] - c[1], c[6] - c[4], c[7] - c[5], p.x, p.z)
        let dz = blend(c[4] - c[0], c[5] - c[1], c[6] - c[2], c[7] - c[3], p.x, p.y)
        let g = -SIMD3<Float>(dx, dy, dz) / voxelSize
        let length = (g * g).sum().squareRoot()
        return length > 0 && length.isFinite ? g / length : .zero
    }

    /// One quad per crossing grid edge, joining the four cells that share it, wound so that
    /// its normal points from the inside end of the edge to the outside end.
    mutating func joinFaces() {
        let s = grid.size
        // For an edge along axis a, the two other axes (b, c) in cyclic order, so that
        // (a, b, c) is right-handed, and the steps between neighbouring cells along them.
        let steps = [1, s.x, s.x * s.y]
        for z in 1..<(s.z - 1) {
            for y in 1..<(s.y - 1) {
                for x in 1..<(s.x - 1) {
                    let i = grid.index(x, y, z)
                    let here = grid.values[i] >= level
                    for axis in 0..<3 {
                        let j = i + steps[axis]
                        guard (grid.values[j] >= level) != here else { continue }
                        let b = steps[(axis + 1) % 3], c = steps[(axis + 2) % 3]
                        // The cells around the edge i–j: they share corner i, lying at −b/−c.
                        let q0 = cellVertex[i - b - c], q1 = cellVertex[i - c], q2 = cellVertex[i], q3 = cellVertex[i - b]
                        guard q0 >= 0, q1 >= 0, q2 >= 0, q3 >= 0 else { continue }
                        let (p0, p1, p2, p3) = (UInt32(q0), UInt32(q1), UInt32(q2), UInt32(q3))
                        // Counter-clockwise about +axis is (−b−c, −c, 0, −b); reversed when the
                        // inside is at the far end, so the normal still points outwards.
                        if here {
                            triangles.append(contentsOf: [p0, p1, p2, p0, p2, p3])
                        } else {
                            triangles.append(contentsOf: [p0, p2, p1, p0, p3, p2])
                        }
                    }
                }
            }
        }
    }
}
