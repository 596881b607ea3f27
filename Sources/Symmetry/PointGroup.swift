import Foundation
import MapbookCore

/// A point group of proper rotations, in the orientation RELION (and so most cryo-EM maps)
/// uses, with all of its operators.
///
/// Orientations follow RELION's symmetry library (inherited from Xmipp), which follows Heymann,
/// Chagoyen & Belnap (2005) except for T:
///
/// | symbol | order | orientation in the map's x, y, z frame |
/// |---|---|---|
/// | Cn | n | n-fold axis along z |
/// | Dn | 2n | n-fold along z, a 2-fold along x |
/// | T | 12 | a 3-fold along z, a 2-fold along (0, √(2/3), √(1/3)) (RELION's choice; Heymann et al. put 2-folds on x, y, z) |
/// | O | 24 | 4-folds along x, y, z, a 3-fold along (1, 1, 1) |
/// | I1 | 60 | 2-folds along x, y, z; the front-most 5-folds in the yz plane ("no-Crowther 222", Heymann et al.'s standard) |
/// | I2 | 60 | 2-folds along x, y, z; the front-most 5-folds in the xz plane ("Crowther 222") |
/// | I3 | 60 | a 5-fold along z, a neighbouring 2-fold in the −x half of the xz plane ("52 setting") |
/// | I4 | 60 | a 5-fold along z, a neighbouring 2-fold in the +x half of the xz plane (the other 52 setting) |
/// | I | 60 | the same operators as I2: RELION reads a plain "I" as I2 |
///
/// Each group is generated from RELION's generating axes (Cn and Dn directly, T, O and I by
/// closing the generators under multiplication), so the operator set is the one
/// `relion_refine --sym X --print_symmetry_ops` lists, possibly in another order. The order of
/// the operators carries no meaning beyond the identity coming first.
public struct PointGroup: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The family of a point group, with what distinguishes its members.
    public enum Family: Equatable, Hashable, Sendable {
        /// Cn: n rotations about z.
        case cyclic(Int)
        /// Dn: Cn about z and n 2-folds perpendicular to it, one along x.
        case dihedral(Int)
        /// T, the rotations of a tetrahedron (RELION's orientation).
        case tetrahedral
        /// O, the rotations of a cube.
        case octahedral
        /// I, the rotations of an icosahedron, in RELION's setting 1 ... 4 (I1–I4).
        case icosahedral(setting: Int)
    }

    /// The symbol, in capitals: "C1", "C7", "D5", "T", "O", "I" or "I1" ... "I4" (as parsed:
    /// "I" stays "I" though its operators are those of I2).
    public let symbol: String
    /// Which group this is.
    public let family: Family
    /// The rotations, identity first, as matrices acting on (x, y, z) column vectors in Å.
    public let operators: [RotationMatrix]

    /// The number of operators (the number of copies of the asymmetric unit).
    public var order: Int { operators.count }

    /// Largest n accepted in Cn and Dn: beyond it the operators are closer than any map can
    /// resolve, and the limit keeps a mistyped symbol from allocating millions of matrices.
    public static let maximumAxisOrder = 999

    /// What `init(_:)` accepts, as its error message says it.
    static let accepted = "use C<n> (1 ≤ n ≤ \(maximumAxisOrder)), D<n> (2 ≤ n ≤ \(maximumAxisOrder)), T, O, I (= I2) or I1–I4"

    /// The group named by `symbol`, case-insensitive, surrounding spaces ignored: C<n>, D<n>,
    /// T, O, I, I1, I2, I3, I4. Anything else throws a one-line `MapbookError` saying what is
    /// accepted.
    public init(_ symbol: String) throws {
        let text = symbol.trimmingCharacters(in: .whitespaces).uppercased()
        let unknown = MapbookError("unknown point group '\(symbol)': \(Self.accepted)")
        guard let letter = text.first else { throw unknown }
        let rest = text.dropFirst()
        // Digits only: Int("+3") would accept a sign, which no program writes in a symbol.
        let number: Int? = !rest.isEmpty && rest.count <= 3 && rest.allSatisfy({ $0.isASCII && $0.isNumber }) ? Int(rest) : nil
        switch (letter, rest.isEmpty) {
        case ("C", false):
            guard let n = number, n >= 1 else { throw unknown }
            self = .cyclic(n)
        case ("D", false):
            guard let n = number, n >= 2 else { throw unknown }
            self = .dihedral(n)
        case ("T", true):
            self = .tetrahedral
        case ("O", true):
            self = .octahedral
        case ("I", true):
            self = PointGroup(symbol: "I", family: .icosahedral(setting: 2), operators: Self.icosahedralOperators(setting: 2))
        case ("I", false):
            guard let n = number, (1...4).contains(n), rest.count == 1 else { throw unknown }
            self = .icosahedral(setting: n)
        default:
            throw unknown
        }
    }

    private init(symbol: String, family: Family, operators: [RotationMatrix]) {
        self.symbol = symbol
        self.family = family
        self.operators = operators
    }

    /// C1: the identity alone (no symmetry).
    public static let c1 = PointGroup(symbol: "C1", family: .cyclic(1), operators: [.identity])

    /// Cn about z: rotations by 360°·k/n, k = 0 ..< n. `n` must be 1 ... `maximumAxisOrder`.
    public static func cyclic(_ n: Int) -> PointGroup {
        precondition((1...maximumAxisOrder).contains(n), "C\(n): n must be 1 ... \(maximumAxisOrder)")
        return PointGroup(symbol: "C\(n)", family: .cyclic(n), operators: cyclicOperators(n))
    }

    /// Dn: Cn about z, then each of those after the 2-fold about x (which gives the n 2-folds
    /// perpendicular to z). `n` must be 2 ... `maximumAxisOrder`.
    public static func dihedral(_ n: Int) -> PointGroup {
        precondition((2...maximumAxisOrder).contains(n), "D\(n): n must be 2 ... \(maximumAxisOrder)")
        let rotations = cyclicOperators(n)
        let flip = RotationMatrix(rows: SIMD3(1, 0, 0), SIMD3(0, -1, 0), SIMD3(0, 0, -1))
        return PointGroup(symbol: "D\(n)", family: .dihedral(n), operators: rotations + rotations.map { cleaned($0 * flip) })
    }

    /// T in RELION's orientation (a 3-fold along z).
    public static let tetrahedral: PointGroup = {
        let ops = closure(generators: [
            RotationMatrix(axis: SIMD3(0, 0, 1), angle: 2 * .pi / 3),
            RotationMatrix(axis: SIMD3(0, (2.0 / 3).squareRoot(), (1.0 / 3).squareRoot()), angle: .pi),
        ])
        precondition(ops.count == 12, "T generated \(ops.count) operators")
        return PointGroup(symbol: "T", family: .tetrahedral, operators: ops)
    }()

    /// O: 4-folds along x, y, z.
    public static let octahedral: PointGroup = {
        let ops = closure(generators: [
            RotationMatrix(axis: SIMD3(1, 1, 1), angle: 2 * .pi / 3),
            RotationMatrix(axis: SIMD3(0, 0, 1), angle: .pi / 2),
        ])
        precondition(ops.count == 24, "O generated \(ops.count) operators")
        return PointGroup(symbol: "O", family: .octahedral, operators: ops)
    }()

    /// I in RELION's setting `setting` (1 ... 4), named "I1" ... "I4".
    public static func icosahedral(setting: Int) -> PointGroup {
        PointGroup(symbol: "I\(setting)", family: .icosahedral(setting: setting), operators: icosahedralOperators(setting: setting))
    }

    /// "C7", "D5", "I2"...: the symbol.
    public var description: String { symbol }

    // MARK: - Generation

    /// The golden ratio, from which every icosahedral axis follows exactly.
    private static let phi = (1 + 5.0.squareRoot()) / 2

    private static func cyclicOperators(_ n: Int) -> [RotationMatrix] {
        (0..<n).map { k in k == 0 ? .identity : cleaned(RotationMatrix(axis: SIMD3(0, 0, 1), angle: 2 * .pi * Double(k) / Double(n))) }
    }

    /// Generators of RELION's four icosahedral settings: RELION's 2-fold and 5-fold axes (it
    /// lists a 3-fold too, which these two already generate). Where RELION writes decimals,
    /// these are the exact values they round (in terms of φ), so the closure lands on 60
    /// operators without near-duplicates; RELION's I3 and I4 3-fold axes agree with them only
    /// to ~1e-8, which is why they are not used.
    private static func icosahedralGenerators(setting: Int) -> [RotationMatrix] {
        // A 5-fold next to a 2-fold lies 31.7° from it: (1, 0, φ)/|·| from z.
        let s = 1 / (1 + phi * phi).squareRoot()    // 0.5257
        let c = phi / (1 + phi * phi).squareRoot()  // 0.8507
        let axes: (two: SIMD3<Double>, five: SIMD3<Double>)
        switch setting {
        case 1: axes = (SIMD3(1, 0, 0), SIMD3(c, 0, -s))
        case 2: axes = (SIMD3(0, 0, 1), SIMD3(s, 0, c))
        case 3: axes = (SIMD3(-s, 0, c), SIMD3(0, 0, 1))
        default: axes = (SIMD3(s, 0, c), SIMD3(2 / 5.0.squareRoot(), 0, 1 / 5.0.squareRoot()))
        }
        return [RotationMatrix(axis: axes.two, angle: .pi), RotationMatrix(axis: axes.five, angle: 2 * .pi / 5)]
    }

    private static let icosahedralSettings: [[RotationMatrix]] = (1...4).map { setting in
        let ops = closure(generators: icosahedralGenerators(setting: setting))
        precondition(ops.count == 60, "I\(setting) generated \(ops.count) operators")
        return ops
    }

    private static func icosahedralOperators(setting: Int) -> [RotationMatrix] {
        precondition((1...4).contains(setting), "icosahedral setting must be 1 ... 4")
        return icosahedralSettings[setting - 1]
    }

    /// Every product of the generators, identity first, breadth first. Two products within
    /// 1e-6 count as one: the generators are accurate to ~1e-12, far inside that, and distinct
    /// operators of these groups differ by more than 0.1.
    private static func closure(generators: [RotationMatrix]) -> [RotationMatrix] {
        var ops: [RotationMatrix] = [.identity]
        var next = 0
        while next < ops.count {
            let g = ops[next]
            next += 1
            for h in generators {
                let p = cleaned(h * g)
                if !ops.contains(where: { $0.isClose(to: p) }) { ops.append(p) }
            }
            precondition(ops.count <= 60, "generators do not close into a finite point group")
        }
        return ops
    }

    /// The matrix with rounding noise (|x| < 1e-12) set to 0 and ±1 snapped, so axis-aligned
    /// operators are exact and map grid points onto grid points without interpolation error.
    private static func cleaned(_ m: RotationMatrix) -> RotationMatrix {
        func f(_ x: Double) -> Double {
            if abs(x) < 1e-12 { return 0 }
            if abs(abs(x) - 1) < 1e-12 { return x < 0 ? -1 : 1 }
            return x
        }
        func r(_ v: SIMD3<Double>) -> SIMD3<Double> { SIMD3(f(v.x), f(v.y), f(v.z)) }
        return RotationMatrix(rows: r(m.row0), r(m.row1), r(m.row2))
    }
}
