import Foundation
import Figures
import HalfMapSharpening
import FourierEngine
import MapbookCore
import MapModel
import Notebook
import Postprocessing
import Sharpening

/// A number given in the plan or read from an earlier cell: `3.2` or `postprocess.resolution`.
public enum NumberSetting: Codable, Sendable, Equatable {
    /// A number.
    case value(Double)
    /// A number reference.
    case reference(PlanReference)

    /// Decodes a number or a reference.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode(Double.self) { self = .value(d); return }
        let text = try c.decode(String.self)
        guard let r = PlanReference(parsing: text, position: decoder.planPosition) else {
            throw PlanProblem("expected a number or a number reference such as postprocess.resolution; got '\(text)'", at: decoder.planPosition)
        }
        self = .reference(r)
    }

    /// Encodes as written in plans.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .value(let d): try c.encode(d)
        case .reference(let r): try c.encode(r.description)
        }
    }

    /// The reference, when there is one.
    public var reference: PlanReference? { if case .reference(let r) = self { return r } else { return nil } }
}

/// `kind: sharpen` — automatic sharpening as phenix.map_sharpening does it (`AutoSharpen.run`):
/// the sharpening that gives the clearest map by adjusted surface area or kurtosis, shown as
/// the score against B, the original beside the sharpened map, and Guinier curves before and
/// after.
public struct SharpenCell: NotebookCell {
    /// The map to sharpen; nil until resolved (then `dataset.full_map` when the dataset has
    /// one, else the average of `half_maps`).
    public var map: PlanReference?
    /// Half maps: averaged when there is no `map`, and used by the `half_map` method.
    public var halfMaps: PlanReference?
    /// The map's resolution: a number in Å or a number reference.
    public var resolution = NumberSetting.value(.nan)
    /// Sequence file reference, for the molecular volume.
    public var sequence: PlanReference?
    /// Molecular mass, Da, for the molecular volume.
    public var molecularMass: Double?
    /// Model file reference, for the `model` method.
    public var model: PlanReference?
    /// Sharpen maps the guards refuse.
    public var force = false
    /// The algorithm's parameters (the resolution and `force` are set from the inputs above
    /// when the cell runs).
    public var parameters = SharpeningParameters()

    /// The cell with every default (and no resolution).
    public init() {}

    enum CodingKeys: String, CodingKey {
        case map, halfMaps = "half_maps", resolution, sequence, molecularMass = "molecular_mass", model, force
    }

    /// The name written as `kind:` in plans.
    public static let kind = "sharpen"
    /// Revision 3: the report's parameters are the declared set (box as written in plans,
    /// local sharpening as a group). 4: the montage's second row says "blurred" for a positive B.
    /// 5: surface views of the original and sharpened maps.
    /// 6: the half_map method weights for the expected correlation with the true map.
    /// 7: with half maps, a searched sharpening the half maps expect to correlate less well with
    /// the true map than the unsharpened map is not applied (the map is left unsharpened).
    public static let revision = 7
    /// The algorithm's peak, for the memory estimate.
    public var peakMapCopies: Double { AutoSharpen.peakMapCopies(halfMaps: halfMaps != nil) }
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Automatic sharpening (phenix.map_sharpening): the B or amplitude scaling that maximises the adjusted surface area or kurtosis."
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Automatic sharpening"
    /// The keys of the inputs and report settings, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("map", default: "dataset.full_map if the dataset has one, else the average of half_maps", "the unsharpened, unmasked map (a map reference)", shownInStarterPlan: false),
        CellOption("half_maps", default: "dataset.half_maps when needed", "half maps: averaged when there is no map, and used by the half_map method", shownInStarterPlan: false),
        CellOption("resolution", default: nil, "the map's resolution: a number in Å or a number reference such as postprocess.resolution"),
        CellOption("sequence", default: "dataset.sequence if the dataset has one", "a sequence file reference: the expected molecular volume", shownInStarterPlan: false),
        CellOption("molecular_mass", default: "from the sequence, else estimated from the half maps (or from the map without them)", "molecular mass in Da, instead of a sequence", shownInStarterPlan: false),
        CellOption("model", default: "dataset.model when the model method is asked for", "an atomic model file reference (model method)", shownInStarterPlan: false),
        CellOption("force", default: "false", "sharpen a map the guards refuse (mostly exact zeros: masked or boxed)"),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = [
        CellOutputSpec("sharpened", .map, "the sharpened map"),
        CellOutputSpec("bfactor", .number, "the B-factor applied, Å² (negative sharpens; for scale methods, the change in Guinier slope)"),
        CellOutputSpec("map_bfactor", .number, "the map's own B before sharpening, Å²"),
        CellOutputSpec("map_bfactor_after", .number, "the map's B after sharpening, Å² (B methods)"),
        CellOutputSpec("score", .number, "the chosen map's score"),
        CellOutputSpec("method", .text, "the chosen sharpening method and its B"),
    ]
    /// The index's sharpening: the chosen method (over post-processing's B).
    public static let indexColumns = [IndexColumn(.sharpening, from: .output("method"), priority: 1)]

    /// Decodes the cell's keys; missing keys take the defaults above.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        map = try c.decodeIfPresent(PlanReference.self, forKey: .map)
        halfMaps = try c.decodeIfPresent(PlanReference.self, forKey: .halfMaps)
        guard c.contains(.resolution) else {
            throw PlanProblem("a sharpen cell needs resolution: a number in Å or a reference such as postprocess.resolution", at: decoder.planPosition)
        }
        resolution = try c.decode(NumberSetting.self, forKey: .resolution)
        sequence = try c.decodeIfPresent(PlanReference.self, forKey: .sequence)
        molecularMass = try c.decodeIfPresent(Double.self, forKey: .molecularMass)
        model = try c.decodeIfPresent(PlanReference.self, forKey: .model)
        force = try c.decodeIfPresent(Bool.self, forKey: .force) ?? force
        parameters = try SharpeningParameters(planKeyedFrom: decoder)
    }

    /// The inputs and every parameter, by plan key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(map, forKey: .map)
        try c.encodeIfPresent(halfMaps, forKey: .halfMaps)
        try c.encode(resolution, forKey: .resolution)
        try c.encodeIfPresent(sequence, forKey: .sequence)
        try c.encodeIfPresent(molecularMass, forKey: .molecularMass)
        try c.encodeIfPresent(model, forKey: .model)
        try c.encode(force, forKey: .force)
        try parameters.encodeParameters(to: encoder)
    }

    /// The methods the plan names (none: implied by the inputs when the cell runs).
    var methods: [SharpeningMethod] { parameters.methods }

    /// Fills in the map, half maps, sequence and model from the dataset.
    public mutating func resolveDefaults(for dataset: PlanDataset) {
        if map == nil, dataset.fullMap != nil { map = PlanReference("dataset", "full_map") }
        if halfMaps == nil, dataset.halfMaps != nil, map == nil || methods.contains(.halfMap) { halfMaps = PlanReference("dataset", "half_maps") }
        if sequence == nil, molecularMass == nil, dataset.sequence != nil { sequence = PlanReference("dataset", "sequence") }
        if model == nil, methods.contains(.model), dataset.model != nil { model = PlanReference("dataset", "model") }
    }

    /// The references the cell reads.
    public var inputs: [CellInput] {
        var i: [CellInput] = []
        if let map { i.append(CellInput("map", map, .map)) }
        if let halfMaps { i.append(CellInput("half_maps", halfMaps, .halfMaps)) }
        if let r = resolution.reference { i.append(CellInput("resolution", r, .number)) }
        if let sequence { i.append(CellInput("sequence", sequence, .file)) }
        if let model { i.append(CellInput("model", model, .file)) }
        return i
    }

    /// Checks the types cannot express.
    public func validate() throws {
        if map == nil && halfMaps == nil { throw PlanProblem("sharpen needs a map: give map: (a map reference) or half_maps:, or add full_map or half_maps to the dataset", at: nil) }
        if case .value(let d) = resolution, !(d > 0 && d.isFinite) { throw PlanProblem("resolution must be a positive number of Å, got \(d)", at: nil) }
        if let m = molecularMass, !(m > 0 && m.isFinite) { throw PlanProblem("molecular_mass must be a positive mass in Da, got \(m)", at: nil) }
        if sequence != nil && molecularMass != nil { throw PlanProblem("give either sequence or molecular_mass, not both", at: nil) }
        if methods.contains(.halfMap) && halfMaps == nil { throw PlanProblem("the half_map method needs half_maps (none in the dataset)", at: nil) }
        if methods.contains(.model) && model == nil { throw PlanProblem("the model method needs model: (none in the dataset)", at: nil) }
    }

    /// What the cell keeps for the report.
    public struct Result: Codable, Sendable {
        /// Every decision and measurement.
        public var report: SharpeningReport
        /// What was sharpened, in words.
        public var mapDescription: String
        /// The applied B, or the change in Guinier slope as a B for scale methods (Å²).
        public var effectiveBFactor: Double
        /// The resolution the map was sharpened for, Å (the Guinier fit's range).
        public var resolution: Double
        /// Original and sharpened central slices, each standardised.
        public var montageRows: [SliceMontageFigure.Row]
        /// Original and sharpened surfaces, each at the level enclosing the molecular volume.
        public var surfaces: [SurfaceViewFigure.Map]
    }

    /// Runs the analysis.
    public func run(_ context: CellContext) throws -> CellProduct<Result> {
        var halves: (Volume, Volume)? = nil
        if let halfMaps { halves = try context.halfMaps(halfMaps) }
        let input: Volume
        let description: String
        if let map {
            input = try context.map(map)
            description = context.label(map)
        } else {
            input = HalfMapPair.average(halves!.0, halves!.1)
            description = "the average of the half maps"
        }
        let d: Double
        switch resolution {
        case .value(let v): d = v
        case .reference(let r): d = try context.number(r).value
        }
        var p = parameters
        p.resolution = d
        p.force = force
        try p.validateResolution()
        var molecule: MolecularVolume? = nil
        if let sequence {
            guard let path = context.path(sequence) else { throw MapbookError("\(sequence) names no file") }
            molecule = MolecularVolume.fromSequence(try SequenceComposition.read(path: path))
        }
        if let molecularMass { molecule = try MolecularVolume.fromMass(molecularMass) }
        var atoms: AtomicModel? = nil
        // The library settles the methods from the inputs (the same rule as the command's).
        if let model, p.methods(halfMaps: halves != nil, model: true).contains(.model) {
            guard let path = context.path(model) else { throw MapbookError("\(model) names no file") }
            atoms = try AtomicModelFile.read(path: path)
        }
        let inputs = SharpeningInputs(map: input, halfMaps: halves, model: atoms, molecularVolume: molecule)
        let out = try AutoSharpen.run(inputs, parameters: p, progress: context.progress)
        let r = out.report

        let effectiveB = r.choice.settings.bFactor ?? Self.slopeChangeAsB(before: r.guinierBefore, after: r.guinierAfter, resolution: d)
        let montageRows = SliceMontageFigure.rows([("original", input), (BFactorWording.participle(effectiveB), out.map)])
        // Both at the molecular volume the score used, so the surfaces differ only in detail.
        context.progress.step("Surface views of the original and sharpened maps")
        let surfaces = try SurfaceViewFigure.maps([("original", input), (BFactorWording.participle(effectiveB), out.map)],
                                                  enclosing: r.molecularVolume.volume)
        var numbers = ["bfactor": Quantity(effectiveB, unit: "Å²", digits: 1),
                       "map_bfactor": Quantity(r.mapBFactor.bFactor, unit: "Å²", digits: 1),
                       "score": Quantity(r.choice.score, unit: "", digits: 4),
                       // The chosen method, as text (the facility index shows it).
                       "method": Quantity(.nan, unit: "", text: "\(r.choice.settings.method.rawValue), B \(Quantity(effectiveB, unit: "Å²", digits: 1).formatted)")]
        if let after = r.choice.mapBAfter { numbers["map_bfactor_after"] = Quantity(after, unit: "Å²", digits: 1) }
        return CellProduct(result: Result(report: r, mapDescription: description, effectiveBFactor: effectiveB,
                                          resolution: d, montageRows: montageRows, surfaces: surfaces),
                           numbers: numbers, maps: ["sharpened": out.map])
    }

    /// The score against the applied B for the chosen B method's grid and refinement, with
    /// the B that would flatten the map's Guinier slope marked; for other methods, the score of
    /// every trial against its number.
    static func scoreFigure(_ r: SharpeningReport) -> SharpeningScoreFigure {
        let label = r.parameters.scoreTarget == .kurtosis ? "kurtosis" : "adjusted surface area"
        let chosen = r.choice.settings
        let curve = r.trials.filter { t in
            (t.stage == .grid || t.stage == .refinement) && t.settings?.method == chosen.method && t.settings?.bFactor != nil && t.score != nil
        }
        if !curve.isEmpty {
            return SharpeningScoreFigure(title: "Score against B (\(chosen.method.rawValue))", parameterLabel: "Applied B-factor (Å²)",
                                         scoreLabel: label, parameters: curve.map { $0.settings!.bFactor! }, scores: curve.map { $0.score! },
                                         chosen: chosen.bFactor, references: [.init(label: "flattens the Guinier slope", value: -r.mapBFactor.bFactor)])
        }
        let scored = r.trials.filter { $0.score != nil }
        return SharpeningScoreFigure(title: "Score of every trial", parameterLabel: "Trial", scoreLabel: label,
                                     parameters: scored.map { Double($0.index) }, scores: scored.map { $0.score! }, chosen: Double(r.choice.trial))
    }

    /// The straight line through the whole map's Guinier plot over the range the map's own B
    /// is measured on (`MapBFactor`: max(6 Å, 1.5·d) to d), drawn on the curve it fits.
    static func mapBFit(_ curve: GuinierCurve, resolution d: Double) -> GuinierFigure.Fit? {
        GuinierFit(curve, lowResolution: max(6, 1.5 * d), highResolution: d).map {
            GuinierFigure.Fit(slope: $0.slope, intercept: $0.intercept, lowResolution: $0.lowResolution,
                              highResolution: $0.highResolution, correlation: $0.correlation, points: $0.points)
        }
    }

    /// −4 × (change in Guinier slope) between `max(6, 1.5·d)` Å and d: the B that a plain
    /// B-factor would have to apply to make the same change.
    static func slopeChangeAsB(before: GuinierCurve, after: GuinierCurve, resolution d: Double) -> Double {
        let low = max(6, 1.5 * d)
        guard let a = GuinierFit(before, lowResolution: low, highResolution: d),
              let b = GuinierFit(after, lowResolution: low, highResolution: d) else { return .nan }
        return -4 * (b.slope - a.slope)
    }

    /// Figures, tables and at-a-glance numbers for the report.
    public func present(_ result: Result, _ context: PresentationContext) -> CellPresentation {
        let r = result.report
        let effect = BFactorWording.participle(result.effectiveBFactor)
        let guinier = GuinierFigure(title: "Guinier plot", curves: [
            .init(name: "before \(BFactorWording.gerund(result.effectiveBFactor))", role: .original, frequencySquared: r.guinierBefore.frequencySquared, logAmplitude: r.guinierBefore.logAmplitude),
            .init(name: effect, role: .sharpened, frequencySquared: r.guinierAfter.frequencySquared, logAmplitude: r.guinierAfter.logAmplitude),
        ], fit: Self.mapBFit(r.guinierBefore, resolution: result.resolution), appliedBFactor: result.effectiveBFactor)
        let montageTitle = "Original and \(effect)"
        let montage = SliceMontageFigure(title: montageTitle, rows: result.montageRows, standardized: true)
        let c = r.choice
        let what = r.parameters.scoreTarget == .kurtosis ? "kurtosis" : "adjusted surface area"
        let bText = Quantity(result.effectiveBFactor, unit: "Å²", digits: 1).formatted
        let b = r.region.box
        var rows = [["Method", "\(c.settings.method.rawValue): \(c.settings.summary)"],
                    ["Why", c.reason],
                    ["Map B before → after", "\(Quantity(r.mapBFactor.bFactor, unit: "Å²", digits: 1).formatted) → \(c.mapBAfter.map { Quantity($0, unit: "Å²", digits: 1).formatted } ?? "n/a")"],
                    ["Score (\(what))", String(format: "%.4f (unsharpened %@)", c.score, c.referenceScore.map { String(format: "%.4f", $0) } ?? "n/a")],
                    ["Scored region", "\(r.region.how): \(b.size.x)×\(b.size.y)×\(b.size.z) voxels from (\(b.start.x), \(b.start.y), \(b.start.z)), solvent fraction \(String(format: "%.3f", r.region.solventFraction))"],
                    ["Molecular volume", String(format: "%.0f Å³ (%@); the contour encloses %d voxels (%.0f %% of it)", r.molecularVolume.volume, r.molecularVolume.source.rawValue, r.region.enclosedVoxels, 100 * r.parameters.enclosedFraction)],
                    ["Region weight", String(format: "%.2f (%@)", r.regionWeight, r.regionWeightSource)],
                    ["Resolution cut-off", String(format: "%.2f Å (%.3f × %.2f Å, soft edge)", r.cutoff.resolution, SharpeningDefaults.dMinRatio, r.parameters.resolution)],
                    ["Trials", "\(r.trials.count)"]]
        if let local = r.local { rows.append(["Local sharpening", "\(local.cubes.count) cubes of \(local.edge) voxels (\(local.skipped) with too little molecule keep the global sharpening)"]) }
        if let w = r.halfMapLocal?.windowsSummary { rows.append(["Local sharpening", w]) }
        let trialRows = r.trials.map { t -> [String] in
            [String(t.index), t.stage.rawValue, t.settings?.method.rawValue ?? "none", t.settings?.summary ?? "cut-off only",
             t.score.map { String(format: "%.4f", $0) } ?? "n/a", String(format: "%.3f", t.measurement.surfaceRatio),
             String(t.measurement.regions), String(format: "%.2f", t.measurement.kurtosis), t.index == c.trial ? "chosen" : ""]
        }
        let glance = [GlanceRow("Auto-sharpening (\(what))", "\(bText) (\(effect))", "\(c.settings.method.rawValue) · \(context.cellID)", priority: GlanceRow.Priority.sharpening + 2)]
        let tsv = Data(SharpeningTables.trials(r).utf8)
        return CellPresentation(
            summary: "\(effect.prefix(1).uppercased() + effect.dropFirst()) \(result.mapDescription) by \(c.settings.method.rawValue) (\(c.settings.summary)), chosen by the \(what). Map: \(context.cellID).sharpened.",
            figures: [
                PresentedFigure(name: "score", title: "Sharpening score",
                                caption: "The \(what) of the scored region after each trial sharpening (applied factor exp(−B s²/4): negative B sharpens, positive B blurs); the chosen value is marked, and the \(SharpeningScoreFigure.referenceStyle(index: 0).patternName) line is the B that would flatten the map's own Guinier slope (map B \(Quantity(r.mapBFactor.bFactor, unit: "Å²", digits: 1).formatted)).",
                                figure: Self.scoreFigure(r)),
                PresentedFigure(name: "montage", title: montageTitle,
                                caption: "Central slices of \(result.mapDescription) (top) and the \(effect) map (bottom), each in its own standard deviations, one grey scale for both.",
                                figure: montage, data: ["rows": ["original", effect]]),
                PresentedFigure(name: "surfaces", title: "Surfaces, original and \(effect)",
                                caption: String(format: "The map before sharpening and the %@ map seen along x, y and z, each at the level that encloses the molecular volume (%.0f Å³, %@), so the two differ only in shape.", effect, r.molecularVolume.volume, r.molecularVolume.source.rawValue),
                                figure: SurfaceViewFigure(title: "Surfaces, original and \(effect)", maps: result.surfaces, colorBar: nil),
                                data: ["levels": result.surfaces.map { String($0.surface.level) }]),
                PresentedFigure(name: "guinier", title: "Guinier plot",
                                caption: "ln(mean amplitude) per shell against 1/d² before and after \(BFactorWording.gerund(result.effectiveBFactor)); the \(effect) curve stops at the \(String(format: "%.2f", r.cutoff.resolution)) Å cut-off. The \(GuinierFigure.fitStyle.patternName) line is a straight-line fit of the curve before sharpening over the range where the map's own B is measured (shaded; the search places its grid by the same fit on the scored region, map B \(Quantity(r.mapBFactor.bFactor, unit: "Å²", digits: 1).formatted)); the B in the corner is \(c.settings.bFactor != nil ? "the B applied, chosen by the search" : "the change in Guinier slope over that range, as a B").",
                                figure: guinier),
            ],
            tables: [ReportTable(title: "Automatic sharpening", columns: [], rows: rows),
                     // Dozens of rows that few readers need: folded in the HTML (printed in full in the PDF and notebook).
                     ReportTable(title: "Trials", columns: ["#", "stage", "method", "parameters", "score", "surface ratio", "regions", "kurtosis", ""], rows: trialRows,
                                 collapsed: true)],
            glance: glance,
            flags: r.warnings,
            notes: r.notes,
            dataFiles: [DataFile(name: "sharpen_trials.tsv", data: tsv)],
            verdicts: [Verdict.summarising(VerdictRules.sharpening(r, effectiveBFactor: result.effectiveBFactor, section: context.title), section: context.title,
                                           passReason: "\(effect) by \(c.settings.method.rawValue) (B \(bText))")])
    }
}
