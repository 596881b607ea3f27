import Foundation
import MapbookCore
import MapModel

/// A rectangular block of a map's voxels: the region a sharpening search is scored on.
public struct MapBox: Sendable, Equatable, Codable {
    /// First voxel (0-based, in the map's x, y, z).
    public var start: SIMD3<Int>
    /// Voxels along x, y, z.
    public var size: SIMD3<Int>

    /// The block of `size` voxels from `start`.
    public init(start: SIMD3<Int>, size: SIMD3<Int>) {
        self.start = start
        self.size = size
    }

    /// The whole of `grid`.
    public static func whole(_ grid: VoxelGrid) -> MapBox { MapBox(start: .zero, size: grid.size) }

    /// Voxels in the box.
    public var count: Int { size.x * size.y * size.z }

    /// One past the last voxel along each axis.
    public var end: SIMD3<Int> { start &+ size }

    /// Why the box does not fit in `grid`, or nil when it does.
    public func problem(in grid: VoxelGrid) -> String? {
        for a in 0..<3 where start[a] < 0 || size[a] < 1 || start[a] + size[a] > grid.size[a] {
            let axis = ["x", "y", "z"][a]
            return "the box spans voxels \(start[a])..<\(start[a] + size[a]) along \(axis), outside the map's 0..<\(grid.size[a])"
        }
        if size.x < 8 || size.y < 8 || size.z < 8 { return "the box must be at least 8 voxels along each axis" }
        return nil
    }

    /// The voxels of `volume` in the box, on a grid placed where they were (same voxel size
    /// and origin, NSTART moved by `start`).
    public func cut(_ volume: Volume) -> Volume {
        let n = volume.grid.size
        var grid = volume.grid
        grid.size = size
        grid.nstart = volume.grid.nstart &+ start
        if size == n && start == .zero { return Volume(grid: grid, voxels: volume.voxels) }
        let voxels = volume.voxels.withUnsafeBufferPointer { src in
            AlignedArray<Float>(unsafeUninitializedCount: count) { dst in
                for z in 0..<size.z {
                    for y in 0..<size.y {
                        let from = (start.x) + n.x * ((start.y + y) + n.y * (start.z + z))
                        let to = size.x * (y + size.y * z)
                        for x in 0..<size.x { dst.initializeElement(at: to + x, to: src[from + x]) }
                    }
                }
            }
        }
        return Volume(grid: grid, voxels: voxels)
    }

    /// The box of density (cctbx `map_box density_select`, adapted): along each axis, the
    /// maximum of every slab of the molecule's local variance, less the mean of the six face
    /// slabs' maxima; the range where that profile exceeds 5 % of its peak, widened by a
    /// 3 Å cushion, then grown to FFT-friendly edge lengths. The profile is taken from the
    /// smoothed local variance rather than the raw map so that noise peaks in the solvent do not
    /// stretch the box. Nil when the box would hold more than half the map: the whole map is
    /// scored then, as phenix does (`max_box_fraction`).
    public static func aroundDensity(_ envelope: MoleculeEnvelope, cushion: Double = 3, maxFraction: Double = 0.5) -> MapBox? {
        let map = envelope.localVariance
        let n = map.grid.size
        var profiles = [[Float]](repeating: [], count: 3)
        for a in 0..<3 { profiles[a] = [Float](repeating: -.infinity, count: n[a]) }
        map.voxels.withUnsafeBufferPointer { v in
            for z in 0..<n.z {
                for y in 0..<n.y {
                    let row = n.x * (y + n.y * z)
                    var rowMax = -Float.infinity
                    for x in 0..<n.x {
                        let value = v[row + x]
                        if value > profiles[0][x] { profiles[0][x] = value }
                        rowMax = max(rowMax, value)
                    }
                    profiles[1][y] = max(profiles[1][y], rowMax)
                    profiles[2][z] = max(profiles[2][z], rowMax)
                }
            }
        }
        let edge = (0..<3).reduce(Float(0)) { $0 + profiles[$1][0] + profiles[$1][n[$1] - 1] } / 6
        var start = SIMD3<Int>.zero, size = n
        for a in 0..<3 {
            let p = profiles[a].map { $0 - edge }
            guard let peak = p.max(), peak > 0 else { return nil }
            let above = p.indices.filter { p[$0] > 0.05 * peak }
            let pad = Int((cushion / map.grid.voxelSize[a]).rounded(.up))
            let lo = max(0, above.first! - pad), hi = min(n[a] - 1, above.last! + pad)
            let length = min(n[a], fftFriendly(hi - lo + 1))
            start[a] = max(0, min(lo - (length - (hi - lo + 1)) / 2, n[a] - length))
            size[a] = length
        }
        let box = MapBox(start: start, size: size)
        return Double(box.count) > maxFraction * Double(map.grid.count) ? nil : box
    }

    /// The smallest length ≥ `n` with no prime factor above 7 (FFTW is fastest on those).
    public static func fftFriendly(_ n: Int) -> Int {
        var m = max(1, n)
        while true {
            var r = m
            for p in [2, 3, 5, 7] { while r % p == 0 { r /= p } }
            if r == 1 { return m }
            m += 1
        }
    }
}
