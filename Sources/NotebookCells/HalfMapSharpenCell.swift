import Foundation
import Figures
import FourierEngine
import HalfMapSharpening
import MapbookCore
import MapModel
import Notebook
import Postprocessing

/// `kind: halfmap_sharpen` — half-map sharpening that maximises the expected correlation with
/// the true map (`HalfMapSharpening`), globally or locally, shown as slices before and after, a
/// Guinier plot and the weights applied.
public struct HalfMapSharpenCell: NotebookCell {
    /// The two unmasked half maps.
    public var halfMaps = PlanReference("dataset", "half_maps")
    /// Where the statistics are measured; nil until resolved.
    public var mask: MaskSetting?
    /// The method's parameters.
    public var parameters = HalfMapSharpeningParameters()

    /// The cell with every default.
    public init() {}

    enum CodingKeys: String, CodingKey { case halfMaps = "half_maps", mask }

    /// The name written as `kind:` in plans.
    public static let kind = "halfmap_sharpen"
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Half-map sharpening for the highest expected correlation with the true map, globally or in local windows."
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Half-map sharpening"
    /// Bumped when what `run` computes changes.
    public static let revision = 1
    /// Four transforms, and in local mode one per frequency node and small ones per window.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 3)
    /// The halves, their masked copies, the average's spectrum, a band and the output.
    public var peakMapCopies: Double { HalfMapSharpening.peakMapCopies }
    /// The keys of the inputs, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("half_maps", default: "dataset.half_maps", "the two unfiltered, unmasked half maps (a reference)"),
        CellOption("mask", default: "dataset.mask if the dataset has one, else auto", "where the statistics are measured: auto, none or a map reference", shownInStarterPlan: false),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = [
        CellOutputSpec("sharpened", .map, "the sharpened average of the half maps"),
        CellOutputSpec("envelope_b", .number, "the signal's fitted envelope B over the masked map (Å²)"),
        CellOutputSpec("resolution", .number, "the masked half-map FSC's 0.143 resolution (Å)"),
    ]
    /// The index's sharpening column.
    public static let indexColumns = [IndexColumn(.sharpening, from: .settings(of: HalfMapSharpenCell.self) { "half-map (\($0.parameters.mode.rawValue))" }, priority: 1)]

    /// Decodes the cell's keys; missing keys take the defaults above.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        halfMaps = try c.decodeIfPresent(PlanReference.self, forKey: .halfMaps) ?? halfMaps
        mask = try c.decodeIfPresent(MaskSetting.self, forKey: .mask)
        parameters = try HalfMapSharpeningParameters(planKeyedFrom: decoder)
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

    /// What the cell keeps for the report.
    public struct Result: Codable, Sendable {
        /// What was measured and applied.
        public var report: HalfMapSharpeningReport
        /// The mask, in words.
        public var maskDescription: String
        /// Central slices of the average and the sharpened map.
        public var montageRows: [SliceMontageFigure.Row]
        /// Guinier curves of the average and the sharpened map.
        public var guinierBefore: GuinierCurve, guinierAfter: GuinierCurve
    }

    /// Runs the analysis.
    public func run(_ context: CellContext) throws -> CellProduct<Result> {
        let (h1, h2) = try context.halfMaps(halfMaps)
        let names = context.halfMapNames(halfMaps)
        try FSCInput.requireVarying(h1, name: names.0)
        try FSCInput.requireVarying(h2, name: names.1)
        let average = HalfMapPair.average(h1, h2)
        let shells = FourierShells(grid: h1.grid)
        let averageSpectrum = FFT.forward(average)   // for the automatic mask and the Guinier plot
        var maskVolume: Volume? = nil
        let maskDescription: String
        switch mask ?? .automatic {
        case .none: maskDescription = "none (the whole box)"
        case .map(let r):
            var v = try context.map(r)
            if let why = h1.grid.mismatch(with: v.grid) { throw MapbookError("the mask is not on the half maps' grid: \(why)", path: context.path(r)) }
            v.grid = h1.grid
            maskVolume = v
            maskDescription = context.label(r)
        case .automatic:
            maskVolume = try SoftMask.make(from: averageSpectrum, shells: shells, parameters: AutoMaskParameters()).mask
            maskDescription = "automatic (RELION's procedure on the average of the half maps)"
        }
        let out = try HalfMapSharpening.sharpen(half1: h1, half2: h2, mask: maskVolume, parameters: parameters, progress: context.progress)
        let r = out.report
        let montageRows = SliceMontageFigure.rows([("average of the half maps", average), ("half-map sharpened (\(r.mode.rawValue))", out.map)])
        let before = GuinierCurve(meanAmplitude: shells.meanAmplitude(averageSpectrum), shells: shells)
        let after = GuinierCurve(meanAmplitude: shells.meanAmplitude(FFT.forward(out.map)), shells: shells)
        var numbers: [String: Quantity] = [:]
        if let b = r.signal?.bFactor { numbers["envelope_b"] = Quantity(b, unit: "Å²", digits: 1) }
        if let d = r.resolution, d.isFinite { numbers["resolution"] = Quantity(d, unit: "Å", digits: 2) }
        return CellProduct(result: Result(report: r, maskDescription: maskDescription, montageRows: montageRows,
                                          guinierBefore: before, guinierAfter: after),
                           numbers: numbers, maps: ["sharpened": out.map])
    }

    /// Figures, tables and at-a-glance numbers for the report.
    public func present(_ result: Result, _ context: PresentationContext) -> CellPresentation {
        let r = result.report
        let montage = SliceMontageFigure(title: "Average and half-map sharpened", rows: result.montageRows, standardized: true)
        let guinier = GuinierFigure(title: "Guinier plot", curves: [
            .init(name: "average", role: .original, frequencySquared: result.guinierBefore.frequencySquared, logAmplitude: result.guinierBefore.logAmplitude),
            .init(name: "sharpened", role: .sharpened, frequencySquared: result.guinierAfter.frequencySquared, logAmplitude: result.guinierAfter.logAmplitude),
        ], fit: nil, appliedBFactor: (r.targetBFactor - (r.signal?.bFactor ?? r.targetBFactor)))
        let envelope = r.signal.map { String(format: "%.1f Å² (fitted over %d shells from 10 Å out)", $0.bFactor, $0.binsUsed) } ?? "not measurable (no signal past 10 Å)"
        var rows: [[String]] = [["Mode", r.mode == .auto ? "auto → \(r.applied.rawValue)" : r.mode.rawValue], ["Mask", result.maskDescription],
                                ["Masked FSC 0.143", r.resolution.map { String(format: "%.2f Å", $0) } ?? "undefined"],
                                ["Signal envelope B", envelope], ["Target envelope B", String(format: "%.1f Å²", r.targetBFactor)]]
        if let d = r.windowDiameter, let n = r.windows, let m = r.measuredWindows, let f = r.fittedWindows {
            rows.append(["Local windows", String(format: "%d of %d centres over the molecule (%.0f Å soft spheres); %d with their own fall-off, the rest the global one", m, n, d, f)])
        }
        if let b = r.directionalBFactorRange {
            rows.append(["Envelope B over directions", String(format: "%.0f to %.0f Å² (%d cones of %.0f°)", b[0], b[1], DirectionalWeights.directionCount, DirectionalWeights.coneHalfAngle * 180 / .pi)])
        }
        if let p = r.localBFactorPercentiles {
            rows.append(["Local envelope B (5th / 50th / 95th percentile)", String(format: "%.0f / %.0f / %.0f Å²", p[0], p[1], p[2])])
        }
        let what: String
        switch r.applied {
        case .local: what = "in soft local windows blended smoothly"
        case .localAnisotropic: what = "in soft local windows blended smoothly, with the per-direction correction"
        case .anisotropic: what = "one weight per shell and direction"
        case .global, .auto: what = "one weight per shell"
        }
        var summary = "Half-map sharpening (\(what)): each shell weighted by the full map's FSC and the signal's envelope divided out down to B = \(String(format: "%.0f", r.targetBFactor)) Å², for the highest expected correlation with the true map. Map: \(context.cellID).sharpened."
        var glance = [GlanceRow("Half-map sharpening (\(r.applied.rawValue))", r.signal.map { String(format: "envelope B %.0f Å² → %.0f Å²", $0.bFactor, r.targetBFactor) } ?? "Wiener filter only",
                                context.cellID, priority: GlanceRow.Priority.sharpening + 3)]
        if let reason = r.reason {
            // Auto is the recommendation: chosen from the half maps alone, never from a model or a truth.
            summary += " Recommended for model building: \(context.cellID).sharpened, \(reason)."
            rows.append(["Recommended for model building", "\(context.cellID).sharpened — \(reason)"])
            glance.insert(GlanceRow("Recommended map for model building", "\(context.cellID).sharpened (half-map \(r.applied.rawValue))", reason,
                                    priority: GlanceRow.Priority.sharpening - 1), at: 0)
        }
        return CellPresentation(summary: summary, figures: [
            PresentedFigure(name: "montage", title: "Average and half-map sharpened",
                            caption: "Central slices of the average of the half maps (top) and the half-map sharpened map (bottom), each in its own standard deviations, one grey scale for both.",
                            figure: montage, data: ["rows": ["average", "sharpened"]]),
            PresentedFigure(name: "guinier", title: "Guinier plot",
                            caption: "ln(mean amplitude) per shell against 1/d² for the average of the half maps and the sharpened map (the whole box); the B in the corner is the target's envelope B minus the signal's, the change the weights make beyond the FSC weighting.",
                            figure: guinier),
        ], tables: [ReportTable(title: "Half-map sharpening", columns: [], rows: rows)], glance: glance, notes: r.notes)
    }
}
