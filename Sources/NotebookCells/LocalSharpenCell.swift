import Foundation
import Figures
import FourierEngine
import HalfMapSharpening
import LocalResolution
import LocalSharpening
import MapbookCore
import MapModel
import Notebook
import Postprocessing

/// `kind: local_sharpen` — LocalDeblur sharpening guided by the local resolution, optionally
/// iterated with MonoRes, shown as a montage of the original, globally sharpened and locally
/// sharpened maps, the convergence (cost and λ per inner iteration) and, for iterative runs,
/// local-resolution histograms before and after.
public struct LocalSharpenCell: NotebookCell {
    /// The half maps: the default map to sharpen (their average), MonoRes's input when no
    /// resolution map is given, the globally sharpened map when none is given, the FSC.
    public var halfMaps = PlanReference("dataset", "half_maps")
    /// The map to sharpen; nil: the average of the half maps.
    public var map: PlanReference?
    /// The local-resolution map (Å); nil: MonoRes on the half maps, here.
    public var resolutionMap: PlanReference?
    /// The globally sharpened map for the montage; nil: post-processing with automatic B, here.
    public var globalMap: PlanReference?
    /// The mask for MonoRes and post-processing run here; nil until resolved.
    public var mask: MaskSetting?
    /// LocalDeblur's and the protocol's parameters.
    public var parameters = LocalSharpeningParameters()

    /// The cell with every default.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case halfMaps = "half_maps", map, resolutionMap = "resolution_map", globalMap = "global_map", mask
    }

    /// The name written as `kind:` in plans.
    public static let kind = "local_sharpen"
    /// The algorithm's peak, for the memory estimate.
    public var peakMapCopies: Double { LocalSharpening.peakMapCopies }
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Local-resolution-guided sharpening (LocalDeblur), optionally iterated with MonoRes."
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Local sharpening"
    /// Bumped when what `run` computes changes.
    /// Revision 2: the result keeps the figures' data (slices, distributions), not the figures.
    /// 4: distributions keep the 2nd and 98th percentiles; "globally blurred" for a positive B.
    /// 5: LocalDeblur's defaults changed (resolution taper, three inner steps, collapse stop).
    public static let revision = 5
    /// The keys of the inputs and report settings, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("half_maps", default: "dataset.half_maps", "the two unfiltered, unmasked half maps (a reference)"),
        CellOption("map", default: "the average of the half maps", "the map to sharpen: unfiltered, unmasked (a map reference)", shownInStarterPlan: false),
        CellOption("resolution_map", default: "MonoRes on the half maps, here", "local resolution in Å, e.g. local_resolution.resolution_map", shownInStarterPlan: false),
        CellOption("global_map", default: "post-processing with automatic B, here", "the globally sharpened map shown beside the result, e.g. postprocess.sharpened", shownInStarterPlan: false),
        CellOption("mask", default: "dataset.mask if the dataset has one, else auto", "mask of the molecule: the resolution map is ignored outside it, and MonoRes and the post-processing run here use it; auto or a map reference", shownInStarterPlan: false),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = [
        CellOutputSpec("sharpened", .map, "the locally sharpened map of the last round"),
        CellOutputSpec("lambda", .number, "λ of the last round"),
        CellOutputSpec("rounds", .number, "number of rounds run"),
        CellOutputSpec("inner_iterations", .number, "inner iterations of the last round"),
        CellOutputSpec("cost", .number, "‖V0 − H V‖ / ‖V0‖ at the last inner iteration"),
    ]
    /// The index's sharpening (over post-processing's B; its numbers say nothing to compare).
    public static let indexColumns = [IndexColumn(.sharpening, from: .settings(of: LocalSharpenCell.self) { _ in "local (LocalDeblur)" }, priority: 1)]

    /// Decodes the cell's keys; missing keys take the defaults above.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        halfMaps = try c.decodeIfPresent(PlanReference.self, forKey: .halfMaps) ?? halfMaps
        map = try c.decodeIfPresent(PlanReference.self, forKey: .map)
        resolutionMap = try c.decodeIfPresent(PlanReference.self, forKey: .resolutionMap)
        globalMap = try c.decodeIfPresent(PlanReference.self, forKey: .globalMap)
        mask = try c.decodeIfPresent(MaskSetting.self, forKey: .mask)
        parameters = try LocalSharpeningParameters(planKeyedFrom: decoder)
    }

    /// The inputs and every parameter, by plan key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(halfMaps, forKey: .halfMaps)
        try c.encodeIfPresent(map, forKey: .map)
        try c.encodeIfPresent(resolutionMap, forKey: .resolutionMap)
        try c.encodeIfPresent(globalMap, forKey: .globalMap)
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
        if let r = map { i.append(CellInput("map", r, .map)) }
        if let r = resolutionMap { i.append(CellInput("resolution_map", r, .map)) }
        if let r = globalMap { i.append(CellInput("global_map", r, .map)) }
        if let r = mask?.reference { i.append(CellInput("mask", r, .map)) }
        return i
    }

    /// What the cell keeps for the report.
    public struct Result: Codable, Sendable {
        /// Every round's record, the stop reason and the warnings.
        public var summary: LocalSharpeningSummary
        /// Where the globally sharpened map came from, in words.
        public var globalDescription: String
        /// Central slices of the original, globally and locally sharpened maps, each standardised.
        public var montageRows: [SliceMontageFigure.Row]
        /// The global resolution marked on the histograms, Å.
        public var globalResolution: Double?
        /// Local resolutions before the first and after the last round, 0.25 Å bins (iterative
        /// runs only).
        public var distributionBefore: LocalResolutionHistogramFigure.Distribution?, distributionAfter: LocalResolutionHistogramFigure.Distribution?
    }

    /// Runs the analysis.
    public func run(_ context: CellContext) throws -> CellProduct<Result> {
        let (h1, h2) = try context.halfMaps(halfMaps)
        let grid = h1.grid
        func onGrid(_ r: PlanReference, _ what: String) throws -> Volume {
            var v = try context.map(r)
            if let why = grid.mismatch(with: v.grid) {
                throw MapbookError("\(what) is not on the half maps' grid: \(why)", path: context.path(r))
            }
            v.grid = grid
            return v
        }
        let average = HalfMapPair.average(h1, h2)
        let original = try map.map { try onGrid($0, "the map") } ?? average
        var maskVolume: Volume? = nil
        if case .map(let r)? = mask { maskVolume = try onGrid(r, "the mask") }

        // The global FSC resolution (for the K advice) and the globally sharpened map.
        var globalResolution: Double?
        let global: Volume
        let globalDescription: String
        var globalB: Double? = nil
        if let r = globalMap {
            global = try onGrid(r, "the global map")
            globalDescription = BFactorWording.mapLabel(r, context: context)
            globalB = BFactorWording.appliedB(of: r, context: context)
            let names = context.halfMapNames(halfMaps)
            try FSCInput.requireVarying(h1, name: names.0)
            try FSCInput.requireVarying(h2, name: names.1)
            let shells = FourierShells(grid: grid)
            let f1 = FFT.forward(h1), f2 = FFT.forward(h2)
            let curve = shells.fsc(f1, f2)
            try FSCInput.requireDefined(curve, f1, f2, names: names, shells: shells)
            let fsc = try curve.resolution(at: .goldStandard)
            globalResolution = fsc.interpolatedResolution.isFinite ? fsc.interpolatedResolution : nil
        } else {
            let choice: MaskChoice = maskVolume.map { .supplied($0) } ?? .automatic(AutoMaskParameters())
            let names = context.halfMapNames(halfMaps)
            let pp = try Postprocess.run(half1: h1, half2: h2, mask: choice,
                                         names: PostprocessInputNames(half1: names.0, half2: names.1, mask: MaskResolution.name(mask, context: context)),
                                         progress: context.progress)
            global = pp.sharpened
            globalB = pp.report.appliedBFactor
            globalDescription = String(format: "post-processed here, automatic B = %.1f Å²", pp.report.appliedBFactor)
            let d = pp.report.resolution.interpolatedResolution
            globalResolution = d.isFinite ? d : nil
        }

        let resolution: Volume
        let origin: ResolutionMapOrigin
        if let r = resolutionMap {
            resolution = try onGrid(r, "the local-resolution map")
            // Cell outputs were computed by mapbook from this dataset; a dataset file was not.
            origin = r.source == "dataset" ? .imported : .computed
        } else {
            resolution = try MonoRes.run(half1: h1, half2: h2, mask: maskVolume, progress: context.progress).resolution
            origin = .computed
        }
        // The mask restricts the resolution map as the command's --mask does.
        // The half maps judge each iterate when the map is their average.
        let out = try LocalSharpening.run(map: original, resolution: resolution, origin: origin, mask: maskVolume,
                                          globalResolution: globalResolution, halves: map == nil ? (h1, h2) : nil,
                                          parameters: parameters, progress: context.progress)
        let s = out.summary
        let montageRows = SliceMontageFigure.rows([
            (map.map { "original: \(context.label($0))" } ?? "original: average of the half maps", original),
            ("globally " + (globalB.map(BFactorWording.participle) ?? "sharpened"), global),
            ("locally sharpened (LocalDeblur)", out.sharpened),
        ])
        var before: LocalResolutionHistogramFigure.Distribution? = nil, after: LocalResolutionHistogramFigure.Distribution? = nil
        if out.resolutionMaps.count > 1, let first = out.resolutionMaps.first, let last = out.resolutionMaps.last {
            before = .init(values: first.voxels.filter { $0 > 0 }, binWidth: 0.25)
            after = .init(values: last.voxels.filter { $0 > 0 }, binWidth: 0.25)
        }
        let last = s.rounds.last!.deblur
        let numbers = ["lambda": Quantity(last.lambda, unit: "", digits: 3), "rounds": Quantity(Double(s.rounds.count), unit: "", digits: 0),
                       "inner_iterations": Quantity(Double(last.innerIterations), unit: "", digits: 0),
                       "cost": Quantity(last.costs.last ?? .nan, unit: "", digits: 4)]
        return CellProduct(result: Result(summary: s, globalDescription: globalDescription, montageRows: montageRows, globalResolution: globalResolution,
                                          distributionBefore: before, distributionAfter: after),
                           numbers: numbers, maps: ["sharpened": out.sharpened])
    }

    /// Figures, tables and at-a-glance numbers for the report.
    public func present(_ result: Result, _ context: PresentationContext) -> CellPresentation {
        let s = result.summary
        let montage = SliceMontageFigure(title: "Original, globally and locally sharpened", rows: result.montageRows, standardized: true)
        let convergence = LocalSharpeningConvergenceFigure(title: "LocalDeblur convergence", costs: s.rounds.map(\.deblur.costs), lambdas: s.lambdas)
        let markers = result.globalResolution.map { [LocalResolutionHistogramFigure.Marker(label: "global FSC", resolution: $0)] } ?? []
        let rounds = s.rounds.count
        let first = s.rounds[0].deblur
        let lambdas = s.lambdas.map { String(format: "%.3f", $0) }.joined(separator: ", ")
        let bands = first.bandResolutions
        let summaryText = String(format: "LocalDeblur with K = %g: %d round%@ (%@), λ = %@; %d bands from %.2f to %.2f Å, operator %@. Map: %@.sharpened.",
                                 first.k, rounds, rounds == 1 ? "" : "s", s.stopReason.rawValue, lambdas, bands.count,
                                 bands.first ?? 0, bands.last ?? 0, first.formulation, context.cellID)
        var figures = [
            PresentedFigure(name: "montage", title: "Original, globally and locally sharpened maps",
                            caption: "Central slices of the map before sharpening, the globally sharpened map (\(result.globalDescription)) and the LocalDeblur output, each in its own standard deviations, one grey scale for all tiles (\(NiceTicks.format(montage.lower, decimals: 2))σ black to \(NiceTicks.format(montage.upper, decimals: 2))σ white).",
                            figure: montage, data: ["rows": montage.rows.map(\.label)]),
            PresentedFigure(name: "convergence", title: "Convergence",
                            caption: "Top: the cost ‖V0 − H V_i‖/‖V0‖ at every inner iteration (V0 the map, H the local blur, V_i the estimate); bottom: the step λ in force\(rounds > 1 ? ", one value per round (dotted lines separate the rounds)" : ""). Each round stops when 100·‖H V_{i−1}‖/‖H V_i‖ rises by less than one point, or at the cap.",
                            figure: convergence),
        ]
        if let db = result.distributionBefore, let da = result.distributionAfter {
            let b = LocalResolutionHistogramFigure(title: "Local resolution before round 1", distribution: db, markers: markers)
            let a = LocalResolutionHistogramFigure(title: "Local resolution after the last round (MonoRes)", distribution: da, markers: markers)
            figures.append(PresentedFigure(name: "histogram_before", title: "Local resolution before",
                                           caption: "Local resolution used by round 1, voxels inside its mask, 0.25 Å bins.", figure: b))
            figures.append(PresentedFigure(name: "histogram_after", title: "Local resolution after",
                                           caption: "MonoRes (single-map mode) on the sharpened map after the last round, 0.25 Å bins. A sharpened map raises the noise inside the mask but not outside, so this estimate reads finer than the data support.",
                                           figure: a))
        }
        let rows = s.rounds.map { r -> [String] in
            let d = r.deblur
            let map = d.resolutionMap
            return ["\(r.round)", String(format: "%.3f%@", d.lambda, d.lambdaAutomatic ? " (auto)" : ""),
                    "\(d.innerIterations)\(d.stoppedByRule ? "" : " (cap)")", String(format: "%.4f", d.costs.last ?? .nan),
                    String(format: "%.2f / %.2f / %.2f Å (%@)", map.minimum, map.median, map.maximum, r.resolutionSource),
                    "\(d.bandResolutions.count) / \(d.nodes.count)", d.keptIterate ?? "the last (not judged)", String(format: "%.1f s", r.seconds)]
        }
        let judged = s.rounds.contains { $0.deblur.keptIteration != nil }
        let table = ReportTable(title: "Rounds", columns: ["Round", "λ", "Inner iterations", "Final cost", "Local resolution min / median / max", "Bands / nodes",
                                                           "Iterate kept", "Time"],
                                rows: rows, note: "Stop: \(s.stopReason.rawValue)." + (judged
                                    ? " Each round returns the iterate whose correlation with the true map the half maps expect to be highest (0: the round's input), judged against a true map of envelope B \(NiceTicks.format(HalfMapSharpeningParameters().targetBFactor, decimals: 0)) Å² as half-map sharpening aims at."
                                    : " The map is not the average of the half maps, so every iteration's result is kept."))
        let glance = [GlanceRow("Local sharpening (LocalDeblur)", "\(rounds) round\(rounds == 1 ? "" : "s"), λ = \(lambdas)",
                                String(format: "K = %g · %@", first.k, context.cellID), priority: GlanceRow.Priority.sharpening + 2)]
        return CellPresentation(summary: summaryText, figures: figures, tables: [table], glance: glance, flags: s.warnings, notes: s.notes,
                                verdicts: [Verdict.summarising(VerdictRules.localSharpening(s, section: context.title), section: context.title,
                                                               passReason: "LocalDeblur converged in \(rounds) round\(rounds == 1 ? "" : "s") (\(s.stopReason.rawValue))")])
    }
}
