import MapModel

/// A symmetry operator about a centre, rewritten for voxel indices: the image of voxel index
/// i is `c0·i.x + c1·i.y + c2·i.z + offset`.
///
/// In Å the image of p is R(p − c) + c. With p = first + i∘v (v the voxel size), the image's
/// index is D⁻¹RD(i − i_c) + i_c, D = diag(v), i_c the centre's index, so anisotropic voxels are
/// handled by scaling the matrix rather than by resampling.
struct GridOperator {
    let c0: SIMD3<Double>
    let c1: SIMD3<Double>
    let c2: SIMD3<Double>
    let offset: SIMD3<Double>

    init(_ r: RotationMatrix, centre: SIMD3<Double>, grid: VoxelGrid) {
        let v = grid.voxelSize
        let ic = SymmetryCentre.voxel(at: centre, in: grid)
        // Column j of D⁻¹RD is R's column j times v_j, divided row-wise by v.
        c0 = r.column(0) * v.x / v
        c1 = r.column(1) * v.y / v
        c2 = r.column(2) * v.z / v
        offset = ic - (c0 * ic.x + c1 * ic.y + c2 * ic.z)
    }

    /// The image of the (fractional) voxel index `i`.
    @inline(__always)
    func image(_ i: SIMD3<Double>) -> SIMD3<Double> { c0 * i.x + c1 * i.y + c2 * i.z + offset }
}

/// Trilinear interpolation inside a box of voxels, refusing points outside it.
///
/// "Inside" means within [0, N − 1] along every axis (to 1e-6 of a voxel, so operators that
/// send grid points onto grid points, like a 2-fold about a voxel, are not lost to rounding):
/// there all eight neighbours exist and no value has to be invented by wrapping or padding.
struct TrilinearSampler {
    let values: UnsafeBufferPointer<Float>
    let size: SIMD3<Int>
    /// Upper limits of the inside test, N − 1 + 1e-6.
    private let upper: SIMD3<Double>
    /// Largest lower-corner index, N − 2 (0 for a one-voxel axis).
    private let lastCorner: SIMD3<Int>
    /// Index steps to the upper neighbour along x, y, z (0 along a one-voxel axis).
    private let dx: Int, dy: Int, dz: Int
    private let rowStride: Int, planeStride: Int

    static let tolerance = 1e-6

    init(_ values: UnsafeBufferPointer<Float>, size: SIMD3<Int>) {
        precondition(values.count == size.x * size.y * size.z, "sampler size does not match its values")
        self.values = values
        self.size = size
        upper = SIMD3(Double(size.x - 1), Double(size.y - 1), Double(size.z - 1)) + Self.tolerance
        lastCorner = SIMD3(max(0, size.x - 2), max(0, size.y - 2), max(0, size.z - 2))
        rowStride = size.x
        planeStride = size.x * size.y
        dx = size.x > 1 ? 1 : 0
        dy = size.y > 1 ? rowStride : 0
        dz = size.z > 1 ? planeStride : 0
    }

    /// The interpolated value at voxel index `p`, or nil when `p` lies outside the box.
    @inline(__always)
    func sample(_ p: SIMD3<Double>) -> Float? {
        let t = Self.tolerance
        guard p.x >= -t, p.y >= -t, p.z >= -t, p.x <= upper.x, p.y <= upper.y, p.z <= upper.z else { return nil }
        // p ≥ −1e-6, so truncation is the floor once clamped at 0.
        let x0 = min(Int(max(0, p.x)), lastCorner.x)
        let y0 = min(Int(max(0, p.y)), lastCorner.y)
        let z0 = min(Int(max(0, p.z)), lastCorner.z)
        let fx = Float(min(1, max(0, p.x - Double(x0))))
        let fy = Float(min(1, max(0, p.y - Double(y0))))
        let fz = Float(min(1, max(0, p.z - Double(z0))))
        let i = x0 + rowStride * y0 + planeStride * z0
        let v = values
        let a = v[i] + fx * (v[i + dx] - v[i])
        let b = v[i + dy] + fx * (v[i + dy + dx] - v[i + dy])
        let c = v[i + dz] + fx * (v[i + dz + dx] - v[i + dz])
        let d = v[i + dz + dy] + fx * (v[i + dz + dy + dx] - v[i + dz + dy])
        let ab = a + fy * (b - a)
        let cd = c + fy * (d - c)
        return ab + fz * (cd - ab)
    }
}
