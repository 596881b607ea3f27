import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// A map smoothed for refinement and kept only around a model: low-passed to a resolution
/// (raised-cosine edge), divided by its standard deviation over the kept region, and sampled
/// by trilinear interpolation with the analytic gradient of that interpolant.
///
/// Only the box that holds the model (plus a margin) is kept, so the memory is that of the
/// model's neighbourhood, not of the whole map. Points outside the kept box sample as 0 with a
/// zero gradient: atoms that wander out feel only their restraints.
public struct MapSampler: Sendable {
    /// Resolution (Å) the map was low-passed to.
    public let resolution: Double
    /// Standard deviation of the low-passed map over the kept box (the unit of `values`).
    public let scale: Double
    /// Voxels kept along x, y, z.
    public let size: SIMD3<Int>
    /// Position (Å) of the first kept voxel.
    public let first: SIMD3<Double>
    /// Voxel edge lengths (Å).
    public let voxelSize: SIMD3<Double>
    /// The kept voxels (x fastest), mean removed, divided by `scale`.
    public let values: [Float]
    /// Reference length (longest edge, Å) of the whole map's grid: the low-pass edge is a
    /// number of its shells, which the kept box must reproduce in absolute frequency.
    public let fullReferenceLength: Double

    /// The low-passed `spectrum` (its map's Fourier transform, as `FFT.forward` gives) kept
    /// between `lower` and `upper` (Å, e.g. a model's bounds) widened by `margin` Å.
    ///
    /// Cost: one inverse FFT of the whole grid, and a copy of the spectrum while it runs.
    public init(spectrum: HalfSpectrum, shells: FourierShells, resolution d: Double, blurB: Double = 0,
                lower: SIMD3<Double>, upper: SIMD3<Double>, margin: Double) throws {
        guard d > 0, d.isFinite else { throw MapbookError("the refinement resolution must be positive, got \(d)") }
        var filtered = spectrum
        shells.apply(SpectralFilter(bFactor: blurB, lowPass: d, lowPassEdgeShells: 2), to: &filtered)
        let map = FFT.backward(consume filtered)
        self.init(lowPassed: map, resolution: d, lower: lower, upper: upper, margin: margin)
    }

    /// An already smoothed `map`, kept between `lower` − `margin` and `upper` + `margin` (Å),
    /// widened to a size whose factors are 2, 3 and 5 (so that maps on the kept box transform
    /// quickly), and normalised to mean 0 and sd 1 there.
    public init(lowPassed map: Volume, resolution d: Double, lower: SIMD3<Double>, upper: SIMD3<Double>, margin: Double) {
        let g = map.grid
        let v = g.voxelSize
        let origin = g.firstVoxelPosition
        var lo = SIMD3<Int>.zero, n = SIMD3<Int>.zero
        for axis in 0..<3 {
            let a = max(0, Int(((lower[axis] - margin - origin[axis]) / v[axis]).rounded(.down)))
            let b = min(g.size[axis] - 1, Int(((upper[axis] + margin - origin[axis]) / v[axis]).rounded(.up)))
            let wanted = Self.smooth(max(2, b - a + 1))
            n[axis] = min(g.size[axis], wanted)
            lo[axis] = max(0, min(min(a, g.size[axis] - 1), g.size[axis] - n[axis]))
        }
        var kept = [Float](repeating: 0, count: n.x * n.y * n.z)
        var sum = 0.0, sum2 = 0.0
        map.voxels.withUnsafeBufferPointer { src in
            var i = 0
            for z in 0..<n.z {
                for y in 0..<n.y {
                    let row = g.index(lo.x, lo.y + y, lo.z + z)
                    for x in 0..<n.x {
                        let value = src[row + x]
                        kept[i] = value
                        sum += Double(value); sum2 += Double(value) * Double(value)
                        i += 1
                    }
                }
            }
        }
        let count = Double(kept.count)
        let mean = sum / count
        let sd = max(0, sum2 / count - mean * mean).squareRoot()
        let s = sd > 0 ? sd : 1
        for i in kept.indices { kept[i] = Float((Double(kept[i]) - mean) / s) }
        resolution = d
        scale = s
        size = n
        voxelSize = v
        first = origin + SIMD3(Double(lo.x), Double(lo.y), Double(lo.z)) * v
        values = kept
        fullReferenceLength = max(g.boxLength.x, g.boxLength.y, g.boxLength.z)
    }

    /// A sampler of `values` on `grid` (a kept box, as `grid` of another sampler), as they are.
    public init(grid: VoxelGrid, values: [Float], resolution d: Double, fullReferenceLength: Double) {
        precondition(values.count == grid.count, "values do not fill the grid")
        resolution = d
        scale = 1
        size = grid.size
        voxelSize = grid.voxelSize
        first = grid.firstVoxelPosition
        self.values = values
        self.fullReferenceLength = fullReferenceLength
    }

    /// The kept box as a grid of its own (its first voxel at `first`).
    public var grid: VoxelGrid { VoxelGrid(size: size, voxelSize: voxelSize, origin: first) }

    /// The smallest number ≥ n whose only prime factors are 2, 3 and 5.
    static func smooth(_ n: Int) -> Int {
        var m = max(1, n)
        while true {
            var r = m
            for p in [2, 3, 5] { while r % p == 0 { r /= p } }
            if r == 1 { return m }
            m += 1
        }
    }

    /// The interpolated value at `p` (Å) and its gradient (per Å); zeros outside the kept box.
    @inline(__always)
    public func sample(_ p: SIMD3<Double>, _ buffer: UnsafeBufferPointer<Float>) -> (value: Double, gradient: SIMD3<Double>) {
        let u = (p - first) / voxelSize
        let fx = u.x.rounded(.down), fy = u.y.rounded(.down), fz = u.z.rounded(.down)
        let ix = Int(fx), iy = Int(fy), iz = Int(fz)
        guard ix >= 0, iy >= 0, iz >= 0, ix < size.x - 1, iy < size.y - 1, iz < size.z - 1 else { return (0, .zero) }
        let tx = u.x - fx, ty = u.y - fy, tz = u.z - fz
        let sx = size.x, sxy = size.x * size.y
        let i000 = ix + sx * iy + sxy * iz
        let c000 = Double(buffer[i000]), c100 = Double(buffer[i000 + 1])
        let c010 = Double(buffer[i000 + sx]), c110 = Double(buffer[i000 + sx + 1])
        let c001 = Double(buffer[i000 + sxy]), c101 = Double(buffer[i000 + sxy + 1])
        let c011 = Double(buffer[i000 + sxy + sx]), c111 = Double(buffer[i000 + sxy + sx + 1])
        // Along x first, then y, then z.
        let c00 = c000 + tx * (c100 - c000), c10 = c010 + tx * (c110 - c010)
        let c01 = c001 + tx * (c101 - c001), c11 = c011 + tx * (c111 - c011)
        let c0 = c00 + ty * (c10 - c00), c1 = c01 + ty * (c11 - c01)
        let value = c0 + tz * (c1 - c0)
        let dz = c1 - c0
        let dy = (c10 - c00) + tz * ((c11 - c01) - (c10 - c00))
        let dx0 = (c100 - c000) + ty * ((c110 - c010) - (c100 - c000))
        let dx1 = (c101 - c001) + ty * ((c111 - c011) - (c101 - c001))
        let dx = dx0 + tz * (dx1 - dx0)
        return (value, SIMD3(dx, dy, dz) / voxelSize)
    }

    /// The value at `p` (Å) and its gradient, for occasional use (takes the buffer itself).
    public func sample(_ p: SIMD3<Double>) -> (value: Double, gradient: SIMD3<Double>) {
        values.withUnsafeBufferPointer { sample(p, $0) }
    }
}
