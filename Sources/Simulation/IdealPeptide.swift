import Foundation
import MapModel

/// Builds polypeptide chains from ideal internal coordinates: bond lengths and angles from
/// Engh & Huber (1991), backbone dihedrals φ, ψ, ω, and side-chain rotamers χ.
///
/// Atoms are placed one at a time from three already placed ones (the "natural extension
/// reference frame" construction): the new atom d sits at `bond` Å from c, at angle b–c–d =
/// `angle`, with dihedral a–b–c–d = `torsion` (IUPAC sign convention).
enum IdealPeptide {
    /// Position of d given a, b, c, |cd|, angle bcd and dihedral abcd (degrees).
    static func place(_ a: SIMD3<Double>, _ b: SIMD3<Double>, _ c: SIMD3<Double>,
                      bond: Double, angle: Double, torsion: Double) -> SIMD3<Double> {
        let bc = normalize(c - b)
        let n = normalize(cross(b - a, bc))
        let m = cross(n, bc)
        let theta = angle * .pi / 180, phi = torsion * .pi / 180
        let local = SIMD3(-bond * cos(theta), bond * sin(theta) * cos(phi), bond * sin(theta) * sin(phi))
        return c + bc * local.x + m * local.y + n * local.z
    }

    /// The dihedral a–b–c–d in degrees (−180 ... 180).
    static func dihedral(_ a: SIMD3<Double>, _ b: SIMD3<Double>, _ c: SIMD3<Double>, _ d: SIMD3<Double>) -> Double {
        let axis = normalize(c - b)
        // The bonds a–b and c–d projected onto the plane normal to b–c.
        let v = (a - b) - axis * ((a - b) * axis).sum()
        let w = (d - c) - axis * ((d - c) * axis).sum()
        return atan2((cross(axis, v) * w).sum(), (v * w).sum()) * 180 / .pi
    }

    /// One side-chain atom: its name, element, and the three atoms (by name) it is built from,
    /// with bond, angle and dihedral; a dihedral given as a rotamer index means χ of that index
    /// plus `offset`.
    struct SideChainAtom {
        var name: String
        var element: ChemicalElement
        var from: (String, String, String)
        var bond: Double
        var angle: Double
        var torsion: Torsion

        /// A fixed dihedral, or χₖ + offset.
        enum Torsion { case fixed(Double), chi(Int, offset: Double) }
    }

    /// Side chains of the residues the built-in model uses, after CB, with their rotamers (χ
    /// sets, most favoured in α-helices first; after Lovell et al. 2000, Proteins 40, 389).
    static let sideChains: [String: (atoms: [SideChainAtom], rotamers: [[Double]])] = {
        let C = ChemicalElement.carbon, O = ChemicalElement.oxygen, N = ChemicalElement.nitrogen, S = ChemicalElement.sulfur
        func atom(_ name: String, _ e: ChemicalElement, _ a: String, _ b: String, _ c: String, _ bond: Double, _ angle: Double, _ t: SideChainAtom.Torsion) -> SideChainAtom {
            SideChainAtom(name: name, element: e, from: (a, b, c), bond: bond, angle: angle, torsion: t)
        }
        return [
            "ALA": ([], [[]]),
            "SER": ([atom("OG", O, "N", "CA", "CB", 1.417, 111.1, .chi(0, offset: 0))], [[-65], [180], [62]]),
            "LEU": ([atom("CG", C, "N", "CA", "CB", 1.530, 116.3, .chi(0, offset: 0)),
                     atom("CD1", C, "CA", "CB", "CG", 1.524, 110.7, .chi(1, offset: 0)),
                     atom("CD2", C, "CA", "CB", "CG", 1.525, 110.4, .chi(1, offset: 122))],
                    [[-65, 175], [-177, 65], [-172, 145], [-85, 65]]),
            "GLU": ([atom("CG", C, "N", "CA", "CB", 1.520, 114.1, .chi(0, offset: 0)),
                     atom("CD", C, "CA", "CB", "CG", 1.516, 112.6, .chi(1, offset: 0)),
                     atom("OE1", O, "CB", "CG", "CD", 1.249, 118.4, .chi(2, offset: 0)),
                     atom("OE2", O, "CB", "CG", "CD", 1.249, 118.4, .chi(2, offset: 180))],
                    [[-65, 180, -10], [-65, -65, -40], [-177, 180, 0], [-65, 180, 60], [-177, 65, 10]]),
            "LYS": ([atom("CG", C, "N", "CA", "CB", 1.520, 114.1, .chi(0, offset: 0)),
                     atom("CD", C, "CA", "CB", "CG", 1.520, 111.3, .chi(1, offset: 0)),
                     atom("CE", C, "CB", "CG", "CD", 1.520, 111.3, .chi(2, offset: 0)),
                     atom("NZ", N, "CG", "CD", "CE", 1.489, 111.9, .chi(3, offset: 0))],
                    [[-65, 180, 180, 180], [-177, 180, 180, 180], [-62, -68, 180, 180], [-68, 180, -65, 180]]),
            "PHE": ([atom("CG", C, "N", "CA", "CB", 1.502, 113.8, .chi(0, offset: 0)),
                     atom("CD1", C, "CA", "CB", "CG", 1.384, 120.7, .chi(1, offset: 0)),
                     atom("CD2", C, "CA", "CB", "CG", 1.384, 120.7, .chi(1, offset: 180)),
                     atom("CE1", C, "CB", "CG", "CD1", 1.382, 120.7, .fixed(180)),
                     atom("CE2", C, "CB", "CG", "CD2", 1.382, 120.7, .fixed(180)),
                     atom("CZ", C, "CG", "CD1", "CE1", 1.382, 120.0, .fixed(0))],
                    [[-65, -85], [-177, 80], [-65, -30], [62, 90]]),
            "MET": ([atom("CG", C, "N", "CA", "CB", 1.520, 114.1, .chi(0, offset: 0)),
                     atom("SD", S, "CA", "CB", "CG", 1.807, 112.7, .chi(1, offset: 0)),
                     atom("CE", C, "CB", "CG", "SD", 1.789, 100.9, .chi(2, offset: 0))],
                    [[-65, -65, -70], [-68, 180, -75], [-177, 180, -75], [-68, 180, 65]]),
        ]
    }()

    /// An atom being built: name, element, position.
    struct Placed {
        var name: String
        var element: ChemicalElement
        var position: SIMD3<Double>
    }

    /// The backbone (N, CA, C, O) and CB of an ideal chain of `sequence` (three-letter names)
    /// with the same φ, ψ, ω at every residue, one array per residue. The first N sits at the
    /// origin.
    static func backbone(_ sequence: [String], phi: Double, psi: Double, omega: Double = 180) -> [[Placed]] {
        var residues: [[Placed]] = []
        // Seed frame: N at the origin, CA along x, C in the xy plane.
        var n = SIMD3<Double>(0, 0, 0)
        var ca = SIMD3<Double>(1.458, 0, 0)
        let angleNCAC = 111.2 * Double.pi / 180
        var c = ca + SIMD3(-cos(angleNCAC), sin(angleNCAC), 0) * 1.525
        for residue in sequence {
            let nextN = place(n, ca, c, bond: 1.329, angle: 116.2, torsion: psi)
            let o = place(nextN, ca, c, bond: 1.231, angle: 120.1, torsion: 180)
            var atoms = [Placed(name: "N", element: .nitrogen, position: n), Placed(name: "CA", element: .carbon, position: ca),
                         Placed(name: "C", element: .carbon, position: c), Placed(name: "O", element: .oxygen, position: o)]
            if residue != "GLY" {
                atoms.append(Placed(name: "CB", element: .carbon, position: place(c, n, ca, bond: 1.530, angle: 110.5, torsion: -122.7)))
            }
            residues.append(atoms)
            // The next residue's CA and C.
            let nextCA = place(ca, c, nextN, bond: 1.458, angle: 121.7, torsion: omega)
            let nextC = place(c, nextN, nextCA, bond: 1.525, angle: 111.2, torsion: phi)
            (n, ca, c) = (nextN, nextCA, nextC)
        }
        return residues
    }

    /// The side-chain atoms beyond CB of `residue` for each of its rotamers, in preference
    /// order, built on `backbone` (its N, CA, C, CB). Empty for GLY and ALA.
    static func sideChainRotamers(_ residue: String, on backbone: [Placed]) -> [[Placed]] {
        guard let template = sideChains[residue], !template.atoms.isEmpty else { return [] }
        return template.rotamers.map { chi in
            var named = Dictionary(uniqueKeysWithValues: backbone.map { ($0.name, $0.position) })
            return template.atoms.map { s in
                let torsion: Double
                switch s.torsion {
                case .fixed(let t): torsion = t
                case .chi(let k, let offset): torsion = chi[k] + offset
                }
                let p = place(named[s.from.0]!, named[s.from.1]!, named[s.from.2]!, bond: s.bond, angle: s.angle, torsion: torsion)
                named[s.name] = p
                return Placed(name: s.name, element: s.element, position: p)
            }
        }
    }
}

/// Atoms already placed, hashed into cubic cells, for clash checks while side chains are
/// chosen.
struct ContactGrid {
    /// One placed atom: where, which chain and residue, and whether it is a main-chain atom.
    struct Entry {
        var position: SIMD3<Double>
        var chain: Int
        var residue: Int
        var isMainChain: Bool
    }

    /// Closest allowed approach (Å) between atoms of different residues; between a side chain
    /// and the main chain of the next or previous residue of the same chain, a little less
    /// (they are only a few bonds apart).
    static let contact = (other: 3.0, neighbourMainChain: 2.8)

    private let cell = 4.0
    private var cells: [SIMD3<Int>: [Entry]] = [:]

    private func key(_ p: SIMD3<Double>) -> SIMD3<Int> {
        SIMD3(Int((p.x / cell).rounded(.down)), Int((p.y / cell).rounded(.down)), Int((p.z / cell).rounded(.down)))
    }

    /// Adds an atom.
    mutating func insert(_ e: Entry) { cells[key(e.position), default: []].append(e) }

    /// How far the closest of `positions` (side-chain atoms of `residue` in `chain`) stays
    /// outside the allowed contact distance of every placed atom of other residues (negative:
    /// a clash); capped at one cell.
    func clearance(_ positions: [SIMD3<Double>], chain: Int, residue: Int) -> Double {
        var worst = cell
        for p in positions {
            let k = key(p)
            for dz in -1...1 { for dy in -1...1 { for dx in -1...1 {
                for e in cells[k &+ SIMD3(dx, dy, dz)] ?? [] where !(e.chain == chain && e.residue == residue) {
                    let neighbour = e.chain == chain && abs(e.residue - residue) == 1 && e.isMainChain
                    let limit = neighbour ? Self.contact.neighbourMainChain : Self.contact.other
                    let d = p - e.position
                    worst = min(worst, (d * d).sum().squareRoot() - limit)
                }
            } } }
        }
        return worst
    }
}

@inline(__always) func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

@inline(__always) func normalize(_ v: SIMD3<Double>) -> SIMD3<Double> { v / (v * v).sum().squareRoot() }
