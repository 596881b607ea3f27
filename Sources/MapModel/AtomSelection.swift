import MapbookCore

/// A selection of an atomic model's chains and residues, as `mapbook box --selection` and the
/// `box` cell's `selection` key write it: items separated by commas, each a chain ID alone
/// ("A") or with a residue range ("A:10-50") or one residue ("B:7"). "A,B:1-20" selects all of
/// chain A and residues 1 to 20 of chain B. Residue numbers are the file's (PDB resSeq, mmCIF
/// auth_seq_id); negative numbers are written as "A:-5--1".
public struct AtomSelection: Equatable, Sendable, CustomStringConvertible {
    /// One item: a chain and, optionally, an inclusive residue range.
    public struct Item: Equatable, Sendable {
        /// Chain identifier.
        public var chainID: String
        /// Residues included; nil for the whole chain.
        public var residues: ClosedRange<Int>?
    }

    /// The items; an atom is selected when it matches any of them.
    public var items: [Item]

    /// Parses `text`; throws one line naming the faulty item.
    public init(_ text: String) throws {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else {
            throw MapbookError("the selection '\(text)' is empty; write chains and residue ranges such as A,B:10-50")
        }
        items = try parts.map(Self.item)
    }

    private static func item(_ text: String) throws -> Item {
        let pieces = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let chain = pieces[0]
        guard !chain.isEmpty, !chain.contains(where: { $0 == " " }) else {
            throw MapbookError("the selection item '\(text)' names no chain; write A, A:10-50 or A:7")
        }
        guard pieces.count == 2 else { return Item(chainID: chain, residues: nil) }
        guard let range = residueRange(pieces[1]) else {
            throw MapbookError("the selection item '\(text)' has no residue range after the colon; write A:10-50 or A:7")
        }
        return Item(chainID: chain, residues: range)
    }

    /// "7" → 7...7, "10-50" → 10...50, "-5--1" → -5...-1; nil when unreadable or reversed.
    private static func residueRange(_ text: String) -> ClosedRange<Int>? {
        if let single = Int(text) { return single...single }
        // The dash that separates the ends is the first one that follows a digit.
        let chars = Array(text)
        for i in 1..<max(1, chars.count) where chars[i] == "-" && chars[i - 1].isNumber {
            guard let lo = Int(String(chars[..<i])), let hi = Int(String(chars[(i + 1)...])), lo <= hi else { return nil }
            return lo...hi
        }
        return nil
    }

    /// Whether `atom` is selected.
    public func contains(_ atom: Atom) -> Bool {
        items.contains { $0.chainID == atom.chainID && ($0.residues?.contains(atom.residueNumber) ?? true) }
    }

    /// The selected atoms of `model`; throws naming the selection when none is.
    public func atoms(of model: AtomicModel) throws -> AtomicModel {
        let kept = model.atoms.filter(contains)
        guard !kept.isEmpty else {
            let chains = Array(Set(model.atoms.map(\.chainID))).sorted().joined(separator: ", ")
            throw MapbookError("the selection '\(self)' matches no atom of the model (its chains: \(chains))")
        }
        return AtomicModel(atoms: kept, modelCount: model.modelCount)
    }

    /// The selection as written.
    public var description: String {
        items.map { item in
            guard let r = item.residues else { return item.chainID }
            return r.lowerBound == r.upperBound ? "\(item.chainID):\(r.lowerBound)" : "\(item.chainID):\(r.lowerBound)-\(r.upperBound)"
        }.joined(separator: ",")
    }
}
