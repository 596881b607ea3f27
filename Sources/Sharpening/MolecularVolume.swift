import Foundation
import MapModel
import MapbookCore

/// The expected volume of the molecule in a map, and where that number came from. The clarity
/// score's contour encloses a fraction of it.
public struct MolecularVolume: Sendable, Equatable, Codable {
    /// Where the volume came from.
    public enum Source: String, Sendable, Codable {
        /// A sequence file: residue masses at protein (or nucleic-acid) density.
        case sequence
        /// A given molecular mass at protein density.
        case molecularMass = "molecular-mass"
        /// The map itself: the volume inside its low-resolution envelope (`MoleculeEnvelope`);
        /// a generous estimate, used only when neither a sequence, a mass nor half maps are given.
        case map
        /// The half maps: the volume where their shared signal's local variance is high
        /// (`MoleculeEnvelope.signalVolume`); used when neither a sequence nor a mass is given.
        case halfMaps = "half-maps"
    }

    /// Protein volume per dalton (Å³/Da): 1/(1.35 g/cm³ · N_A), the value phenix uses.
    public static let proteinVolumePerDalton = SequenceComposition.proteinVolumePerDalton
    /// Nucleic-acid volume per dalton (Å³/Da): 1/(1.7 g/cm³ · N_A).
    public static let nucleicAcidVolumePerDalton = SequenceComposition.nucleicAcidVolumePerDalton

    /// Where the number came from.
    public var source: Source
    /// The molecule's volume in Å³.
    public var volume: Double
    /// The mass (Da) it was computed from, when known.
    public var mass: Double?

    /// A volume from its parts.
    public init(source: Source, volume: Double, mass: Double? = nil) {
        self.source = source
        self.volume = volume
        self.mass = mass
    }

    /// The volume of a protein of `mass` Da.
    public static func fromMass(_ mass: Double) throws -> MolecularVolume {
        guard mass > 0, mass.isFinite else { throw ParameterProblem(key: "molecular_mass", value: mass.parameterText, "must be a positive mass in Da") }
        return MolecularVolume(source: .molecularMass, volume: mass * proteinVolumePerDalton, mass: mass)
    }

    /// The volume of the chains in `sequence`.
    public static func fromSequence(_ sequence: SequenceComposition) -> MolecularVolume {
        MolecularVolume(source: .sequence, volume: sequence.molecularVolume, mass: sequence.molecularMass)
    }

    /// The solvent fraction of a box of `boxVolume` Å³ that holds this much molecule, clamped
    /// to [0.01, 1] as phenix clamps it.
    public func solventFraction(boxVolume: Double, moleculeVolume: Double? = nil) -> Double {
        min(1, max(0.01, 1 - (moleculeVolume ?? volume) / boxVolume))
    }
}
