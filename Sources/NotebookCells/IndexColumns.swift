import Notebook

/// The facility index's columns that cell kinds fill. Which kinds fill them, and from which
/// output, each kind says in its `indexColumns`.
extension IndexColumn.Column {
    /// The final FSC 0.143 resolution.
    public static let fscResolution = Self(key: "fscResolution", header: "FSC resolution", csvHeader: "fsc_resolution_A",
                                           unit: "Å", isNumeric: true, order: 10)
    /// The B-factor applied in post-processing.
    public static let bfactor = Self(key: "bfactor", header: "B (Å²)", csvHeader: "bfactor_A2", unit: "Å²", isNumeric: true, order: 20)
    /// The median local resolution.
    public static let localResolutionMedian = Self(key: "localResolutionMedian", header: "Local resolution (median)",
                                                   csvHeader: "local_resolution_median_A", unit: "Å", isNumeric: true, order: 30)
    /// How the map was sharpened, in words.
    public static let sharpening = Self(key: "sharpening", header: "Sharpening", csvHeader: "sharpening", unit: "", isNumeric: false, order: 40)
    /// The resolution density modification gained (FSC_ref 0.5).
    public static let densityModificationGain = Self(key: "densityModificationGain", header: "DM gain", csvHeader: "dm_gain",
                                                     unit: "Å", isNumeric: true, order: 50)
}
