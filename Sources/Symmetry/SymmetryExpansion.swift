import MapModel

extension AtomicModel {
    /// The model with every operator of `group` applied about `centre` (Å): the asymmetric unit
    /// expanded into the full assembly, copy by copy (the identity copy first, unchanged), each
    /// atom at R(p − centre) + centre.
    ///
    /// Chain IDs are made unique per copy, so every copy stays a chain of its own for model
    /// maps, masks and writers: the identity copy keeps its IDs; the others get new ones (see
    /// `SymmetryExpansion.chainIDs`). Everything else about an atom is kept.
    public func symmetryExpanded(by group: PointGroup, about centre: SIMD3<Double>) -> AtomicModel {
        var seen = Set<String>()
        let original = atoms.map(\.chainID).filter { seen.insert($0).inserted }
        let names = SymmetryExpansion.chainIDs(original, copies: group.order)
        var out: [Atom] = []
        out.reserveCapacity(atoms.count * group.order)
        for (k, r) in group.operators.enumerated() {
            let rename = Dictionary(uniqueKeysWithValues: zip(original, names[k]))
            for var atom in atoms {
                atom.position = r * (atom.position - centre) + centre
                atom.chainID = rename[atom.chainID]!
                out.append(atom)
            }
        }
        return AtomicModel(atoms: out, modelCount: modelCount)
    }
}

/// How the copies of a symmetry-expanded model are named.
public enum SymmetryExpansion {
    /// One-character chain IDs in the order they are handed out: what a PDB file's single
    /// chain column can hold.
    public static let singleCharacterIDs = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789").map(String.init)

    /// Chain IDs for `copies` copies of chains `original` (distinct), one list per copy, all
    /// distinct. Copy 0 keeps `original`.
    ///
    /// When the original IDs are single characters and all copies fit in the 62 letters and
    /// digits, the new copies take the unused ones in order (A–Z, a–z, 0–9), so the result still
    /// fits a PDB file. Otherwise copy k (k ≥ 1) appends k + 1 to each ID ("A" → "A2", "A3"...;
    /// mmCIF holds these, PDB columns do not), with "_" and a counter added in the rare case
    /// that collides with an existing ID.
    public static func chainIDs(_ original: [String], copies: Int) -> [[String]] {
        precondition(copies >= 1, "at least one copy")
        var result = [original]
        if copies == 1 { return result }
        var used = Set(original)
        let single = original.allSatisfy { $0.count == 1 } && original.count * copies <= singleCharacterIDs.count
        var pool = singleCharacterIDs.filter { !used.contains($0) }.makeIterator()
        for k in 1..<copies {
            var names: [String] = []
            for id in original {
                var name: String
                if single, let next = pool.next() {
                    name = next
                } else {
                    name = "\(id)\(k + 1)"
                    var extra = 0
                    while used.contains(name) { extra += 1; name = "\(id)\(k + 1)_\(extra)" }
                }
                used.insert(name)
                names.append(name)
            }
            result.append(names)
        }
        return result
    }
}
