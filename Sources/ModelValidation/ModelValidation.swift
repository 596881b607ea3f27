import MapbookCore
import MapModel

/// Map–model validation as depositors, EMDB and Phenix report it: Q-score (Pintilie et al.
/// 2020, Nat. Methods 17:328), the CC family and the d-values of phenix.mtriage (Afonine et
/// al. 2018, Acta D74:814), and atom inclusion. Each measure lives in a file of its own; this
/// namespace holds what they share.
public enum ModelValidation {
    /// The atoms every measure scores: hydrogens (and deuterium) are left out, since cryo-EM
    /// maps do not resolve them and EMDB's Q-score and atom inclusion skip them too. Alternate
    /// conformers are all kept; a measure that averages weights each by its occupancy.
    public static func scoredAtoms(_ model: AtomicModel) -> [Atom] {
        model.atoms.filter { $0.element.atomicNumber != 1 }
    }

    /// The scored atoms grouped by residue, residues in chain order then residue order.
    public static func residues(_ atoms: [Atom]) -> [(id: ResidueID, atoms: [Int])] {
        var byResidue: [ResidueID: [Int]] = [:]
        for (i, a) in atoms.enumerated() { byResidue[a.residueID, default: []].append(i) }
        return byResidue.keys.sorted().map { ($0, byResidue[$0]!) }
    }
}

/// A residue's identity in a model: chain, number, insertion code and name.
public struct ResidueID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Chain identifier.
    public var chainID: String
    /// Residue number.
    public var number: Int
    /// Insertion code; empty when none.
    public var insertionCode: String
    /// Residue name ("ALA").
    public var name: String

    /// Chain, then number, then insertion code.
    public static func < (a: ResidueID, b: ResidueID) -> Bool {
        (a.chainID, a.number, a.insertionCode, a.name) < (b.chainID, b.number, b.insertionCode, b.name)
    }

    /// "A 42 ALA" (with the insertion code after the number when there is one).
    public var description: String { "\(chainID) \(number)\(insertionCode) \(name)" }
}

extension Atom {
    /// The residue the atom belongs to.
    public var residueID: ResidueID {
        ResidueID(chainID: chainID, number: residueNumber, insertionCode: insertionCode, name: residueName)
    }
}
