import MapbookCore

/// A 3-D map: Float voxels on a `VoxelGrid`, x fastest, then y, then z.
public struct Volume: Equatable, Sendable {
    /// Where the voxels are.
    public var grid: VoxelGrid
    /// The voxel values, `grid.count` of them.
    public var voxels: AlignedArray<Float>

    /// A volume of zeros on `grid`.
    public init(grid: VoxelGrid) {
        self.grid = grid
        self.voxels = AlignedArray(repeating: 0, count: grid.count)
    }

    /// A volume with the given voxels (count must equal `grid.count`).
    public init(grid: VoxelGrid, voxels: AlignedArray<Float>) {
        precondition(voxels.count == grid.count, "voxel count \(voxels.count) does not match grid \(grid.count)")
        self.grid = grid
        self.voxels = voxels
    }

    /// A volume whose voxel (x,y,z) is `value(x, y, z)`.
    public init(grid: VoxelGrid, _ value: (Int, Int, Int) -> Float) {
        self.grid = grid
        self.voxels = AlignedArray(unsafeUninitializedCount: grid.count) { buf in
            var i = 0
            for z in 0..<grid.size.z { for y in 0..<grid.size.y { for x in 0..<grid.size.x {
                buf.initializeElement(at: i, to: value(x, y, z)); i += 1
            } } }
        }
    }

    /// Voxel (x, y, z).
    public subscript(x: Int, y: Int, z: Int) -> Float {
        get { voxels[grid.index(x, y, z)] }
        set { voxels[grid.index(x, y, z)] = newValue }
    }

    /// Summary statistics, accumulated in Double.
    public var statistics: VolumeStatistics { VolumeStatistics(voxels) }
}

/// Minimum, maximum, mean and root-mean-square deviation of a set of voxels.
public struct VolumeStatistics: Equatable, Sendable, Codable {
    /// Smallest value.
    public var min: Float
    /// Largest value.
    public var max: Float
    /// Mean value.
    public var mean: Double
    /// Standard deviation about the mean (the MRC "RMS" field).
    public var rms: Double

    /// Statistics of `values`, in one parallel pass. Empty input gives zeros. A NaN or
    /// infinite voxel makes `mean` and `rms` non-finite (callers test that instead of making a
    /// second pass).
    ///
    /// The sums run over fixed blocks of 2¹⁶ voxels, added up in order, so the result (and the
    /// header of every map written) is the same to the last bit for any thread count.
    public init(_ values: AlignedArray<Float>) {
        let parts = values.withUnsafeBufferPointer { buf in
            Parallelism.blockPartials(buf.count, empty: (lo: Float.infinity, hi: -Float.infinity, sum: 0.0, sum2: 0.0)) {
                Self.blockStatistics(buf, $0)
            }
        }
        var lo = Float.infinity, hi = -Float.infinity
        var sum = 0.0, sum2 = 0.0
        for p in parts { lo = Swift.min(lo, p.lo); hi = Swift.max(hi, p.hi); sum += p.sum; sum2 += p.sum2 }
        let n = Double(values.count)
        guard n > 0 else { self.min = 0; self.max = 0; self.mean = 0; self.rms = 0; return }
        self.min = lo
        self.max = hi
        self.mean = sum / n
        self.rms = Swift.max(0, sum2 / n - mean * mean).squareRoot()
    }

    /// Minimum, maximum, sum and sum of squares of `buf[range]`. SIMD lanes over sub-blocks of
    /// 4096: Float partial sums stay accurate, and are folded into Double per sub-block.
    private static func blockStatistics(_ buf: UnsafeBufferPointer<Float>, _ range: Range<Int>) -> (lo: Float, hi: Float, sum: Double, sum2: Double) {
        var lo = SIMD8<Float>(repeating: .infinity), hi = SIMD8<Float>(repeating: -.infinity)
        var sum = 0.0, sum2 = 0.0
        var i = range.lowerBound
        let raw = UnsafeRawPointer(buf.baseAddress!)
        while i < range.upperBound {
            let end = Swift.min(range.upperBound, i + 4096)
            var s = SIMD8<Float>(repeating: 0), s2 = SIMD8<Float>(repeating: 0)
            while i + 8 <= end {
                let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
                s += v; s2 += v * v
                // Masked blends compile to vector min/max; the library's pointwiseMin/Max do not.
                // A NaN never replaces a bound (the mean, which becomes NaN, reports it).
                lo.replace(with: v, where: v .< lo); hi.replace(with: v, where: v .> hi)
                i += 8
            }
            var tail: Float = 0, tail2: Float = 0
            while i < end {
                let v = buf[i]
                tail += v; tail2 += v * v
                lo[0] = Swift.min(lo[0], v); hi[0] = Swift.max(hi[0], v)
                i += 1
            }
            sum += Double(s.sum() + tail); sum2 += Double(s2.sum() + tail2)
        }
        return (lo.min(), hi.max(), sum, sum2)
    }
}
