import Figures
import FocusedMaps
import Foundation
import MapbookCore
import MapModel
import Notebook

/// `kind: composite` — a weighted composite of focused maps (phenix.combine_focused_maps),
/// each part of each map weighted by its correlation with the model there; the report shows
/// which map contributes where as coloured slices.
public struct CompositeCell: NotebookCell {
    /// What `run` keeps for the report: the scores and the coloured slices.
    public struct Result: Codable, Sendable {
        /// Which map won where.
        public var report: FocusedCompositeReport
        /// The composite's slices coloured by the maps' weights.
        public var figure: CompositeSlicesFigure
    }

    /// The focused maps.
    public var maps: [PlanReference] = []
    /// The model all maps share.
    public var model = PlanReference("dataset", "model")
    /// How maps are scored and weighted.
    public var parameters = FocusedMapsParameters()

    /// The cell with every default (and no maps).
    public init() {}

    enum CodingKeys: String, CodingKey { case maps, model }

    /// The name written as `kind:` in plans.
    public static let kind = "composite"
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Combine focused maps into one composite, each part weighted by its map–model correlation (phenix.combine_focused_maps)."
    /// Placement, model maps and weights: a few maps' worth of passes.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 10)
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Composite of focused maps"
    /// The keys of the inputs, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("maps", default: nil, "the focused maps, at least two (map references; any grids, sizes, voxel sizes and origins)"),
        CellOption("model", default: "dataset.model", "the model all maps share (a file reference)"),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = [CellOutputSpec("composite", .map, "the composite map")]

    /// The algorithm's peak, for the memory estimate.
    public var peakMapCopies: Double { FocusedComposite.peakMapCopies(inputs: maps.count) + Double(maps.count) }

    /// Decodes the cell's keys; `maps` is required.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.contains(.maps) else { throw PlanProblem("a composite cell needs maps: a list of at least two map references", at: decoder.planPosition) }
        maps = try c.decode([PlanReference].self, forKey: .maps)
        if maps.count < 2 {
            throw PlanProblem("maps has \(maps.count) entr\(maps.count == 1 ? "y" : "ies"); a composite needs at least two", at: try c.superDecoder(forKey: .maps).planPosition)
        }
        model = try c.decodeIfPresent(PlanReference.self, forKey: .model) ?? model
        parameters = try FocusedMapsParameters(planKeyedFrom: decoder)
    }

    /// The maps, the model and every parameter, by plan key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maps, forKey: .maps)
        try c.encode(model, forKey: .model)
        try parameters.encodeParameters(to: encoder)
    }

    /// The references the cell reads.
    public var inputs: [CellInput] { maps.map { CellInput("maps", $0, .map) } + [CellInput("model", model, .file)] }

    /// Builds the composite.
    public func run(_ context: CellContext) throws -> CellProduct<Result> {
        guard let modelPath = context.path(model) else { throw MapbookError("the model reference \(model) names no file") }
        let atoms = try AtomicModelFile.read(path: modelPath)
        let inputs = try maps.map { r in
            FocusedMapInput(map: try context.map(r), model: atoms, name: context.label(r), modelName: (modelPath as NSString).lastPathComponent)
        }
        let r = try FocusedComposite.run(inputs, parameters: parameters, progress: context.progress)
        let figure = CompositeSlicesFigure(title: "Which map contributes where", composite: r.composite, weights: r.weights, names: inputs.map(\.name))
        return CellProduct(result: Result(report: r.report, figure: figure), maps: ["composite": r.composite])
    }

    /// The coloured slices and the tables of scores.
    public func present(_ r: Result, _ context: PresentationContext) -> CellPresentation {
        let report = r.report
        func f(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "–" }
        let names = report.maps.map(\.name)
        let caption = "Central slices of the composite (\(report.gridSize.map(String.init).joined(separator: " × ")) voxels of \(String(format: "%.3f", report.gridVoxelSize)) Å). Each pixel has the colour of the maps' weights there (" + names.enumerated().map { "\(OkabeIto.name(of: CompositeSlicesFigure.color($0)) ?? "colour \($0 + 1)") for \($1)" }.joined(separator: ", ") + ", mixed where they share) and is as bright as the composite's density (black at its 1st percentile, full colour at its 99.5th)."
        let mapsTable = ReportTable(title: "Maps", columns: ["map", "voxels", "voxel size (Å)", "CC with B = 0 model map", "residues won"],
                                    rows: report.maps.map { [$0.name, $0.size.map(String.init).joined(separator: " × "), String(format: "%.3f", $0.voxelSize[0]), f($0.correlation), "\($0.residuesWon)"] })
        let chains = ReportTable(title: "Chains", columns: ["chain", "residues"] + names.map { "CC \($0)" } + ["won by"],
                                 rows: report.chains.map { c in [c.chain, "\(c.residues)"] + c.correlations.map(f) + [c.winner.map { names[$0] } ?? "–"] })
        let residues = ReportTable(title: "Residues", columns: ["chain", "residue", "name"] + names.flatMap { ["CC \($0)", "weight \($0)"] } + ["won by"],
                                   rows: report.residues.map { r in [r.chain, r.number, r.name] + zip(r.correlations, r.weights).flatMap { [f($0), String(format: "%.2f", $1)] } + [r.winner.map { names[$0] } ?? "–"] },
                                   note: "CC over the residues within \(report.residueWindow) of each residue in its chain; weights with power \(report.weightPower.formatted()) and smoothing \(report.smoothing.formatted()) Å: \(report.weighting).",
                                   collapsed: true)
        let summary = "The composite of \(names.count) focused maps, each weighted part by part by its correlation with a B = 0 map of the model. " +
            report.chains.map { c in "Chain \(c.chain): \(c.winner.map { names[$0] } ?? "no map")" }.joined(separator: "; ") + "."
        return CellPresentation(summary: summary,
                                figures: [PresentedFigure(name: "composite", title: "Which map contributes where", caption: caption, figure: r.figure,
                                                          data: report)],
                                tables: [mapsTable, chains, residues], dataFiles: [DataFile(name: "composite_table.tsv", data: Data(report.residueTable.utf8))])
    }
}
