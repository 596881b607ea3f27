import Foundation
import MapbookCore

/// The chains of a sequence file (FASTA), and the molecular mass they add up to: the one
/// sequence reader of every command and cell.
///
/// A file that is not FASTA is refused with the reason: not text, an atomic model (PDB or
/// mmCIF) given in its place, residues before any `>` title line, or characters that are not
/// one-letter residue codes.
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
        try InputFile.requireRegular(path, what: "sequence file")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MapbookError("cannot read the sequence file (missing or no permission)", path: path)
        }
        guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
            throw MapbookError("is not a text file; a sequence must be FASTA text", path: path)
        }
        return try parse(text, path: path)
    }

    /// The first words of atomic-model files, which are sometimes given as the sequence.
    static let modelRecords = ["HEADER", "ATOM", "HETATM", "CRYST1", "REMARK", "MODEL", "COMPND", "TITLE", "EXPDTA", "DATA_", "LOOP_", "_ATOM_SITE"]

    /// Parses FASTA text (`>` title lines, then residues over any number of lines). `*` and `-`
    /// are dropped; `;` and `#` start comment lines.
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
            if line.isEmpty || line.hasPrefix(";") || line.hasPrefix("#") { continue }
            if title == nil && !line.hasPrefix(">") {
                let word = line.prefix { !$0.isWhitespace }.uppercased()
                if modelRecords.contains(where: { word.hasPrefix($0) }) {
                    throw MapbookError("line \(number + 1): this is an atomic model (PDB or mmCIF), not a sequence; a sequence file is FASTA", path: path)
                }
                throw MapbookError("line \(number + 1): not FASTA: residues must follow a '>' title line (for example '>A')", path: path)
            }
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

    /// Average mass (Da) of a residue in a chain (the residue, less the water of the bond).
    /// Unknown letters count as an average amino acid (110 Da) or nucleotide (320 Da).
    public static func residueMass(_ c: Character, nucleic: Bool) -> Double {
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
