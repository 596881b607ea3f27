import Foundation
import MapModel

/// The geometry a refinement must keep: distances between bonded atoms (pairs closer than a
/// cut-off in a reference model) and between atoms that share a bonded neighbour (the 1–3
/// distances that fix bond angles), each with its reference length.
///
/// Stored per atom (compressed rows: atom a's partners are `partner[start[a] ..< start[a + 1]]`),
/// so each pair appears twice, once from each end; a refinement can then compute every atom's
/// restraint forces on its own, in parallel, without write conflicts.
public struct ModelGeometry: Sendable, Equatable {
    /// Where each atom's partners start in `partner`; `atomCount + 1` entries.
    public var start: [Int]
    /// The partner atom of each entry.
    public var partner: [Int32]
    /// The reference distance (Å) of each entry.
    public var length: [Double]
    /// Whether the entry is a bond (true) or a 1–3 distance (false).
    public var isBond: [Bool]

    /// Atoms described.
    public var atomCount: Int { start.count - 1 }
    /// Bonds (each counted once).
    public var bondCount: Int { isBond.lazy.filter { $0 }.count / 2 }
    /// 1–3 distances (each counted once).
    public var angleCount: Int { isBond.lazy.filter { !$0 }.count / 2 }

    /// Bonds inferred from `model`: atom pairs closer than `bondCutoff` Å (atoms of different
    /// alternate conformations are never bonded), and every pair of atoms bonded to a common
    /// third atom. Reference lengths are the distances in `model`.
    ///
    /// The neighbour search uses cells of `bondCutoff` Å, so the cost is linear in the atoms.
    public static func inferred(from model: AtomicModel, bondCutoff: Double = 1.9) -> ModelGeometry {
        let atoms = model.atoms
        let n = atoms.count
        guard n > 0 else { return ModelGeometry(start: [0], partner: [], length: [], isBond: []) }
        let lower = model.bounds.min
        let cell = max(0.5, bondCutoff)
        func key(_ p: SIMD3<Double>) -> SIMD3<Int> {
            let q = (p - lower) / cell
            return SIMD3(Int(q.x.rounded(.down)), Int(q.y.rounded(.down)), Int(q.z.rounded(.down)))
        }
        var cells: [SIMD3<Int>: [Int]] = [:]
        for (i, a) in atoms.enumerated() { cells[key(a.position), default: []].append(i) }
        // Bonded neighbours of each atom, in increasing index order.
        var bonded = [[Int]](repeating: [], count: n)
        let cut2 = bondCutoff * bondCutoff
        for i in 0..<n {
            let k = key(atoms[i].position)
            for dz in -1...1 { for dy in -1...1 { for dx in -1...1 {
                guard let members = cells[k &+ SIMD3(dx, dy, dz)] else { continue }
                for j in members where j > i {
                    let altI = atoms[i].alternateLocation, altJ = atoms[j].alternateLocation
                    if !altI.isEmpty && !altJ.isEmpty && altI != altJ { continue }
                    let d = atoms[i].position - atoms[j].position
                    if (d * d).sum() < cut2 { bonded[i].append(j); bonded[j].append(i) }
                }
            } } }
        }
        for i in 0..<n { bonded[i].sort() }
        var start = [0]
        var partner: [Int32] = [], length: [Double] = [], isBond: [Bool] = []
        start.reserveCapacity(n + 1)
        for i in 0..<n {
            // Bonds first, then 1–3 partners through each bonded neighbour (deduplicated).
            var seen = Set<Int>(bonded[i])
            seen.insert(i)
            var entries: [(Int, Bool)] = bonded[i].map { ($0, true) }
            var second: [Int] = []
            for j in bonded[i] { for k in bonded[j] where !seen.contains(k) { seen.insert(k); second.append(k) } }
            entries += second.sorted().map { ($0, false) }
            for (j, bond) in entries {
                let d = atoms[i].position - atoms[j].position
                partner.append(Int32(j)); length.append((d * d).sum().squareRoot()); isBond.append(bond)
            }
            start.append(partner.count)
        }
        return ModelGeometry(start: start, partner: partner, length: length, isBond: isBond)
    }

    /// Root-mean-square deviation of the bond (or, with `bonds` false, the 1–3) distances of
    /// `positions` from their reference lengths, Å; and the largest deviation.
    public func deviation(_ positions: [SIMD3<Double>], bonds: Bool = true) -> (rms: Double, max: Double) {
        var sum = 0.0, count = 0.0, worst = 0.0
        for a in 0..<atomCount {
            for e in start[a]..<start[a + 1] where isBond[e] == bonds {
                let b = Int(partner[e])
                guard b > a else { continue }
                let d = positions[a] - positions[b]
                let delta = abs((d * d).sum().squareRoot() - length[e])
                sum += delta * delta; count += 1; worst = max(worst, delta)
            }
        }
        return (count > 0 ? (sum / count).squareRoot() : 0, worst)
    }
}
