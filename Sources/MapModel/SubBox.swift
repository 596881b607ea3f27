import MapbookCore

/// A rectangular block of a map's voxels, cut out for work that concerns only a region: a
/// sharpening search scored on the box of density, MonoRes on the mask's surroundings, a
/// local-FSC window. The block may wrap around the box edges, since maps are periodic in
/// Fourier work; one that lies inside the map (`problem(in:)` is nil) is the usual case.
public struct SubBox: Sendable, Equatable, Codable {
    /// First voxel (0-based, in the map's x, y, z; may be negative or run past the end, and
    /// then wraps).
    public var start: SIMD3<Int>
    /// Voxels along x, y, z.
    public var size: SIMD3<Int>

    /// The block of `size` voxels from `start`.
    public init(start: SIMD3<Int>, size: SIMD3<Int>) {
        self.start = start
        self.size = size
    }

    /// The whole of `grid`.
    public static func whole(_ grid: VoxelGrid) -> SubBox { SubBox(start: .zero, size: grid.size) }

    /// Voxels in the block.
    public var count: Int { size.x * size.y * size.z }

    /// One past the last voxel along each axis.
    public var end: SIMD3<Int> { start &+ size }

    /// Why the block does not lie inside `grid` (or is smaller than 8 voxels along an axis,
    /// too small to score), or nil when it does.
    public func problem(in grid: VoxelGrid) -> String? {
        for a in 0..<3 where start[a] < 0 || size[a] < 1 || start[a] + size[a] > grid.size[a] {
            let axis = ["x", "y", "z"][a]
            return "the box spans voxels \(start[a])..<\(start[a] + size[a]) along \(axis), outside the map's 0..<\(grid.size[a])"
        }
        if size.x < 8 || size.y < 8 || size.z < 8 { return "the box must be at least 8 voxels along each axis" }
        return nil
    }

    /// The grid of the block inside `full`: same voxel size and origin, NSTART moved by `start`.
    public func grid(of full: VoxelGrid) -> VoxelGrid {
        VoxelGrid(size: size, voxelSize: full.voxelSize, nstart: full.nstart &+ start, origin: full.origin)
    }

    /// The values of `volume` in the block, on the block's grid.
    public func cut(_ volume: Volume) -> Volume {
        if size == volume.grid.size && start == .zero { return Volume(grid: grid(of: volume.grid), voxels: volume.voxels) }
        var out = Volume(grid: grid(of: volume.grid))
        extract(volume.voxels, fullSize: volume.grid.size, into: &out.voxels)
        return out
    }

    /// Copies the block of a full-grid array (`fullSize` voxels) into `out` (the block's size).
    public func extract<T: BitwiseCopyable>(_ full: AlignedArray<T>, fullSize: SIMD3<Int>, into out: inout AlignedArray<T>) {
        full.withUnsafeBufferPointer { f in
            out.withUnsafeMutableBufferPointer { o in
                forEachRow(fullSize: fullSize) { from, to, length, contiguous in
                    if contiguous {
                        for x in 0..<length { o[to + x] = f[from + x] }
                    } else {
                        for x in 0..<length { o[to + x] = f[from - start.x + Self.wrap(start.x + x, fullSize.x)] }
                    }
                }
            }
        }
    }

    /// The block of a full-grid array of any element type (`fullSize` voxels), in block order.
    public func extract<T>(_ full: [T], fullSize: SIMD3<Int>) -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        forEachRow(fullSize: fullSize) { from, _, length, contiguous in
            for x in 0..<length { out.append(full[contiguous ? from + x : from - start.x + Self.wrap(start.x + x, fullSize.x)]) }
        }
        return out
    }

    /// A full-grid volume holding `block` inside the block and `outside` elsewhere.
    public func embed(_ block: Volume, in full: VoxelGrid, outside: Float) -> Volume {
        var out = Volume(grid: full)
        out.voxels.withUnsafeMutableBufferPointer { o in
            if outside != 0 { for i in 0..<o.count { o[i] = outside } }
            block.voxels.withUnsafeBufferPointer { c in
                forEachRow(fullSize: full.size) { from, to, length, contiguous in
                    if contiguous {
                        for x in 0..<length { o[from + x] = c[to + x] }
                    } else {
                        for x in 0..<length { o[from - start.x + Self.wrap(start.x + x, full.size.x)] = c[to + x] }
                    }
                }
            }
        }
        return out
    }

    /// Calls `body` once per x-row of the block with the full-grid index of the row's first
    /// voxel (its y and z wrapped; x at `start.x` wrapped), the block index of the row's
    /// first voxel, the row length, and whether the row runs without wrapping along x.
    private func forEachRow(fullSize n: SIMD3<Int>, _ body: (Int, Int, Int, Bool) -> Void) {
        let x0 = Self.wrap(start.x, n.x)
        let contiguous = x0 + size.x <= n.x
        var to = 0
        for z in 0..<size.z {
            let fz = Self.wrap(start.z + z, n.z)
            for y in 0..<size.y {
                let fy = Self.wrap(start.y + y, n.y)
                let rowStart = n.x * (fy + n.y * fz)
                body(rowStart + (contiguous ? x0 : start.x), to, size.x, contiguous)
                to += size.x
            }
        }
    }

    @inline(__always)
    static func wrap(_ v: Int, _ m: Int) -> Int { let r = v % m; return r < 0 ? r + m : r }

    /// The smallest block of FFT-friendly edge lengths (`fftFriendlyLength`) that holds every
    /// voxel where `include` is true plus `margin` voxels on each side, centred on them, with
    /// edges no longer than the map's; nil when no voxel is included.
    public static func enclosing(size n: SIMD3<Int>, margin: Int, include: (Int) -> Bool) -> SubBox? {
        guard let (lo, hi) = BoxRegion.flaggedBounds(size: n, include: include) else { return nil }
        var start = SIMD3<Int>.zero, size = SIMD3<Int>.zero
        for a in 0..<3 {
            let s = min(n[a], fftFriendlyLength(atLeast: hi[a] - lo[a] + 1 + 2 * margin))
            size[a] = s
            start[a] = s == n[a] ? 0 : lo[a] - (s - (hi[a] - lo[a] + 1)) / 2
        }
        return SubBox(start: start, size: size)
    }

    /// The smallest length ≥ `n` whose prime factors are all 2, 3, 5 or 7 (FFTW is fastest on those).
    public static func fftFriendlyLength(atLeast n: Int) -> Int {
        var m = max(1, n)
        while true {
            var r = m
            for p in [2, 3, 5, 7] { while r % p == 0 { r /= p } }
            if r == 1 { return m }
            m += 1
        }
    }
}
