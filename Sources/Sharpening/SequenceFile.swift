import Foundation
import MapbookCore

/// The chains of a sequence file (FASTA, or plain one-letter text), and the molecular mass
/// they add up to.
public struct SequenceComposition: Sendable, Equatable, Codable {
    /// One chain: its FASTA title and residues.
    public struct Chain: Sendable, Equatable, Codable {
        /// The `>` line without the `>` (empty for plain text).
        public var title: String
        /// One-letter residue codes, upper case, without gaps or stop marks.
        public var residues: String
        /// Whether the residues read as nucleotides (A, C, G, T, U, N only).
        public var isNucleicAcid: Bool
    }

    /// The chains in file order.
    public var chains: [Chain]

    /// Reads `path`. A fault names the file and the line.
    public static func read(path: String) throws -> SequenceComposition {
        let text = try InputFile.text(of: path, kind: "sequence file")
        return try parse(text, path: path)
    }

    /// Parses FASTA text (`>` title lines, then residues over any number of lines). Text with no
    /// `>` line is one chain. `*` and `-` are dropped; `;` starts a comment line.
    public static func parse(_ text: String, path: String? = nil) throws -> SequenceComposition {
        var chains: [Chain] = []
        var title: String? = nil
        var residues = ""
        func close() {
            if title != nil || !residues.isEmpty {
                let nucleic = !residues.isEmpty && residues.allSatisfy { "ACGTUN".contains($0) }
                chains.append(Chain(title: title ?? "", residues: residues, isNucleicAcid: nucleic))
            }
            residues = ""
        }
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix(";") { continue }
            if line.hasPrefix(">") {
                close()
                title = String(line.dropFirst()).trimmingCharacters(in: .whitespaces)
                continue
            }
            for c in line.uppercased() where !c.isWhitespace && c != "*" && c != "-" {
                guard c.isASCII && c.isLetter else {
                    throw MapbookError("line \(number + 1): \"\(c)\" is not a one-letter residue code", path: path)
                }
                residues.append(c)
            }
        }
        close()
        guard chains.contains(where: { !$0.residues.isEmpty }) else {
            throw MapbookError("no residues found (expected FASTA: a >title line, then one-letter codes)", path: path)
        }
        return SequenceComposition(chains: chains)
    }

    /// Number of residues in all chains.
    public var residueCount: Int { chains.reduce(0) { $0 + $1.residues.count } }

    /// Mass in Da: average residue masses plus one water per chain.
    public var molecularMass: Double {
        chains.reduce(0) { total, chain in
            let residues = chain.residues.reduce(0.0) { $0 + Self.residueMass($1, nucleic: chain.isNucleicAcid) }
            return total + residues + (chain.residues.isEmpty ? 0 : 18.015)
        }
    }

    /// The expected volume (Å³) of the molecule: protein at 1.23 Å³/Da (the partial specific
    /// volume phenix uses, 1.35 g/cm³), nucleic acid at 0.98 Å³/Da (1.7 g/cm³).
    public var molecularVolume: Double {
        chains.reduce(0) { total, chain in
            let mass = chain.residues.reduce(0.0) { $0 + Self.residueMass($1, nucleic: chain.isNucleicAcid) }
                + (chain.residues.isEmpty ? 0 : 18.015)
            return total + mass * (chain.isNucleicAcid ? MolecularVolume.nucleicAcidVolumePerDalton : MolecularVolume.proteinVolumePerDalton)
        }
    }

    /// Average mass (Da) of a residue in a chain (the residue, less the water of the bond).
    /// Unknown letters count as an average amino acid (110 Da) or nucleotide (320 Da).
    static func residueMass(_ c: Character, nucleic: Bool) -> Double {
        if nucleic {
            switch c {
            case "A": return 313.2
            case "C": return 289.2
            case "G": return 329.2
            case "T": return 304.2
            case "U": return 290.2
            default: return 320.0
            }
        }
        switch c {
        case "A": return 71.08
        case "R": return 156.19
        case "N": return 114.10
        case "D": return 115.09
        case "C": return 103.14
        case "E": return 129.12
        case "Q": return 128.13
        case "G": return 57.05
        case "H": return 137.14
        case "I", "L": return 113.16
        case "K": return 128.17
        case "M": return 131.19
        case "F": return 147.18
        case "P": return 97.12
        case "S": return 87.08
        case "T": return 101.10
        case "W": return 186.21
        case "Y": return 163.18
        case "V": return 99.13
        case "U": return 150.04
        case "O": return 237.30
        default: return 110.0
        }
    }
}
