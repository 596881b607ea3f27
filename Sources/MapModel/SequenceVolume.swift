import Foundation

extension SequenceComposition {
    /// Protein volume per dalton (Å³/Da): 1/(1.35 g/cm³ · N_A), the partial specific volume
    /// cctbx/phenix use (`segment_and_split_map`: `1 − MW·1.23 Å³/Da / V_box`, as the specs
    /// fsc-and-sharpening.md §3.3 and localres-deblur-densmod.md cite from the cctbx source).
    public static let proteinVolumePerDalton = 1.23
    /// Nucleic-acid volume per dalton (Å³/Da): 1/(1.7 g/cm³ · N_A).
    public static let nucleicAcidVolumePerDalton = 0.98

    /// The expected volume (Å³) of the molecule: protein at 1.23 Å³/Da, nucleic acid at
    /// 0.98 Å³/Da, each chain's residue masses plus one water.
    public var molecularVolume: Double {
        chains.reduce(0) { total, chain in
            let mass = chain.residues.reduce(0.0) { $0 + Self.residueMass($1, nucleic: chain.isNucleicAcid) }
                + (chain.residues.isEmpty ? 0 : 18.015)
            return total + mass * (chain.isNucleicAcid ? Self.nucleicAcidVolumePerDalton : Self.proteinVolumePerDalton)
        }
    }
}
