import MapbookCore
import MapModel

/// A box cut out of a periodic grid, for work that only concerns a region (the mask) of a
/// large box: Fourier work shrinks with the volume.
public struct Crop: Sendable, Equatable {
    /// First voxel of the cut, in the full grid (the cut wraps around the box edges).
    public var start: SIMD3<Int>
    /// Size of the cut.
    public var size: SIMD3<Int>
    /// Size of the full grid.
    public var fullSize: SIMD3<Int>

    /// The smallest box of FFT-friendly size (factors 2, 3, 5, 7) that holds every voxel where
    /// `include` is true plus `margin` voxels on each side; nil when it would not be at least
    /// 25 % smaller than the full box.
    public static func around(size n: SIMD3<Int>, margin: Int, include: (Int) -> Bool) -> Crop? {
        var lo = n, hi = SIMD3<Int>(repeating: -1)
        var i = 0
        for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
            if include(i) {
                lo = SIMD3(min(lo.x, x), min(lo.y, y), min(lo.z, z))
                hi = SIMD3(max(hi.x, x), max(hi.y, y), max(hi.z, z))
            }
            i += 1
        } } }
        guard hi.x >= 0 else { return nil }
        var start = SIMD3<Int>.zero, size = SIMD3<Int>.zero
        for a in 0..<3 {
            let wanted = hi[a] - lo[a] + 1 + 2 * margin
            let s = min(n[a], fftFriendly(atLeast: wanted))
            size[a] = s
            // Centre the cut on the region.
            start[a] = s == n[a] ? 0 : lo[a] - (s - (hi[a] - lo[a] + 1)) / 2
        }
        let fraction = Double(size.x * size.y * size.z) / Double(n.x * n.y * n.z)
        return fraction <= 0.75 ? Crop(start: start, size: size, fullSize: n) : nil
    }

    /// The smallest integer ≥ `n` whose prime factors are all 2, 3, 5 or 7.
    public static func fftFriendly(atLeast n: Int) -> Int {
        var m = max(1, n)
        while true {
            var r = m
            for p in [2, 3, 5, 7] { while r % p == 0 { r /= p } }
            if r == 1 { return m }
            m += 1
        }
    }

    /// Full-grid index of cut voxel (x, y, z).
    @inline(__always)
    func fullIndex(_ x: Int, _ y: Int, _ z: Int) -> Int {
        func wrap(_ v: Int, _ m: Int) -> Int { let r = v % m; return r < 0 ? r + m : r }
        let fx = wrap(start.x + x, fullSize.x), fy = wrap(start.y + y, fullSize.y), fz = wrap(start.z + z, fullSize.z)
        return fx + fullSize.x * (fy + fullSize.y * fz)
    }

    /// The grid of the cut (same voxel size; placement shifted to its first voxel).
    public func grid(of full: VoxelGrid) -> VoxelGrid {
        VoxelGrid(size: size, voxelSize: full.voxelSize, nstart: full.nstart &+ start, origin: full.origin)
    }

    /// The values of `full` inside the cut.
    public func extract(_ full: Volume) -> Volume {
        var out = Volume(grid: grid(of: full.grid))
        extract(full.voxels, into: &out.voxels)
        return out
    }

    /// Copies the cut of a full-grid array into `out` (size of the cut).
    public func extract<T: BitwiseCopyable>(_ full: AlignedArray<T>, into out: inout AlignedArray<T>) {
        full.withUnsafeBufferPointer { f in
            out.withUnsafeMutableBufferPointer { o in
                var i = 0
                for z in 0..<size.z { for y in 0..<size.y { for x in 0..<size.x { o[i] = f[fullIndex(x, y, z)]; i += 1 } } }
            }
        }
    }

    /// A full-grid volume holding `cut` inside the cut and `outside` elsewhere.
    public func embed(_ cut: Volume, in full: VoxelGrid, outside: Float) -> Volume {
        var out = Volume(grid: full)
        out.voxels.withUnsafeMutableBufferPointer { o in
            if outside != 0 { for i in 0..<o.count { o[i] = outside } }
            cut.voxels.withUnsafeBufferPointer { c in
                var i = 0
                for z in 0..<size.z { for y in 0..<size.y { for x in 0..<size.x { o[fullIndex(x, y, z)] = c[i]; i += 1 } } }
            }
        }
        return out
    }
}
