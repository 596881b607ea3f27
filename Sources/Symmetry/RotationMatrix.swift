import Foundation

/// A 3×3 matrix of Doubles, stored by rows, used for the rotations of point groups.
///
/// A small value type of its own rather than `simd_double3x3`: the `simd` module exists only on
/// Apple platforms, and mapbook builds on Linux too. Three `SIMD3` rows keep it free of heap
/// storage, so loops can copy operators around without allocating.
public struct RotationMatrix: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// First row.
    public var row0: SIMD3<Double>
    /// Second row.
    public var row1: SIMD3<Double>
    /// Third row.
    public var row2: SIMD3<Double>

    /// The matrix with the given rows.
    public init(rows row0: SIMD3<Double>, _ row1: SIMD3<Double>, _ row2: SIMD3<Double>) {
        self.row0 = row0
        self.row1 = row1
        self.row2 = row2
    }

    /// The identity.
    public static let identity = RotationMatrix(rows: SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))

    /// The right-handed rotation by `angle` radians about `axis` (normalised here; it must not
    /// be zero): Rodrigues' formula, R = cos θ·I + sin θ·[u]ₓ + (1 − cos θ)·u uᵀ.
    public init(axis: SIMD3<Double>, angle: Double) {
        let length = (axis * axis).sum().squareRoot()
        precondition(length > 0, "rotation axis must not be zero")
        let u = axis / length
        let c = cos(angle), s = sin(angle), t = 1 - c
        row0 = SIMD3(c + t * u.x * u.x, t * u.x * u.y - s * u.z, t * u.x * u.z + s * u.y)
        row1 = SIMD3(t * u.y * u.x + s * u.z, c + t * u.y * u.y, t * u.y * u.z - s * u.x)
        row2 = SIMD3(t * u.z * u.x - s * u.y, t * u.z * u.y + s * u.x, c + t * u.z * u.z)
    }

    /// Element at (`row`, `column`), both 0-based.
    public subscript(row: Int, column: Int) -> Double {
        switch row {
        case 0: return row0[column]
        case 1: return row1[column]
        default: return row2[column]
        }
    }

    /// Column `j` (0-based): where the matrix sends the j-th unit vector.
    public func column(_ j: Int) -> SIMD3<Double> { SIMD3(row0[j], row1[j], row2[j]) }

    /// The transpose, which for a rotation is its inverse.
    public var transposed: RotationMatrix {
        RotationMatrix(rows: column(0), column(1), column(2))
    }

    /// The determinant (+1 for a proper rotation).
    public var determinant: Double {
        let c = SIMD3(row1.y * row2.z - row1.z * row2.y,
                      row1.z * row2.x - row1.x * row2.z,
                      row1.x * row2.y - row1.y * row2.x)
        return (row0 * c).sum()
    }

    /// The rotation angle in radians, 0 ... π, from the trace (1 + 2 cos θ).
    public var angle: Double {
        acos(max(-1, min(1, (row0.x + row1.y + row2.z - 1) / 2)))
    }

    /// The largest absolute difference between corresponding elements.
    public func distance(to other: RotationMatrix) -> Double {
        let d = pointwiseMax(abs(row0 - other.row0), pointwiseMax(abs(row1 - other.row1), abs(row2 - other.row2)))
        return d.max()
    }

    /// Whether every element is within `tolerance` of `other`'s.
    public func isClose(to other: RotationMatrix, tolerance: Double = 1e-6) -> Bool {
        distance(to: other) <= tolerance
    }

    /// The matrix applied to a column vector.
    public static func * (m: RotationMatrix, v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((m.row0 * v).sum(), (m.row1 * v).sum(), (m.row2 * v).sum())
    }

    /// The matrix product a·b (apply b first, then a).
    public static func * (a: RotationMatrix, b: RotationMatrix) -> RotationMatrix {
        let c0 = b.column(0), c1 = b.column(1), c2 = b.column(2)
        func row(_ r: SIMD3<Double>) -> SIMD3<Double> { SIMD3((r * c0).sum(), (r * c1).sum(), (r * c2).sum()) }
        return RotationMatrix(rows: row(a.row0), row(a.row1), row(a.row2))
    }

    /// Rows in brackets, four decimals: `[[1, 0, 0], [0, 1, 0], [0, 0, 1]]`.
    public var description: String {
        func f(_ x: Double) -> String {
            let s = String(format: "%.4f", abs(x) < 5e-5 ? 0 : x)
            return s
        }
        func r(_ v: SIMD3<Double>) -> String { "[\(f(v.x)), \(f(v.y)), \(f(v.z))]" }
        return "[\(r(row0)), \(r(row1)), \(r(row2))]"
    }
}

@inline(__always) private func abs(_ v: SIMD3<Double>) -> SIMD3<Double> { SIMD3(Swift.abs(v.x), Swift.abs(v.y), Swift.abs(v.z)) }
