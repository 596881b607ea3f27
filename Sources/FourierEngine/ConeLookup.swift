import Foundation

/// Which cones around a set of directions may hold a given Fourier direction: a table over a
/// cube map of the sphere, so a coefficient tests a few candidate cones instead of all.
///
/// A direction v (with v and −v the same, as Friedel mates are) falls in the cone of half-angle
/// α around u when |v·u| ≥ |v| cos α. The sphere is cut into cells by the gnomonic projection
/// onto the faces of a cube: the axis of v's largest component picks one of three faces (the
/// sign does not matter), the other two components divided by it give a point of the face's
/// square [−1, 1]², and a `resolution` × `resolution` grid of that square gives the cell. A
/// cone's candidate list for a cell holds every direction whose cone reaches any point of the
/// cell: |c·u| ≥ cos(α + ρ), with c the cell's centre direction and ρ the largest angle from
/// c to the cell's corners (gnomonic cells are convex, so a corner is the farthest point).
/// The final membership test is exact, per coefficient; the table only saves work.
public struct ConeLookup: Sendable {
    /// The cone axes (unit vectors).
    public let directions: [SIMD3<Double>]
    /// Cosine of the cone half-angle.
    public let cosine: Double
    /// Cells per edge of each cube face.
    public let resolution: Int
    /// Candidate directions of every cell, concatenated; `offsets[c] ..< offsets[c + 1]` are
    /// those of cell c.
    let candidates: [Int32]
    let offsets: [Int]

    /// The table for cones of half-angle `halfAngle` (radians) around `directions`.
    public init(directions: [SIMD3<Double>], halfAngle: Double, resolution: Int = 40) {
        self.directions = directions
        // cos(π/2) is 6·10⁻¹⁷, not 0: a right angle must admit the perpendicular coefficients.
        self.cosine = halfAngle >= .pi / 2 ? 0 : cos(halfAngle)
        self.resolution = resolution
        var list: [Int32] = []
        var offsets = [0]
        let n = resolution
        for face in 0..<3 {
            for a in 0..<n {
                for b in 0..<n {
                    let centre = Self.direction(face: face, p: (Double(a) + 0.5) / Double(n) * 2 - 1, q: (Double(b) + 0.5) / Double(n) * 2 - 1)
                    var reach = 0.0
                    for (da, db) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                        let corner = Self.direction(face: face, p: Double(a + da) / Double(n) * 2 - 1, q: Double(b + db) / Double(n) * 2 - 1)
                        reach = max(reach, acos(min(1, (centre * corner).sum())))
                    }
                    let limit = cos(min(Double.pi / 2, halfAngle + reach))
                    for (j, u) in directions.enumerated() where abs((centre * u).sum()) >= limit - 1e-12 {
                        list.append(Int32(j))
                    }
                    offsets.append(list.count)
                }
            }
        }
        candidates = list
        self.offsets = offsets
    }

    /// The unit direction of point (p, q) of the face whose major axis is `face` (0 x, 1 y, 2 z).
    static func direction(face: Int, p: Double, q: Double) -> SIMD3<Double> {
        var v = SIMD3<Double>(repeating: 0)
        v[face] = 1
        v[(face + 1) % 3] = p
        v[(face + 2) % 3] = q
        return v / (v * v).sum().squareRoot()
    }

    /// The cell of direction `v` (not zero).
    @inline(__always)
    public func cell(_ v: SIMD3<Double>) -> Int {
        let a = SIMD3(abs(v.x), abs(v.y), abs(v.z))
        let face = a.x >= a.y ? (a.x >= a.z ? 0 : 2) : (a.y >= a.z ? 1 : 2)
        let major = v[face]
        let p = v[(face + 1) % 3] / major, q = v[(face + 2) % 3] / major
        let n = Double(resolution)
        let i = min(resolution - 1, max(0, Int((p + 1) * 0.5 * n)))
        let j = min(resolution - 1, max(0, Int((q + 1) * 0.5 * n)))
        return (face * resolution + i) * resolution + j
    }

    /// The candidate cones of cell `c`.
    @inline(__always)
    func candidateRange(_ c: Int) -> Range<Int> { offsets[c]..<offsets[c + 1] }

    /// The indices of the cones that hold direction `v` (either sign), by the exact test; every
    /// cone for the zero vector (the DC term belongs to every direction).
    public func cones(holding v: SIMD3<Double>) -> [Int] {
        let n2 = (v * v).sum()
        guard n2 > 0 else { return Array(directions.indices) }
        let limit = cosine * cosine * n2
        return candidateRange(cell(v)).map { Int(candidates[$0]) }.filter { j in
            let d = (v * directions[j]).sum()
            return d * d >= limit
        }
    }
}
