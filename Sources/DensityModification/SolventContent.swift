import Foundation
import MapbookCore
import MapModel

/// What the box holds besides solvent, as a user gives it: a sequence (an input file) with its
/// copy number, or a molecular mass, or the solvent fraction itself. Exactly one of the three
/// is given; `fraction` turns it into the solvent fraction (`SolventFraction`).
public struct SolventContent: DeclaredParameters, Equatable {
    /// Copies of the sequence in the box.
    @Parameter("copies", .atLeast(1), "copies of the sequence in the box", source: "phenix.resolve_cryo_em solvent_content from seq_file")
    public var copies = 1
    /// Solvent fraction of the box, instead of a sequence.
    @Parameter("solvent_fraction", .open(0, 1), "solvent fraction of the box, instead of a sequence",
               source: "phenix.resolve_cryo_em solvent_content", defaultMeaning: "from the sequence", inStarterPlan: false)
    public var solventFraction: Double? = nil
    /// Molecular mass in the box, instead of a sequence.
    @Parameter("molecular_mass", .positive, unit: "Da", "molecular mass in the box, instead of a sequence",
               source: "phenix.resolve_cryo_em molecular_mass", defaultMeaning: "from the sequence", inStarterPlan: false)
    public var molecularMass: Double? = nil

    /// Nothing given but one copy.
    public init() {}

    /// Exactly one source of the solvent fraction: a sequence (given or not, as `sequenceGiven`
    /// says), `solvent_fraction` or `molecular_mass`.
    public func requireOneSource(sequenceGiven: Bool) throws {
        let count = [sequenceGiven, solventFraction != nil, molecularMass != nil].filter { $0 }.count
        if count == 0 {
            throw ParameterProblem(key: "solvent_fraction", value: nil, "is not given, nor a sequence or a molecular mass: give exactly one of them")
        }
        if count > 1 {
            let key = molecularMass != nil ? "molecular_mass" : "solvent_fraction"
            throw ParameterProblem(key: key, value: nil, "is one source of the solvent fraction too many: give exactly one of a sequence, a solvent fraction and a molecular mass")
        }
    }

    /// The solvent fraction of a box of `boxVolume` Å³: from `sequence` (read from
    /// `sequencePath`) when given, else from the molecular mass, else as given.
    public func fraction(sequence: SequenceComposition?, sequencePath: String?, boxVolume: Double) throws -> SolventFraction {
        try requireOneSource(sequenceGiven: sequence != nil)
        if let sequence { return try SolventFraction.fromSequence(sequence, copies: copies, boxVolume: boxVolume, path: sequencePath) }
        if let molecularMass { return try SolventFraction.fromMolecularMass(molecularMass, boxVolume: boxVolume) }
        return try SolventFraction.given(solventFraction!)
    }
}
