import DensityModification
import Figures
import Foundation
import FourierEngine
import MapbookCore
import MapModel
import Notebook

/// `kind: density_modify` — density modification of the two unmasked half maps
/// (`DensityModification.run`), shown as the half-map FSC before and after, the estimated
/// map-to-truth correlation (FSC_ref) before and after, and central slices of the original
/// average against the modified map.
public struct DensityModifyCell: NotebookCell {
    /// The half maps.
    public var halfMaps = PlanReference("dataset", "half_maps")
    /// The sequence file; nil until resolved (then `dataset.sequence` when the dataset has one).
    public var sequence: PlanReference?
    /// A map limiting where the molecule may be.
    public var mask: PlanReference?
    /// An atomic model: an ensemble refined against each half joins that half's combination.
    public var model: PlanReference?
    /// The algorithm's parameters; a symmetry the plan does not give is the dataset's, or C1
    /// (`resolveDefaults`).
    public var parameters = DensityModificationParameters()

    /// The cell with every default.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case halfMaps = "half_maps", sequence, mask, model
    }

    /// The name written as `kind:` in plans.
    public static let kind = "density_modify"
    /// The algorithm's peak, for the memory estimate.
    public var peakMapCopies: Double { DensityModification.peakMapCopies(withModel: model != nil) }
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Density modification of the unmasked half maps (resolve_cryo_em style): solvent flattening per half, optimal per-shell combination, FSC_ref before and after."
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Density modification"
    /// 2: the FSC_ref prediction corrects shell by shell, the mask edge is 4 voxels; symmetry.
    /// 3: a model is used through ensembles refined against each half.
    /// 5: the unfiltered halves are flattened, weights are chosen for the average, the
    /// combined halves hold the truth at its own amplitude, the final map is weighted by the
    /// predicted FSC_ref.
    /// 6: the final map weighted for the expected correlation with the true map (FSC_ref² and the
    /// signal envelope divided out to the target B) instead of C_ref and a fitted B.
    public static let revision = 6
    /// The keys of the inputs and report settings, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("half_maps", default: "dataset.half_maps", "the two unfiltered, unmasked half maps (a reference)"),
        CellOption("sequence", default: "dataset.sequence", "the sequence file (FASTA) for the solvent fraction (a reference)", shownInStarterPlan: false),
        CellOption("mask", default: "none", "a map reference: the molecule may lie only where it is ≥ 0.5", shownInStarterPlan: false),
        CellOption("model", default: "none", "an atomic model reference (dataset.model): an ensemble of it, refined against each half map on its own, joins that half's combination", shownInStarterPlan: false),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = [
        CellOutputSpec("map", .map, "the density-modified, FSC_ref-weighted, sharpened map"),
        CellOutputSpec("half_map_1", .map, "density-modified half map 1"),
        CellOutputSpec("half_map_2", .map, "density-modified half map 2"),
        CellOutputSpec("resolution_before", .number, "half-map FSC 0.143 resolution before, Å"),
        CellOutputSpec("resolution_after", .number, "half-map FSC 0.143 resolution after, Å"),
        CellOutputSpec("fsc_ref_before", .number, "resolution where the estimated map-to-truth correlation crosses 0.5, before, Å"),
        CellOutputSpec("fsc_ref_after", .number, "the same after density modification, Å"),
        CellOutputSpec("gain", .number, "estimated gain at FSC_ref 0.5, Å"),
    ]
    /// The index's DM gain.
    public static let indexColumns = [IndexColumn(.densityModificationGain, from: .output("gain"))]

    /// Decodes the inputs and, from JSON written by `encode`, the parameters; missing keys
    /// take the defaults above (a plan's parameters are set by the parser from their text).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        halfMaps = try c.decodeIfPresent(PlanReference.self, forKey: .halfMaps) ?? halfMaps
        sequence = try c.decodeIfPresent(PlanReference.self, forKey: .sequence)
        mask = try c.decodeIfPresent(PlanReference.self, forKey: .mask)
        model = try c.decodeIfPresent(PlanReference.self, forKey: .model)
        parameters = try Parameters(planKeyedFrom: decoder)
    }

    /// The inputs and every parameter, by plan key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(halfMaps, forKey: .halfMaps)
        try c.encodeIfPresent(sequence, forKey: .sequence)
        try c.encodeIfPresent(mask, forKey: .mask)
        try c.encodeIfPresent(model, forKey: .model)
        try parameters.encodeParameters(to: encoder)
    }

    /// Takes the sequence from the dataset when none is given and no other source of the
    /// solvent fraction is set.
    public mutating func resolveDefaults(for dataset: PlanDataset) {
        if sequence == nil && parameters.solvent.solventFraction == nil && parameters.solvent.molecularMass == nil && dataset.sequence != nil {
            sequence = PlanReference("dataset", "sequence")
        }
        if parameters.symmetry == nil { parameters.symmetry = dataset.symmetry ?? "C1" }
    }

    /// The references the cell reads.
    public var inputs: [CellInput] {
        var i = [CellInput("half_maps", halfMaps, .halfMaps)]
        if let s = sequence { i.append(CellInput("sequence", s, .file)) }
        if let m = mask { i.append(CellInput("mask", m, .map)) }
        if let m = model { i.append(CellInput("model", m, .file)) }
        return i
    }

    /// Range checks the types cannot express.
    public func validate() throws {
        try parameters.solvent.requireOneSource(sequenceGiven: sequence != nil)
    }

    /// What the cell keeps for the report.
    public struct Result: Codable, Sendable {
        /// Every number and curve.
        public var report: DensityModificationReport
        /// Central slices of the original average and the modified map, each standardised.
        public var montageRows: [SliceMontageFigure.Row]
    }

    /// Runs the analysis.
    public func run(_ context: CellContext) throws -> CellProduct<Result> {
        let (h1, h2) = try context.halfMaps(halfMaps)
        let box = DensityModification.boxVolume(h1.grid)
        var path: String? = nil
        if let s = sequence {
            guard let p = context.path(s) else { throw MapbookError("the sequence reference \(s) names no file") }
            path = p
        }
        let solvent = try parameters.solvent.fraction(sequence: try path.map { try SequenceComposition.read(path: $0) }, sequencePath: path, boxVolume: box)
        var maskVolume: Volume? = nil
        if let r = mask {
            maskVolume = try MaskInput.checked(try context.map(r), path: context.path(r) ?? r.description, on: h1.grid)
        }
        var modelInput: DensityModification.ModelInput? = nil
        if let r = model {
            guard let path = context.path(r) else { throw MapbookError("the model reference \(r) names no file") }
            modelInput = .atomic(try DensityModification.model(path: path))
        }
        let out = try DensityModification.run(half1: h1, half2: h2, solvent: solvent, mask: maskVolume, model: modelInput,
                                              names: context.halfMapNames(halfMaps), parameters: parameters, progress: context.progress)
        let r = out.report
        let average = HalfMapPair.average(h1, h2)
        let result = Result(report: r, montageRows: SliceMontageFigure.rows([("average of the half maps", average), ("density-modified", out.map)]))
        func q(_ e: ResolutionEstimate) -> Quantity { Quantity(e.interpolatedResolution, unit: "Å") }
        let numbers = ["resolution_before": q(r.resolutionBefore), "resolution_after": q(r.resolutionAfter),
                       "fsc_ref_before": q(r.fscRefHalfBefore), "fsc_ref_after": q(r.fscRefHalfAfter),
                       "gain": Quantity(r.fscRefHalfGain, unit: "Å")]
        return CellProduct(result: result, numbers: numbers, maps: ["map": out.map, "half_map_1": out.half1, "half_map_2": out.half2])
    }

    static func crossing(_ curve: FSCCurve, _ t: Double, _ name: String, _ role: FSCFigure.Role) -> [FSCFigure.Crossing] {
        // A curve without a resolution (undefined at shell 1) has no crossing to mark.
        guard let e = try? curve.resolution(at: .fixed(t)), e.status == .crossed else { return [] }
        return [.init(frequency: 1 / e.interpolatedResolution, value: t, label: String(format: "%.2f Å (%@)", e.interpolatedResolution, name), role: role)]
    }

    /// The independent-equivalent half-map FSC of `fscRef` (`DensityModification.independentEquivalentFSC`).
    static func independentEquivalentFSC(_ fscRef: [Double]) -> [Double] { DensityModification.independentEquivalentFSC(fscRef) }

    /// Half-map FSC before and after, like with like: the original halves' measured FSC and,
    /// after, the independent-equivalent FSC from the estimated FSC_ref. Their 0.143 crossings
    /// are FSC_ref's 0.5 crossings, so the figure shows the gain the FSC_ref numbers give.
    /// The modified halves' measured FSC is drawn thin and grey for context, without a
    /// crossing: modification puts shared errors into both halves, so it overstates.
    static func fscFigure(before: FSCCurve, measuredAfter: FSCCurve, fscRefAfter: [Double], maxFrequency: Double) -> FSCFigure {
        let equivalent = before.with(values: independentEquivalentFSC(fscRefAfter))
        return FSCFigure(title: "Half-map FSC before and after density modification (same footing)",
                         curves: [.init(name: "original halves (measured)", role: .unmasked, frequency: before.frequency, fsc: before.fsc),
                                  .init(name: "modified, independent-equivalent (from FSC_ref)", role: .corrected, frequency: equivalent.frequency, fsc: equivalent.fsc),
                                  .init(name: "modified halves, measured (overstates: shared errors)", role: .context,
                                        frequency: measuredAfter.frequency, fsc: measuredAfter.fsc)],
                         thresholds: [.init(constant: 0.143, name: "0.143")],
                         crossings: crossing(before, 0.143, "before", .unmasked) + crossing(equivalent, 0.143, "after", .corrected),
                         maxFrequency: maxFrequency)
    }

    static func fscRefFigure(_ r: DensityModificationReport) -> FSCFigure {
        let before = r.fscBefore.with(values: r.fscRefBefore), after = r.fscBefore.with(values: r.fscRefAfter)
        return FSCFigure(title: "Estimated map-to-truth correlation (FSC_ref)",
                         curves: [.init(name: "original map", role: .unmasked, frequency: before.frequency, fsc: before.fsc),
                                  .init(name: "density-modified map", role: .corrected, frequency: after.frequency, fsc: after.fsc)],
                         thresholds: [.init(constant: 0.5, name: "0.5")],
                         crossings: crossing(before, 0.5, "before", .unmasked) + crossing(after, 0.5, "after", .corrected),
                         maxFrequency: 1 / (2 * r.grid.voxelSize.max()))
    }

    /// Figures, tables and at-a-glance numbers for the report.
    public func present(_ result: Result, _ context: PresentationContext) -> CellPresentation {
        let r = result.report
        let gain = String(format: "%.2f Å", r.fscRefHalfGain)
        let refText = String(format: "%.2f → %.2f Å", r.fscRefHalfBefore.interpolatedResolution, r.fscRefHalfAfter.interpolatedResolution)
        let fscText = String(format: "%.2f → %.2f Å", r.resolutionBefore.interpolatedResolution, r.resolutionAfter.interpolatedResolution)
        let glance = [GlanceRow("Density modification, FSC_ref 0.5", refText, "estimated gain \(gain) · \(context.cellID)", priority: GlanceRow.Priority.resolution + 5)]
        let rows = [["Solvent fraction", String(format: "%.3f (%@)", r.solventFraction.value, r.solventFraction.source)],
                    ["Resolution used", String(format: "%.2f Å%@", r.resolution, r.resolutionFromFSC ? " (half-map FSC 0.143)" : " (given)")],
                    ["Cycles", "\(r.cycles.count) of \(r.parameters.cycles)"],
                    ["Inside the molecule", r.parameters.molecule == .none ? "unchanged (solvent flattening only)" : "local expectation (Gaussian-mixture prior)"],
                    ["Point-group averaging", r.symmetry.map { String(format: "%@%@ (order %d; copies correlate %.2f)", $0.group, $0.detected ? ", found" : "", $0.order, $0.meanCorrelation) } ?? "none (C1)"],
                    ["Half-map FSC 0.143, measured (after: overstated, the modified halves share errors)", fscText],
                    ["FSC_ref 0.5 (estimated map-to-truth)", refText],
                    ["Final map B-factor", String(format: "%.1f Å²", r.appliedBFactor)]]
            + r.modelEnsembles.map { e in
                ["Model ensemble, half map \(e.halfMap)",
                 String(format: "%d members refined against this half only; CC with the half %.3f (supplied model %.3f); spread %.2f Å",
                        e.members.count, e.ensembleCorrelation, e.suppliedCorrelation, e.spread)]
            }
        return CellPresentation(
            summary: "Density modification moved the estimated map-to-truth 0.5 crossing \(refText) (gain \(gain)); the modified halves' own FSC 0.143 reads \(fscText), which overstates the gain (they share errors). Maps: \(context.cellID).map, \(context.cellID).half_map_1, \(context.cellID).half_map_2.",
            figures: [
                PresentedFigure(name: "fsc", title: "FSC before and after",
                                caption: "Half-map FSC before and after on the same footing. Before (\(OkabeIto.describe(FSCFigure.style(for: .unmasked)))): the FSC of the original half maps. After (\(OkabeIto.describe(FSCFigure.style(for: .corrected)))): the FSC two independent halves would have with the estimated map-to-truth correlation of the modified map, FSC = FSC_ref²/(2 − FSC_ref²), so its 0.143 crossing is FSC_ref's 0.5 crossing and the gain is the one FSC_ref gives. The \(OkabeIto.describe(FSCFigure.style(for: .context))) curve is the measured FSC of the modified halves (each modified on its own): it also counts what modification puts into both halves alike without being true, so it overstates the gain and is not read at 0.143.",
                                figure: Self.fscFigure(before: r.fscBefore, measuredAfter: r.fscAfter, fscRefAfter: r.fscRefAfter,
                                                       maxFrequency: 1 / (2 * r.grid.voxelSize.max()))),
                PresentedFigure(name: "fsc_ref", title: "Estimated map-to-truth correlation",
                                caption: "FSC_ref per shell: before, sqrt(2 FSC/(1 + FSC)) of the original halves; after, predicted from the per-shell error model (correlations of original and modified maps within and across halves).",
                                figure: Self.fscRefFigure(r)),
                PresentedFigure(name: "montage", title: "Original against density-modified",
                                caption: "Central slices of the average of the original half maps (top) and of the final density-modified, weighted and \(BFactorWording.participle(r.appliedBFactor)) map (bottom); each map divided by its own standard deviation after subtracting its mean.",
                                // The pixels are in the maps: the data file names the rows, not 1.5 MB of slices.
                                figure: SliceMontageFigure(title: "Original against density-modified", rows: result.montageRows, standardized: true),
                                data: ["rows": result.montageRows.map(\.label)]),
            ],
            tables: [ReportTable(title: "Density modification", columns: [], rows: rows)],
            glance: glance,
            flags: r.warnings,
            verdicts: [Verdict.summarising(VerdictRules.densityModification(r, section: context.title), section: context.title,
                                           passReason: "FSC_ref 0.5 \(refText) (gain \(gain))")])
    }
}
