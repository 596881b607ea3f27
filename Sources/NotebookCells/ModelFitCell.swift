import Foundation
import Figures
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps
import ModelValidation
import Notebook

/// `kind: model_fit` — how well the model fits the map, as EMDB and Phenix report it: the
/// map–model FSC (and against each half map), CC_mask/box/volume/peaks, d99 and d_model,
/// Q-score per residue against its expected value, and atom inclusion (`ModelFit.run`).
public struct ModelFitCell: NotebookCell {
    /// The fit's parameters and how many worst residues the report lists.
    public struct Parameters: DeclaredParameters, Equatable {
        /// The fit's parameters.
        public var fit = ModelFitParameters()
        /// Residues listed in the worst-residue table.
        @Parameter("worst_residues", .closed(1, 1000), "residues with the lowest Q-score listed in the report")
        public var worstResidues = 20
        /// The defaults.
        public init() {}
    }

    /// The map; nil until resolved (`dataset.full_map` when the dataset has one, else the
    /// average of the half maps).
    public var map: PlanReference?
    /// The model.
    public var model = PlanReference("dataset", "model")
    /// The half maps: the resolution (unless given) and the overfitting check.
    public var halfMaps = PlanReference("dataset", "half_maps")
    /// A local-resolution map, for each residue's local resolution.
    public var localResolution: PlanReference?
    /// The parameters.
    public var parameters = Parameters()

    /// The cell with every default.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case map, model, halfMaps = "half_maps", localResolution = "local_resolution"
    }

    /// The name written as `kind:` in plans.
    public static let kind = "model_fit"
    /// Revision 2: the result keeps the parameters it was made with.
    public static let revision = 2
    /// The algorithm's peak, for the memory estimate.
    public var peakMapCopies: Double { ModelFit.peakMapCopies + 2 }
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Map–model fit as EMDB and Phenix report it: map–model FSC (and per half map), CC family, d99/d_model, Q-score per residue, atom inclusion."
    /// Model maps, Q-score sampling and a d_model scan: a few FSCs' worth.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 20)
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Model fit"
    /// The keys of the inputs, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("map", default: "dataset.full_map if the dataset has one, else the average of the half maps", "the map the model was built into (a map reference)", shownInStarterPlan: false),
        CellOption("model", default: "dataset.model", "the atomic model (a file reference)"),
        CellOption("half_maps", default: "dataset.half_maps", "the two half maps: the resolution, unless given, and the map–model FSC against each half"),
        CellOption("local_resolution", default: "none", "a local-resolution map (e.g. local_resolution.resolution_map): each residue's local resolution", shownInStarterPlan: false),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = [
        CellOutputSpec("mean_q", .number, "the model's mean Q-score"),
        CellOutputSpec("expected_q", .number, "Q-score expected at the map's resolution (σ = 0.6 Å)"),
        CellOutputSpec("cc_mask", .number, "map–model correlation inside the model mask (CC_mask)"),
        CellOutputSpec("cc_box", .number, "map–model correlation over the box (CC_box)"),
        CellOutputSpec("d_fsc_model", .number, "map–model FSC 0.5 crossing, Å (model mask)"),
        CellOutputSpec("d_model", .number, "d_model, Å"),
        CellOutputSpec("d99", .number, "d99, Å"),
        CellOutputSpec("atom_inclusion", .number, "percentage of atoms inside the contour"),
    ]
    /// Mean Q, CC_mask and d_FSC_model in the facility index.
    public static let indexColumns = [
        IndexColumn(.meanQ, from: .output("mean_q")), IndexColumn(.ccMask, from: .output("cc_mask")),
        IndexColumn(.dFSCModel, from: .output("d_fsc_model")),
    ]

    /// Decodes the inputs and, from JSON written by `encode`, the parameters.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        map = try c.decodeIfPresent(PlanReference.self, forKey: .map)
        model = try c.decodeIfPresent(PlanReference.self, forKey: .model) ?? model
        halfMaps = try c.decodeIfPresent(PlanReference.self, forKey: .halfMaps) ?? halfMaps
        localResolution = try c.decodeIfPresent(PlanReference.self, forKey: .localResolution)
        parameters = try Parameters(planKeyedFrom: decoder)
    }

    /// The inputs and every parameter, by plan key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(map, forKey: .map)
        try c.encode(model, forKey: .model)
        try c.encode(halfMaps, forKey: .halfMaps)
        try c.encodeIfPresent(localResolution, forKey: .localResolution)
        try parameters.encodeParameters(to: encoder)
    }

    /// The full map when the dataset has one.
    public mutating func resolveDefaults(for dataset: PlanDataset) {
        if map == nil && dataset.fullMap != nil { map = PlanReference("dataset", "full_map") }
    }

    /// The references the cell reads.
    public var inputs: [CellInput] {
        var i = [CellInput("model", model, .file), CellInput("half_maps", halfMaps, .halfMaps)]
        if let m = map { i.append(CellInput("map", m, .map)) }
        if let l = localResolution { i.append(CellInput("local_resolution", l, .map)) }
        return i
    }

    /// Runs the fit.
    public func run(_ context: CellContext) throws -> CellProduct<ModelFitReport> {
        let (h1, h2) = try context.halfMaps(halfMaps)
        let volume = try map.map { try Self.onGrid(context.map($0), of: h1, context.path($0) ?? $0.description) } ?? HalfMapPair.average(h1, h2)
        guard let modelPath = context.path(model) else { throw MapbookError("the model reference \(model) names no file") }
        let atoms = try AtomicModelFile.read(path: modelPath)
        let local = try localResolution.map { try Self.onGrid(context.map($0), of: h1, context.path($0) ?? $0.description) }
        let r = try ModelFit.run(map: volume, model: atoms, halves: (h1, h2), localResolution: local, parameters: parameters.fit,
                                 names: ModelFit.Names(map: map.map { context.path($0) ?? $0.description } ?? "the average of the half maps", model: modelPath),
                                 progress: context.progress)
        var numbers = ["mean_q": Quantity(r.meanQ, unit: "", digits: 3), "cc_mask": Quantity(r.correlations.mask, unit: "", digits: 3),
                       "cc_box": Quantity(r.correlations.box, unit: "", digits: 3),
                       "d_fsc_model": Quantity(r.fscMasked.resolutionAtHalf.interpolatedResolution, unit: "Å"),
                       "d_model": Quantity(r.resolutions.dModel, unit: "Å"), "d99": Quantity(r.resolutions.d99, unit: "Å"),
                       "atom_inclusion": Quantity(100 * r.atomInclusion, unit: "%", digits: 1)]
        if let e = r.expectedQ { numbers["expected_q"] = Quantity(e, unit: "", digits: 3) }
        return CellProduct(result: r, numbers: numbers)
    }

    /// A map on the half maps' grid (a placement within tolerance is taken as theirs).
    static func onGrid(_ v: Volume, of reference: Volume, _ name: String) throws -> Volume {
        if let why = reference.grid.mismatch(with: v.grid) { throw MapbookError("is not on the half maps' grid: \(why)", path: name) }
        var v = v
        v.grid = reference.grid
        return v
    }

    /// Figures, tables and at-a-glance numbers for the report.
    public func present(_ r: ModelFitReport, _ context: PresentationContext) -> CellPresentation {
        ModelFitPresentation.present(r, worst: parameters.worstResidues, cell: context.cellID, section: context.title)
    }
}
