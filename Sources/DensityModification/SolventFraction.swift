import Foundation
import MapbookCore
import MapModel

/// The fraction of the box that is solvent, and where the number came from.
///
/// Volumes follow cctbx's convention (`segment_and_split_map`): a protein residue is 110 Da and
/// a nucleotide 330 Da; protein occupies 1.23 Å³/Da and nucleic acid 1.15 Å³/Da.
public struct SolventFraction: Sendable, Equatable, Codable {
    /// Solvent fraction of the box, 0 ... 1.
    public var value: Double
    /// How it was obtained, in words ("sequence: 566 protein residues × 1 copy", ...).
    public var source: String
    /// Whether the raw estimate fell outside the allowed range and was clamped (a sign of a wrong
    /// sequence, copy number or mass).
    public var clamped: Bool

    /// A fraction with its provenance.
    public init(value: Double, source: String, clamped: Bool = false) {
        self.value = value; self.source = source; self.clamped = clamped
    }

    /// Daltons per protein residue.
    public static let daltonsPerResidue = 110.0
    /// Daltons per nucleotide.
    public static let daltonsPerNucleotide = 330.0
    /// Protein volume per dalton, Å³.
    public static let proteinVolumePerDalton = 1.23
    /// Nucleic-acid volume per dalton, Å³.
    public static let nucleicVolumePerDalton = 1.15

    /// From a sequence (read by `SequenceComposition`, the one sequence reader): the molecular
    /// volume of every chain times `copies`, against the box volume; clamped to [0.001, 0.999].
    /// A chain made only of A, C, G, T, U and N counts as nucleic acid.
    public static func fromSequence(_ sequence: SequenceComposition, copies: Int = 1, boxVolume: Double, path: String? = nil) throws -> SolventFraction {
        guard copies >= 1 else { throw MapbookError("copies must be at least 1, got \(copies)", path: path) }
        var protein = 0, nucleic = 0
        for c in sequence.chains {
            if c.isNucleicAcid { nucleic += c.residues.count } else { protein += c.residues.count }
        }
        let chains = sequence.chains.filter { !$0.residues.isEmpty }.count
        let volume = Double(copies) * (Double(protein) * daltonsPerResidue * proteinVolumePerDalton
                                       + Double(nucleic) * daltonsPerNucleotide * nucleicVolumePerDalton)
        let raw = 1 - volume / boxVolume
        let v = min(0.999, max(0.001, raw))
        var what = "sequence: \(protein) protein residue\(protein == 1 ? "" : "s")"
        if nucleic > 0 { what += " and \(nucleic) nucleotide\(nucleic == 1 ? "" : "s")" }
        what += " in \(chains) chain\(chains == 1 ? "" : "s") × \(copies), \(Int(volume.rounded())) Å³"
        return SolventFraction(value: v, source: what, clamped: v != raw)
    }

    /// From FASTA text: `fromSequence` of the text as `SequenceComposition` parses it.
    public static func fromSequence(_ text: String, copies: Int = 1, boxVolume: Double, path: String? = nil) throws -> SolventFraction {
        try fromSequence(try SequenceComposition.parse(text, path: path), copies: copies, boxVolume: boxVolume, path: path)
    }

    /// From a molecular mass in Da: 1 − 1.23 Å³/Da × mass / box volume, clamped to [0.01, 0.999].
    public static func fromMolecularMass(_ daltons: Double, boxVolume: Double) throws -> SolventFraction {
        guard daltons > 0, daltons.isFinite else { throw ParameterProblem(key: "molecular_mass", value: daltons.parameterText, "must be a positive mass in Da") }
        let raw = 1 - proteinVolumePerDalton * daltons / boxVolume
        let v = min(0.999, max(0.01, raw))
        return SolventFraction(value: v, source: String(format: "molecular mass %.1f kDa", daltons / 1000), clamped: v != raw)
    }

    /// A fraction given directly.
    public static func given(_ f: Double) throws -> SolventFraction {
        guard f > 0, f < 1 else { throw ParameterProblem(key: "solvent_fraction", value: f.parameterText, "must lie strictly between 0 and 1") }
        return SolventFraction(value: f, source: "given")
    }
}
