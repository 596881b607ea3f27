import Foundation
import Figures
import FourierEngine
import MapbookCore
import MapModel
import Notebook
import Postprocessing

/// `kind: postprocess` — what `relion_postprocess` does: masked FSC corrected by phase
/// randomisation, FSC weighting and B-factor sharpening (`Postprocess.run`).
public struct PostprocessCell: NotebookCell {
    /// The half maps.
    public var halfMaps = PlanReference("dataset", "half_maps")
    /// The mask; nil until resolved (then `dataset.mask` when the dataset has one, else auto).
    public var mask: MaskSetting?
    /// The algorithm's parameters (the point-group order comes from the dataset).
    public var parameters = PostprocessParameters()

    /// The cell with every default.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case halfMaps = "half_maps", mask
    }

    /// The name written as `kind:` in plans.
    public static let kind = "postprocess"
    /// The algorithm's peak, for the memory estimate.
    public var peakMapCopies: Double { Postprocess.peakMapCopies }
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "RELION-style post-processing: masked, phase-randomisation-corrected FSC, FSC weighting and B-factor sharpening."
    /// Masking, phase randomisation and sharpening: a few FSCs' worth in a batch.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 20)
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Post-processing"
    /// The keys of the inputs and report settings, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("half_maps", default: "dataset.half_maps", "the two half maps (a reference)"),
        CellOption("mask", default: "dataset.mask if the dataset has one, else auto", "none, auto (made from the half maps with the mask_* parameters) or a map reference", shownInStarterPlan: false),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = [
        CellOutputSpec("sharpened", .map, "the FSC-weighted, sharpened average map"),
        CellOutputSpec("sharpened_masked", .map, "the sharpened map times the mask"),
        CellOutputSpec("mask", .map, "the mask used"),
        CellOutputSpec("resolution", .number, "resolution at FSC 0.143 of the corrected curve, Å"),
        CellOutputSpec("resolution_half", .number, "resolution at FSC 0.5, Å"),
        CellOutputSpec("resolution_half_bit", .number, "resolution at the half-bit threshold, Å"),
        CellOutputSpec("resolution_unmasked", .number, "resolution at FSC 0.143 of the unmasked curve, Å"),
        CellOutputSpec("bfactor", .number, "the B-factor applied, Å² (negative sharpens)"),
        CellOutputSpec("mask_fraction", .number, "percentage of the box where the mask is above 0.5"),
    ]
    /// The index's resolution (over a plain FSC's), B, and, without a sharpening cell, the B choice.
    public static let indexColumns = [
        IndexColumn(.fscResolution, from: .output("resolution"), priority: 1),
        IndexColumn(.bfactor, from: .output("bfactor")),
        IndexColumn(.sharpening, from: .settings(of: PostprocessCell.self) { cell in
            switch cell.parameters.bfactor {
            case .automatic: return "global B (auto)"
            // A whole B as the plan has it (-80, not -80.0).
            case .fixed(let b): return "global B (fixed \(b.parameterText))"
            }
        }, priority: 0),
    ]

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
        if mask == nil { mask = dataset.mask != nil ? .map(PlanReference("dataset", "mask")) : .automatic }
    }

    /// The references the cell reads.
    public var inputs: [CellInput] {
        var i = [CellInput("half_maps", halfMaps, .halfMaps)]
        if let r = mask?.reference { i.append(CellInput("mask", r, .map)) }
        return i
    }

    /// What the post-processing cell keeps: the report and how the mask was chosen.
    public struct Result: Codable, Sendable {
        /// Every curve and number.
        public var report: PostprocessReport
        /// The mask in words, for captions.
        public var maskDescription: String
    }

    /// Runs the analysis.
    public func run(_ context: CellContext) throws -> CellProduct<Result> {
        let (h1, h2) = try context.halfMaps(halfMaps)
        let (choice, description) = try MaskResolution.choice(mask ?? .automatic, grid: h1.grid, context: context,
                                                              automatic: parameters.fsc.automaticMask)
        var p = parameters
        p.symmetryOrder = context.symmetryOrder
        let (name1, name2) = context.halfMapNames(halfMaps)
        let out = try Postprocess.run(half1: h1, half2: h2, mask: choice, parameters: p,
                                      names: PostprocessInputNames(half1: name1, half2: name2, mask: MaskResolution.name(mask, context: context)),
                                      progress: context.progress)
        let r = out.report
        var maps = ["sharpened": out.sharpened]
        if let m = out.sharpenedMasked { maps["sharpened_masked"] = m }
        if let m = out.mask { maps["mask"] = m }
        var numbers = ["resolution": FSCPresentation.quantity(r.resolution),
                       "resolution_half": FSCPresentation.quantity(r.resolutionHalf),
                       "resolution_half_bit": FSCPresentation.quantity(r.resolutionHalfBit),
                       "resolution_unmasked": FSCPresentation.quantity(r.resolutionUnmasked),
                       "bfactor": Quantity(r.appliedBFactor, unit: "Å²", digits: 1)]
        if let s = r.mask { numbers["mask_fraction"] = Quantity(100 * s.fractionAboveHalf, unit: "%", digits: 1) }
        return CellProduct(result: Result(report: r, maskDescription: MaskResolution.describe(description, summary: r.mask)),
                           numbers: numbers, maps: maps)
    }

    /// Figures, tables and at-a-glance numbers for the report.
    public func present(_ result: Result, _ context: PresentationContext) -> CellPresentation {
        let r = result.report
        var figures = [PresentedFigure(name: "fsc", title: "FSC curves",
                                       caption: FSCPresentation.caption(r.fscReport, maskDescription: result.maskDescription),
                                       figure: FSCPresentation.figure(r.fscReport, thresholds: [.fixed(0.143), .fixed(0.5), .halfBit], title: "Fourier shell correlation"))]
        var guinierCurves = [GuinierFigure.Curve(name: "average map", role: .original, frequencySquared: r.guinierOriginal.frequencySquared, logAmplitude: r.guinierOriginal.logAmplitude)]
        if r.fscWeights != nil {
            guinierCurves.append(.init(name: "FSC-weighted", role: .weighted, frequencySquared: r.guinierWeighted.frequencySquared, logAmplitude: r.guinierWeighted.logAmplitude))
        }
        let effect = BFactorWording.participle(r.appliedBFactor)
        guinierCurves.append(.init(name: effect, role: .sharpened, frequencySquared: r.guinierSharpened.frequencySquared, logAmplitude: r.guinierSharpened.logAmplitude))
        let fit = r.guinierFit.map { GuinierFigure.Fit(slope: $0.slope, intercept: $0.intercept, lowResolution: $0.lowResolution,
                                                       highResolution: $0.highResolution, correlation: $0.correlation, points: $0.points) }
        let guinier = GuinierFigure(title: "Guinier plot", curves: guinierCurves, fit: fit, appliedBFactor: r.appliedBFactor)
        let bText = Quantity(r.appliedBFactor, unit: "Å²", digits: 1).formatted
        let bDetail: String
        if let f = r.guinierFit {
            bDetail = String(format: "fitted on the FSC-weighted Guinier plot from %.1f to %.2f Å (%d points, r² = %.3f)", f.lowResolution, f.highResolution, f.points, f.correlation)
        } else {
            bDetail = "given"
        }
        figures.append(PresentedFigure(name: "guinier", title: "Guinier plot",
                                       caption: "ln(mean amplitude) per shell against 1/d² for the average of the half maps, after FSC weighting and after \(BFactorWording.gerund(r.appliedBFactor)) with B = \(bText) (\(bDetail)); the shaded band is the fit range and the \(GuinierFigure.fitStyle.patternName) line the fit. The applied factor is exp(−B s²/4): negative B sharpens, positive B blurs.",
                                       figure: guinier))
        var glance = FSCPresentation.glance(r.fscReport, cell: context.cellID)
        glance.append(GlanceRow("B-factor applied", "\(bText) (\(effect))", bDetail + " · \(context.cellID)", priority: GlanceRow.Priority.sharpening))
        if let s = r.mask {
            glance.append(GlanceRow("Mask", String(format: "%.1f %% of the box", 100 * s.fractionAboveHalf), result.maskDescription + " · \(context.cellID)", priority: GlanceRow.Priority.processing))
        }
        if let d = r.randomizationResolution {
            glance.append(GlanceRow("Phases randomised beyond", String(format: "%.2f Å", d), context.cellID, priority: GlanceRow.Priority.processing + 1))
        }
        if let l = r.lowPassResolution {
            glance.append(GlanceRow("Low-pass after sharpening", String(format: "%.2f Å", l), context.cellID, priority: GlanceRow.Priority.sharpening + 1))
        }
        glance.append(FSCPresentation.boxRow(r.grid, cell: context.cellID))
        var summaryRows = [["Final resolution (FSC 0.143)", r.resolution.summary],
                           ["B-factor", "\(bText), \(effect) (\(bDetail))"],
                           ["FSC weighting", r.fscWeights != nil ? "on" : "off"],
                           ["Mask", result.maskDescription]]
        if let l = r.lowPassResolution { summaryRows.append(["Low-pass", String(format: "%.2f Å", l)]) }
        let outputs = ["sharpened"] + (r.mask != nil ? ["sharpened_masked", "mask"] : [])
        return CellPresentation(
            summary: "Final resolution \(r.resolution.summary); \(effect) with B = \(bText). Maps: \(outputs.map { "\(context.cellID).\($0)" }.joined(separator: ", ")) (files in maps/).",
            figures: figures,
            tables: [ReportTable(title: "Post-processing", columns: [], rows: summaryRows), FSCPresentation.crossingTable(r.fscReport, thresholds: [.fixed(0.143), .fixed(0.5), .halfBit])],
            glance: glance,
            flags: FSCPresentation.flags(r.fscReport, cell: context.cellID),
            dataFiles: FSCPresentation.dataFiles(r.fscReport, title: r.fscMasked == nil ? "mapbook unmasked FSC" : "mapbook masked-corrected FSC", full: r),
            verdicts: [Verdict.summarising(VerdictRules.postprocess(r, section: context.title), section: context.title,
                                           passReason: "resolution \(r.resolution.summary); B = \(bText)")])
    }
}
