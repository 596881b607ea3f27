import Foundation
import MapModel
import ModelMaps

/// The expected power spectrum of an ideal protein map: Wilson statistics for atoms of the
/// average residue's composition, Σ nₑ fₑ(s)², with fₑ the electron scattering factors
/// (International Tables C 4.3.2.2). Beyond about 5 Å a protein's spherically averaged power
/// follows Wilson statistics; the sharpening uses only its shape, never its scale.
public enum ProteinScattering {
    /// Atoms of the average residue without hydrogens (C 4.94, N 1.36, O 1.48, S 0.04; the
    /// composition used by cctbx and CCP4 for protein of unknown sequence).
    public static let averageResidue: [(ChemicalElement, Double)] = [(.carbon, 4.94), (.nitrogen, 1.36), (.oxygen, 1.48), (.sulfur, 0.04)]

    /// Σ nₑ fₑ² at spatial frequency `q` = 1/d (Å⁻¹): the power of point atoms whose only
    /// blur is their own scattering factor (B = 0).
    public static func power(atFrequency q: Double) -> Double {
        let s = q / 2   // the table's s = sin θ / λ = 1/(2d)
        return averageResidue.reduce(0) { sum, atom in
            let f = ElectronScattering.formFactor(atom.0).value(atS: s)
            return sum + atom.1 * f * f
        }
    }
}
