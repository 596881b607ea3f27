import Foundation
import Figures
import FourierEngine
import MapbookCore
import MapModel
import Notebook
import Postprocessing

/// `kind: fsc` — the half-map Fourier shell correlation, optionally masked and corrected by
/// phase randomisation, read at 0.143, 0.5 and half-bit. Nothing is sharpened.
public struct FSCCell: NotebookCell {
    /// The FSC's parameters and the thresholds the report reads.
    public struct Parameters: DeclaredParameters, Equatable {
        /// The corrected FSC's parameters (the point-group order comes from the dataset).
        public var fsc = HalfMapFSCParameters()
        /// Thresholds to draw and report (0.143 always).
        @Parameter("thresholds", .open(0, 1), "FSC thresholds to draw and report: numbers and half_bit; 0.143 is always included",
                   source: "Rosenthal & Henderson 2003 (0.143); van Heel & Schatz 2005 (half-bit)")
        public var thresholds: [ThresholdSetting] = [.fixed(0.143), .fixed(0.5), .halfBit]
        /// The directional FSC (on by default: two more transforms and one pass).
        public var directional = DirectionalFSCParameters()
        /// The defaults.
        public init() {}
    }

    /// The half maps.
    public var halfMaps = PlanReference("dataset", "half_maps")
    /// The mask; nil until resolved (then `dataset.mask` when the dataset has one, else none).
    public var mask: MaskSetting?
    /// The parameters.
    public var parameters = Parameters()

    /// The cell with every default.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case halfMaps = "half_maps", mask
    }

    /// The name written as `kind:` in plans.
    public static let kind = "fsc"
    /// The algorithm's peak, for the memory estimate.
    public var peakMapCopies: Double { Postprocess.fscPeakMapCopies }
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Half-map FSC (masked and phase-randomisation corrected when a mask is given) at 0.143, 0.5 and half-bit."
    /// A few transforms: cheap in a batch.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 5)
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Fourier shell correlation"
    /// The keys of the inputs and report settings, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("half_maps", default: "dataset.half_maps", "the two half maps (a reference)"),
        CellOption("mask", default: "dataset.mask if the dataset has one, else none", "none, auto (made from the half maps with the mask_* parameters) or a map reference", shownInStarterPlan: false),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = [
        CellOutputSpec("resolution", .number, "resolution at FSC 0.143 of the final curve, Å"),
        CellOutputSpec("resolution_half", .number, "resolution at FSC 0.5, Å"),
        CellOutputSpec("resolution_half_bit", .number, "resolution at the half-bit threshold, Å"),
        CellOutputSpec("resolution_unmasked", .number, "resolution at FSC 0.143 of the unmasked curve, Å"),
        CellOutputSpec("mask", .map, "the mask used (when there is one)"),
        CellOutputSpec("directional_min", .number, "best directional resolution at FSC 0.143, Å (with directional)"),
        CellOutputSpec("directional_max", .number, "worst directional resolution at FSC 0.143, Å (with directional)"),
        CellOutputSpec("directional_mean", .number, "mean directional resolution at FSC 0.143, Å (with directional)"),
        CellOutputSpec("directional_sd", .number, "standard deviation of the directional resolutions, Å (with directional)"),
        CellOutputSpec("sphericity", .number, "sphericity of the directional FSC-0.5 surface, 1 = isotropic (with directional)"),
    ]
    /// The index's FSC resolution when the plan has no post-processing.
    public static let indexColumns = [IndexColumn(.fscResolution, from: .output("resolution"), priority: 0)]

    /// Decodes the inputs and, from JSON written by `encode`, the parameters; missing keys
    /// take the defaults above (a plan's parameters are set by the parser from their text).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        halfMaps = try c.decodeIfPresent(PlanReference.self, forKey: .halfMaps) ?? halfMaps
        mask = try c.decodeIfPresent(MaskSetting.self, forKey: .mask)
        parameters = try Parameters(planKeyedFrom: decoder)
    }

    /// The inputs and every parameter, by plan key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(halfMaps, forKey: .halfMaps)
        try c.encodeIfPresent(mask, forKey: .mask)
        try parameters.encodeParameters(to: encoder)
    }

    /// Fills in the mask default from the dataset.
    public mutating func resolveDefaults(for dataset: PlanDataset) {
        if mask == nil { mask = dataset.mask != nil ? .map(PlanReference("dataset", "mask")) : MaskSetting.none }
    }

    /// The references the cell reads.
    public var inputs: [CellInput] {
        var i = [CellInput("half_maps", halfMaps, .halfMaps)]
        if let r = mask?.reference { i.append(CellInput("mask", r, .map)) }
        return i
    }

    /// What the FSC cell keeps: the report and how the mask was chosen.
    public struct Result: Codable, Sendable {
        /// Every curve and number.
        public var report: HalfMapFSCReport
        /// The mask in words, for captions.
        public var maskDescription: String
        /// The directional FSC of the same (masked) half maps, when asked for.
        public var directional: DirectionalFSCReport?
    }

    /// Runs the analysis.
    public func run(_ context: CellContext) throws -> CellProduct<Result> {
        let (h1, h2) = try context.halfMaps(halfMaps)
        let (choice, description) = try MaskResolution.choice(mask ?? .none, grid: h1.grid, context: context,
                                                              automatic: parameters.fsc.automaticMask)
        var p = parameters.fsc
        p.symmetryOrder = context.symmetryOrder
        let (name1, name2) = context.halfMapNames(halfMaps)
        // The FSC phase alone: nothing is weighted or sharpened.
        let out = try Postprocess.fsc(half1: h1, half2: h2, mask: choice, parameters: p,
                                      names: PostprocessInputNames(half1: name1, half2: name2, mask: MaskResolution.name(mask, context: context)),
                                      progress: context.progress)
        let r = out.report
        var maps: [String: Volume] = [:]
        if let m = out.mask { maps["mask"] = m }
        var numbers = ["resolution": FSCPresentation.quantity(r.resolution),
                       "resolution_half": FSCPresentation.quantity(r.resolutionHalf),
                       "resolution_half_bit": FSCPresentation.quantity(r.resolutionHalfBit),
                       "resolution_unmasked": FSCPresentation.quantity(r.resolutionUnmasked)]
        var directional: DirectionalFSCReport? = nil
        if parameters.directional.enabled {
            // The half maps again (the global FSC consumed them), masked as the global FSC was.
            let (d1, d2) = try context.halfMaps(halfMaps)
            directional = try Postprocess.directionalFSC(half1: d1, half2: d2, mask: out.mask, parameters: parameters.directional,
                                                         names: PostprocessInputNames(half1: name1, half2: name2, mask: MaskResolution.name(mask, context: context)),
                                                         progress: context.progress)
            numbers.merge(DirectionalFSCPresentation.numbers(directional!)) { $1 }
        }
        return CellProduct(result: Result(report: r, maskDescription: MaskResolution.describe(description, summary: r.mask), directional: directional),
                           numbers: numbers, maps: maps)
    }

    /// Figures, tables and at-a-glance numbers for the report.
    public func present(_ result: Result, _ context: PresentationContext) -> CellPresentation {
        let r = result.report
        let figure = FSCPresentation.figure(r, thresholds: parameters.thresholds, title: "Fourier shell correlation")
        let d = result.directional
        return CellPresentation(
            summary: "Final resolution \(r.resolution.summary). Box \(FSCPresentation.box(r.grid)); mask: \(result.maskDescription)."
                + (d.map { String(format: " Directional resolution %.2f–%.2f Å, sphericity %.3f.", $0.spread.minimum, $0.spread.maximum, $0.sphericity) } ?? ""),
            figures: [PresentedFigure(name: "fsc", title: "FSC curves", caption: FSCPresentation.caption(r, maskDescription: result.maskDescription), figure: figure)]
                + (d.map(DirectionalFSCPresentation.figures) ?? []),
            tables: [FSCPresentation.crossingTable(r, thresholds: parameters.thresholds)] + (d.map { [DirectionalFSCPresentation.table($0)] } ?? []),
            glance: FSCPresentation.glance(r, cell: context.cellID) + [FSCPresentation.boxRow(r.grid, cell: context.cellID)]
                + (d.map { DirectionalFSCPresentation.glance($0, cell: context.cellID) } ?? []),
            flags: FSCPresentation.flags(r, cell: context.cellID),
            dataFiles: FSCPresentation.dataFiles(r, title: r.fscMasked == nil ? "mapbook unmasked FSC" : "mapbook masked-corrected FSC"),
            verdicts: [Verdict.summarising(VerdictRules.fsc(r, section: context.title) + VerdictRules.directional(d, section: context.title), section: context.title,
                                           passReason: "resolution \(r.resolution.summary)")])
    }
}
