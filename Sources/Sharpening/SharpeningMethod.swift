import Foundation

/// The sharpening methods of phenix.map_sharpening / auto_sharpen. Every one changes only the
/// amplitudes of the Fourier coefficients, as a function of resolution, and keeps the phases.
public enum SharpeningMethod: String, Sendable, Codable, CaseIterable {
    /// One B-factor at every resolution.
    case bIso = "b_iso"
    /// A B-factor up to a resolution cut-off, and that B plus a blurring B beyond it, with a
    /// smooth switch between the two (phenix's default).
    case bIsoToDCut = "b_iso_to_d_cut"
    /// Whitened amplitudes times a scale whose logarithm is piecewise linear in s²: three
    /// parameters at d = √2·resolution, d = resolution and beyond.
    case resolutionDependent = "resolution_dependent"
    /// No search: bring the map's B to 5.9 × resolution² (Å²), as `b_iso_to_d_cut`.
    case targetBIso = "target_b_iso"
    /// Flattened amplitudes weighted by the half-map FSC (C_ref), from two half maps.
    case halfMap = "half_map"
    /// Amplitudes scaled shell by shell to those of a model map, weighted by the map–model FSC.
    case model = "model"

    /// Reads a name as written on the command line: `b_iso_to_d_cut` or `b-iso-to-d-cut`.
    public init?(name: String) {
        self.init(rawValue: name.lowercased().replacingOccurrences(of: "-", with: "_"))
    }

    /// Whether the method has parameters that a search chooses.
    public var isSearched: Bool {
        switch self {
        case .bIso, .bIsoToDCut, .resolutionDependent: return true
        case .targetBIso, .halfMap, .model: return false
        }
    }
}

/// What a sharpening trial is scored by.
public enum SharpeningScoreTarget: String, Sendable, Codable, CaseIterable {
    /// Surface area per enclosed voxel of the biggest regions above the contour, minus a
    /// penalty per region (Terwilliger et al. 2018): detail and connectivity. The default.
    case adjustedSurfaceArea = "adjusted-sa"
    /// Kurtosis of the map's values.
    case kurtosis = "kurtosis"
}
