/// Where a volume's voxels sit in space: the number of voxels along x, y, z, the voxel size
/// along each axis in Å, and the placement of voxel (0,0,0).
///
/// Placement is kept the way MRC headers carry it — an integer grid start (NSTART) plus an
/// origin in Å (ORIGIN) — so a map read and written again keeps both fields. The physical
/// position of voxel (i,j,k) is `origin + (nstart + (i,j,k)) * voxelSize`.
public struct VoxelGrid: Equatable, Hashable, Sendable, Codable {
    /// Voxels along x, y, z (x fastest in memory).
    public var size: SIMD3<Int>
    /// Voxel edge lengths along x, y, z in Å.
    public var voxelSize: SIMD3<Double>
    /// Grid index of the first voxel (MRC NSTARTX/Y/Z).
    public var nstart: SIMD3<Int>
    /// Origin in Å (MRC2014 ORIGIN field).
    public var origin: SIMD3<Double>

    /// A grid of `size` voxels of edge `voxelSize` Å, placed by `nstart` and `origin`.
    public init(size: SIMD3<Int>, voxelSize: SIMD3<Double>, nstart: SIMD3<Int> = .zero, origin: SIMD3<Double> = .zero) {
        self.size = size
        self.voxelSize = voxelSize
        self.nstart = nstart
        self.origin = origin
    }

    /// A cubic grid of `n`³ voxels of `voxel` Å.
    public init(cube n: Int, voxel: Double) {
        self.init(size: SIMD3(n, n, n), voxelSize: SIMD3(repeating: voxel))
    }

    /// Number of voxels.
    public var count: Int { size.x * size.y * size.z }

    /// The volume of one voxel (Å³).
    public var voxelVolume: Double { voxelSize.x * voxelSize.y * voxelSize.z }

    /// Box edge lengths in Å.
    public var boxLength: SIMD3<Double> { SIMD3(Double(size.x), Double(size.y), Double(size.z)) * voxelSize }

    /// Physical position (Å) of voxel (0,0,0).
    public var firstVoxelPosition: SIMD3<Double> {
        origin + SIMD3(Double(nstart.x), Double(nstart.y), Double(nstart.z)) * voxelSize
    }

    /// Linear index of voxel (x, y, z).
    @inline(__always)
    public func index(_ x: Int, _ y: Int, _ z: Int) -> Int { x + size.x * (y + size.y * z) }

    /// Whether the voxel size is the same along all three axes (to 1e-4 relative).
    public var isIsotropic: Bool {
        let v = voxelSize
        return abs(v.x - v.y) <= 1e-4 * v.x && abs(v.x - v.z) <= 1e-4 * v.x
    }

    /// How far (in voxels) the placements of maps that belong together may differ: half maps,
    /// a full map and its half maps, a mask and its maps. RELION writes tiny, different origins
    /// into its maps (the β-galactosidase tutorial's half maps sit 0.067 Å, 1.9 % of a voxel,
    /// from its combined map and masks have origin 0), and ignores them; a tenth of a voxel
    /// accepts those and refuses any real misplacement. One tolerance for every command and
    /// cell, so a plan and a command accept the same inputs.
    public static let placementTolerance = 0.1

    /// Why `other` is not the same grid as this one, or nil when the two match.
    ///
    /// Sizes must be equal and voxel sizes equal to 1e-4 relative. Placements may differ by
    /// less than `originTolerance` voxels (`placementTolerance` unless given).
    public func mismatch(with other: VoxelGrid, originTolerance: Double = VoxelGrid.placementTolerance) -> String? {
        if size != other.size {
            return "grid \(size.x)×\(size.y)×\(size.z) differs from \(other.size.x)×\(other.size.y)×\(other.size.z)"
        }
        let dv = absolute(voxelSize - other.voxelSize) / voxelSize
        if dv.max() > 1e-4 {
            return "voxel size \(fmt(voxelSize)) Å differs from \(fmt(other.voxelSize)) Å"
        }
        let shift = absolute(firstVoxelPosition - other.firstVoxelPosition) / voxelSize
        if shift.max() >= originTolerance {
            return "origin \(fmt(firstVoxelPosition)) Å differs from \(fmt(other.firstVoxelPosition)) Å (more than \(originTolerance) of a voxel)"
        }
        return nil
    }

    private func fmt(_ v: SIMD3<Double>) -> String {
        func f(_ x: Double) -> String {
            let s = String(format: "%.4f", x)
            return s.contains(".") ? String(s.reversed().drop(while: { $0 == "0" }).drop(while: { $0 == "." }).reversed()) : s
        }
        return v.x == v.y && v.y == v.z ? f(v.x) : "\(f(v.x))×\(f(v.y))×\(f(v.z))"
    }
}

import Foundation

@inline(__always) func absolute(_ v: SIMD3<Double>) -> SIMD3<Double> { SIMD3(abs(v.x), abs(v.y), abs(v.z)) }
