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

    /// Statistics of `values` (NaN-free input assumed). Empty input gives zeros.
    public init(_ values: AlignedArray<Float>) {
        var lo = Float.infinity, hi = -Float.infinity
        var sum = 0.0, sum2 = 0.0
        values.withUnsafeBufferPointer { buf in
            // Chunked partial sums keep Double accumulation accurate and let the loop vectorise.
            let n = buf.count
            var i = 0
            while i < n {
                let end = Swift.min(n, i + 4096)
                var s: Float = 0, s2: Float = 0
                var l = Float.infinity, h = -Float.infinity
                for j in i..<end {
                    let v = buf[j]
                    s += v; s2 += v * v
                    l = Swift.min(l, v); h = Swift.max(h, v)
                }
                sum += Double(s); sum2 += Double(s2)
                lo = Swift.min(lo, l); hi = Swift.max(hi, h)
                i = end
            }
        }
        let n = Double(values.count)
        guard n > 0 else { self.min = 0; self.max = 0; self.mean = 0; self.rms = 0; return }
        self.min = lo
        self.max = hi
        self.mean = sum / n
        self.rms = Swift.max(0, sum2 / n - mean * mean).squareRoot()
    }
}
