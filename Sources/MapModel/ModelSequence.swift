/// The sequence of an atomic model's polymer chains, as FASTA: what density modification and
/// automatic sharpening read when a dataset comes with a model but no sequence file (the
/// bundled example is one).
extension AtomicModel {
    /// One-letter codes of the 20 standard amino acids (others are written X).
    static let oneLetterCodes: [String: Character] = [
        "ALA": "A", "ARG": "R", "ASN": "N", "ASP": "D", "CYS": "C", "GLN": "Q", "GLU": "E", "GLY": "G", "HIS": "H", "ILE": "I",
        "LEU": "L", "LYS": "K", "MET": "M", "PHE": "F", "PRO": "P", "SER": "S", "THR": "T", "TRP": "W", "TYR": "Y", "VAL": "V",
    ]

    /// Each chain's residues in file order (one per chain, number and insertion code; hetero
    /// groups left out), as FASTA records headed `>chain <id>` with 60 letters per line.
    public func sequenceFASTA() -> String {
        var chains: [String] = []
        var residues: [String: [Character]] = [:]
        var seen = Set<String>()
        for atom in atoms where !atom.isHetero {
            let key = "\(atom.chainID)|\(atom.residueNumber)|\(atom.insertionCode)"
            guard seen.insert(key).inserted else { continue }
            if residues[atom.chainID] == nil { chains.append(atom.chainID) }
            residues[atom.chainID, default: []].append(Self.oneLetterCodes[atom.residueName] ?? "X")
        }
        var text = ""
        for chain in chains {
            let letters = residues[chain]!
            text += ">chain \(chain.isEmpty ? "_" : chain)\n"
            for start in stride(from: 0, to: letters.count, by: 60) {
                text += String(letters[start..<min(start + 60, letters.count)]) + "\n"
            }
        }
        return text
    }
}
