import Foundation
import MapbookCore
import MapModel

/// Parameters of the built-in model: a bundle of ideal α-helices.
public struct HelixBundleParameters: DeclaredParameters, Equatable {
    /// Number of helices (chains A, B, C, ...), placed around a circle.
    @Parameter("helices", .closed(1, 12), "built-in model: number of helices")
    public var helices: Int = 4
    /// Residues per helix (1.5 Å of rise each).
    @Parameter("helix_residues", .closed(4, 100), "built-in model: residues per helix (1.5 Å rise each)")
    public var residuesPerHelix: Int = 24
    /// Distance between the axes of neighbouring helices (Å); about 10 Å in real bundles. The
    /// helices are moved further apart, 0.25 Å at a time, while some side chain finds no
    /// rotamer that keeps 3 Å from every other atom.
    @Parameter("axis_spacing", .atLeast(6), unit: "Å", "built-in model: distance between neighbouring helix axes (widened while side chains clash)")
    public var axisSpacing: Double = 10
    /// B-factor of the best-ordered atoms (backbone in the core), Å².
    @Parameter("core_bfactor", .nonNegative, unit: "Å²", "built-in model: B-factor of the best-ordered atoms (core backbone)")
    public var coreBFactor: Double = 20
    /// Extra B-factor at the periphery and the chain ends, Å²: B rises linearly with distance
    /// from the bundle axis and along side chains, as in real structures.
    @Parameter("periphery_bfactor", .nonNegative, unit: "Å²", "built-in model: extra B-factor at the periphery, along side chains and at chain ends")
    public var peripheryBFactor: Double = 30

    /// Four helices of 24 residues.
    public init() {}
}

/// The built-in protein-like model: ideal α-helices (φ = −57°, ψ = −47°) in an antiparallel
/// bundle, with backbone N, CA, C, O and full side chains on a heptad pattern — leucine,
/// phenylalanine, methionine and alanine in the core (positions a and d), glutamate and lysine
/// on the surface (e, g), serine, alanine, glutamate and lysine elsewhere — so that tests and
/// demos need no outside file. Deterministic: it depends on the parameters only.
public enum HelixBundle {
    /// The model, centred on the origin (bounding-box centre), helix axes along z.
    ///
    /// The helices' backbones are placed first; then side chains are chosen residue by residue
    /// (all helices at each step), each taking its most favoured rotamer that clears every atom
    /// placed so far. If some side chain finds no such rotamer, the helices are moved apart by
    /// 0.25 Å and the side chains chosen again.
    public static func make(_ p: HelixBundleParameters = HelixBundleParameters()) throws -> AtomicModel {
        try p.validate()
        let residues = sequence(p.residuesPerHelix)
        let helix = straightened(IdealPeptide.backbone(residues, phi: -57, psi: -47))
        var spacing = p.axisSpacing
        var (atoms, clearance) = assemble(helix, residues, count: p.helices, spacing: spacing)
        while clearance < 0 && spacing < p.axisSpacing + 10 {
            spacing += 0.25
            (atoms, clearance) = assemble(helix, residues, count: p.helices, spacing: spacing)
        }
        var model = AtomicModel(atoms: atoms)
        assignBFactors(&model, p)
        return model.translated(by: -model.boxCentre)
    }

    /// `count` copies of the backbone `helix` around the bundle axis, neighbours `spacing` Å
    /// apart, alternately up and down, each turned so its core face points inwards, with side
    /// chains chosen to avoid clashes. Returns the atoms (chain by chain, residue by residue)
    /// and the worst side-chain clearance (negative when some side chain clashes).
    static func assemble(_ helix: [[IdealPeptide.Placed]], _ residues: [String], count: Int, spacing: Double) -> ([Atom], Double) {
        // Helix axes on a circle whose chord between neighbours is the spacing.
        let ringRadius = count == 1 ? 0 : spacing / (2 * sin(Double.pi / Double(count)))
        var chains: [[[IdealPeptide.Placed]]] = []
        var contacts = ContactGrid()
        for k in 0..<count {
            let angle = 2 * Double.pi * Double(k) / Double(count)
            let axis = SIMD3(ringRadius * cos(angle), ringRadius * sin(angle), 0)
            let up = k % 2 == 0
            // Turn the helix about its axis so its a/d face points at the bundle axis.
            let turn = count == 1 ? 0 : atan2(-axis.y, -axis.x) - coreDirection(helix, flipped: !up)
            let placed = helix.map { residue in
                residue.map { atom -> IdealPeptide.Placed in
                    var q = atom.position
                    if !up { q = SIMD3(q.x, -q.y, -q.z) } // antiparallel: 180° about x
                    q = SIMD3(q.x * cos(turn) - q.y * sin(turn), q.x * sin(turn) + q.y * cos(turn), q.z)
                    var out = atom
                    out.position = q + axis
                    return out
                }
            }
            for (i, residue) in placed.enumerated() {
                for a in residue { contacts.insert(.init(position: a.position, chain: k, residue: i, isMainChain: a.name != "CB")) }
            }
            chains.append(placed)
        }
        var worst = Double.infinity
        for i in residues.indices {
            for k in 0..<count {
                let candidates = IdealPeptide.sideChainRotamers(residues[i], on: chains[k][i])
                guard !candidates.isEmpty else { continue }
                var best: (clearance: Double, atoms: [IdealPeptide.Placed])? = nil
                for atoms in candidates {
                    let c = contacts.clearance(atoms.map(\.position), chain: k, residue: i)
                    if best == nil || c > best!.clearance { best = (c, atoms) }
                    if c >= 0 { break }
                }
                worst = min(worst, best!.clearance)
                for a in best!.atoms { contacts.insert(.init(position: a.position, chain: k, residue: i, isMainChain: false)) }
                chains[k][i] += best!.atoms
            }
        }
        let chainNames = Array("ABCDEFGHIJKL")
        var atoms: [Atom] = []
        for (k, chain) in chains.enumerated() {
            for (i, residue) in chain.enumerated() {
                for a in residue {
                    atoms.append(Atom(name: a.name, element: a.element, position: a.position, bFactor: 0,
                                      residueName: residues[i], residueNumber: i + 1, chainID: String(chainNames[k])))
                }
            }
        }
        return (atoms, worst)
    }

    /// The heptad sequence: a and d in the core, e and g charged, b, c, f on the surface.
    static func sequence(_ count: Int) -> [String] {
        let core = ["LEU", "LEU", "PHE", "LEU", "ALA", "LEU", "MET"]
        let surface = ["GLU", "LYS", "SER", "ALA", "GLU", "LYS"]
        return (0..<count).map { i in
            let heptad = i / 7
            switch i % 7 {
            case 0, 3: return core[(2 * heptad + (i % 7 == 3 ? 1 : 0)) % core.count]
            case 4: return "GLU"
            case 6: return "LYS"
            default: return surface[(i + heptad) % surface.count]
            }
        }
    }

    /// The helix rotated and moved so its axis is the z axis, centred at z = 0.
    ///
    /// The axis direction is the sum of cross products of successive CA "bisectors"
    /// (CA(i−1) + CA(i+1) − 2·CA(i), which point at the axis); its position is the mean of the
    /// CA positions projected onto the plane normal to it.
    static func straightened(_ residues: [[IdealPeptide.Placed]]) -> [[IdealPeptide.Placed]] {
        let ca = residues.map { r in r.first { $0.name == "CA" }!.position }
        var direction = SIMD3<Double>.zero
        if ca.count >= 4 {
            for i in 1..<(ca.count - 2) {
                let b1 = ca[i - 1] + ca[i + 1] - 2 * ca[i]
                let b2 = ca[i] + ca[i + 2] - 2 * ca[i + 1]
                direction += cross(b1, b2)
            }
        }
        if (direction * direction).sum() == 0 { direction = ca.last! - ca.first! }
        var z = normalize(direction)
        if ((ca.last! - ca.first!) * z).sum() < 0 { z = -z } // N to C runs up
        let x = normalize(abs(z.x) < 0.9 ? cross(SIMD3(1, 0, 0), z) : cross(SIMD3(0, 1, 0), z))
        let y = cross(z, x)
        func frame(_ p: SIMD3<Double>) -> SIMD3<Double> { SIMD3((p * x).sum(), (p * y).sum(), (p * z).sum()) }
        let projected = ca.map(frame)
        var centre = projected.reduce(SIMD3<Double>.zero, +) / Double(projected.count)
        let zs = projected.map(\.z)
        centre.z = (zs.min()! + zs.max()!) / 2
        return residues.map { r in r.map { a in
            var out = a
            out.position = frame(a.position) - centre
            return out
        } }
    }

    /// The azimuth (about z) of the mean CB direction of the core (a, d) residues.
    static func coreDirection(_ helix: [[IdealPeptide.Placed]], flipped: Bool) -> Double {
        var sum = SIMD2<Double>.zero
        for (i, residue) in helix.enumerated() where [0, 3].contains(i % 7) {
            guard let cb = residue.first(where: { $0.name == "CB" }) else { continue }
            let y = flipped ? -cb.position.y : cb.position.y
            let r = (cb.position.x * cb.position.x + y * y).squareRoot()
            if r > 0 { sum += SIMD2(cb.position.x / r, y / r) }
        }
        return atan2(sum.y, sum.x)
    }

    /// B rises from `coreBFactor` with distance from the bundle axis (innermost to outermost
    /// atom), with depth along the side chain, and over the last three residues at each end.
    static func assignBFactors(_ model: inout AtomicModel, _ p: HelixBundleParameters) {
        let centre = model.boxCentre
        let radial = model.atoms.map { a in
            let d = a.position - centre
            return (d.x * d.x + d.y * d.y).squareRoot()
        }
        let innermost = radial.min() ?? 0
        let span = max((radial.max() ?? 1) - innermost, 1)
        let depth: [String: Double] = ["N": 0, "CA": 0, "C": 0, "O": 0.1, "CB": 0.2]
        let lastResidue = p.residuesPerHelix
        for i in model.atoms.indices {
            let a = model.atoms[i]
            let fromEnd = min(a.residueNumber - 1, lastResidue - a.residueNumber)
            let end = fromEnd < 3 ? Double(3 - fromEnd) / 3 : 0
            let side = depth[a.name] ?? 0.5
            let b = p.coreBFactor + p.peripheryBFactor * (0.6 * (radial[i] - innermost) / span + 0.25 * side + 0.3 * end)
            model.atoms[i].bFactor = (b * 100).rounded() / 100
        }
    }
}
