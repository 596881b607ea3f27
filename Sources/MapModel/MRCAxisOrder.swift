/// How an MRC file's storage axes (columns, rows, sections, from MAPC/MAPR/MAPS) map onto
/// the physical axes x, y, z.
///
/// Volumes in mapbook are always x fastest, then y, then z. A file written with another axis
/// order (crystallographic tools often store y or z fastest) is permuted on reading; this
/// type holds that permutation and converts per-axis header values between the two orders.
public struct MRCAxisOrder: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// For columns, rows and sections in turn, the physical axis they run along
    /// (0 = x, 1 = y, 2 = z): MAPC−1, MAPR−1, MAPS−1.
    public let physicalAxis: SIMD3<Int>

    /// The order of a file with MAPC, MAPR, MAPS as given, or nil unless they are a
    /// permutation of 1, 2, 3.
    public init?(mapc: Int, mapr: Int, maps: Int) {
        guard Set([mapc, mapr, maps]) == [1, 2, 3] else { return nil }
        physicalAxis = SIMD3(mapc - 1, mapr - 1, maps - 1)
    }

    /// The standard order: columns along x, rows along y, sections along z (MAPC/R/S = 1,2,3).
    public static let xyz = MRCAxisOrder(mapc: 1, mapr: 2, maps: 3)!

    /// All six orders, for tests and tools.
    public static let all: [MRCAxisOrder] = [
        (1, 2, 3), (1, 3, 2), (2, 1, 3), (2, 3, 1), (3, 1, 2), (3, 2, 1),
    ].map { MRCAxisOrder(mapc: $0.0, mapr: $0.1, maps: $0.2)! }

    /// Whether the file is already in x, y, z order (no permutation needed on reading).
    public var isIdentity: Bool { physicalAxis == SIMD3(0, 1, 2) }

    /// MAPC, MAPR, MAPS as written in a header.
    public var mapcrs: SIMD3<Int> { physicalAxis &+ 1 }

    /// Reorders a per-storage-axis triple (NX/NY/NZ, NXSTART/NYSTART/NZSTART: column, row,
    /// section) into x, y, z.
    public func toXYZ<T: SIMDScalar>(_ fileOrder: SIMD3<T>) -> SIMD3<T> {
        var out = fileOrder
        for i in 0..<3 { out[physicalAxis[i]] = fileOrder[i] }
        return out
    }

    /// Reorders an x, y, z triple into column, row, section order.
    public func toFileOrder<T: SIMDScalar>(_ xyz: SIMD3<T>) -> SIMD3<T> {
        SIMD3(xyz[physicalAxis[0]], xyz[physicalAxis[1]], xyz[physicalAxis[2]])
    }

    /// "3,1,2 (columns z, rows x, sections y)".
    public var description: String {
        let names = ["x", "y", "z"]
        let m = mapcrs
        return "\(m.x),\(m.y),\(m.z) (columns \(names[physicalAxis.x]), rows \(names[physicalAxis.y]), sections \(names[physicalAxis.z]))"
    }
}

