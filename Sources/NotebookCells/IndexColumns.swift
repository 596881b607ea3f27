import Notebook

/// The facility index's columns that cell kinds fill. Which kinds fill them, and from which
/// output, each kind says in its `indexColumns`.
extension IndexColumn.Column {
    /// The final FSC 0.143 resolution.
    public static let fscResolution = Self(key: "fscResolution", header: "FSC resolution", csvHeader: "fsc_resolution_A",
                                           unit: "Å", isNumeric: true, order: 10,
                                           mayBeLimit: true)
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
    /// The model's mean Q-score (Pintilie et al. 2020).
    public static let meanQ = Self(key: "meanQ", header: "Mean Q", csvHeader: "mean_q", unit: "", isNumeric: true, order: 60)
    /// The map–model correlation inside the model mask (Phenix's CC_mask).
    public static let ccMask = Self(key: "ccMask", header: "CC_mask", csvHeader: "cc_mask", unit: "", isNumeric: true, order: 70)
    /// The map–model FSC's 0.5 crossing (mtriage's d_FSC_model).
    public static let dFSCModel = Self(key: "dFSCModel", header: "d_FSC_model (0.5)", csvHeader: "d_fsc_model_A", unit: "Å", isNumeric: true, order: 80)
}

/// The report files the facility index draws on besides summary.json, named here (beside the
/// columns) so the facility names no kind or figure.
public enum IndexFigures {
    /// Figure names (the part of `figures/<cell>_<name>.png` after the cell id) a dataset's
    /// thumbnail is made from, in order of preference: slices of the map say most at a glance,
    /// the FSC curve otherwise. Within a name, the first cell in plan order.
    public static let thumbnailPreference = ["montage", "slices", "fsc"]

    /// The data file (`data/<cell>_<name>`) of the cell that fills the resolution column that
    /// holds its FSC curves, one shell a line, tab-separated with a header (`FSCTable`).
    public static let fscTable = "fsc.tsv"
    /// The FSC table's column of spatial frequency (Å⁻¹).
    public static let fscFrequencyColumn = "frequency_inv_A"
    /// The FSC table's column of the final (phase-randomisation-corrected) curve.
    public static let fscCorrectedColumn = "fsc_corrected"
}
