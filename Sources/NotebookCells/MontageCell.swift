import Foundation
import Figures
import MapbookCore
import MapModel
import Notebook

/// `kind: montage` — the central X, Y and Z slices of one or more maps, one row per map, with
/// one grey scale for the whole montage.
public struct MontageCell: NotebookCell {
    /// How the montage is drawn.
    public struct Parameters: DeclaredParameters, Equatable {
        /// Lower and upper percentile of the slice values that set the grey range.
        @Parameter("percentiles", .closed(0, 100), "lower and upper percentile of all slice values that set black and white")
        public var percentiles: [Double] = [1, 99]
        /// Express each map in its own standard deviations first.
        @Parameter("standardize", "express each map in its own standard deviations before the shared grey scale")
        public var standardize = true
        /// The defaults.
        public init() {}

        /// Two percentiles, lower then upper.
        public func validateTogether() throws {
            guard percentiles.count == 2, percentiles[0] < percentiles[1] else {
                throw ParameterProblem(key: "percentiles", value: percentiles.parameterText, "must be two numbers, lower then upper")
            }
        }
    }

    /// The maps, one row each.
    public var maps: [PlanReference] = []
    /// Row labels (default: the maps' names).
    public var labels: [String]?
    /// How the montage is drawn.
    public var parameters = Parameters()

    /// The cell with every default (and no maps).
    public init() {}

    enum CodingKeys: String, CodingKey { case maps, labels }

    /// The name written as `kind:` in plans.
    public static let kind = "montage"
    /// Revision 2: the result keeps the slices, and `present` draws the figure. 4: a map
    /// whose cell applied a positive B is labelled "blurred", not "sharpened".
    public static let revision = 4
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Central X, Y and Z slices of one or more maps, one row per map, one grey scale for all."
    /// Slices only: next to nothing in a batch.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 1)
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Central slices"
    /// The keys of the inputs and report settings, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("maps", default: nil, "the maps to show, one row each (a list of map references)"),
        CellOption("labels", default: "the maps' names", "row labels, one per map", shownInStarterPlan: false),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = []

    /// Decodes the cell's keys; missing keys take the defaults above.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.contains(.maps) else { throw PlanProblem("a montage cell needs maps: a list of map references", at: decoder.planPosition) }
        maps = try c.decode([PlanReference].self, forKey: .maps)
        if maps.isEmpty { throw PlanProblem("maps is empty; list at least one map reference", at: try c.superDecoder(forKey: .maps).planPosition) }
        labels = try c.decodeIfPresent([String].self, forKey: .labels)
        if let l = labels, l.count != maps.count {
            throw PlanProblem("labels has \(l.count) entries for \(maps.count) maps", at: try c.superDecoder(forKey: .labels).planPosition)
        }
        parameters = try Parameters(planKeyedFrom: decoder)
    }

    /// The maps, labels and every parameter, by plan key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maps, forKey: .maps)
        try c.encodeIfPresent(labels, forKey: .labels)
        try parameters.encodeParameters(to: encoder)
    }

    /// The references the cell reads.
    public var inputs: [CellInput] { maps.map { CellInput("maps", $0, .map) } }

    /// Runs the analysis.
    public func run(_ context: CellContext) throws -> CellProduct<[SliceMontageFigure.Row]> {
        var rows: [(label: String, volume: Volume)] = []
        for (i, r) in maps.enumerated() {
            // A label that says "sharpened" (given or made) says "blurred" when the map's cell applied a positive B.
            let label = labels.map { BFactorWording.relabel($0[i], bFactor: BFactorWording.appliedB(of: r, context: context)) }
            rows.append((label ?? BFactorWording.mapLabel(r, context: context), try context.map(r)))
        }
        return CellProduct(result: SliceMontageFigure.rows(rows, standardize: parameters.standardize))
    }

    /// Figures, tables and at-a-glance numbers for the report.
    public func present(_ rows: [SliceMontageFigure.Row], _ context: PresentationContext) -> CellPresentation {
        let result = SliceMontageFigure(title: "Central slices", rows: rows, lowerPercentile: parameters.percentiles[0],
                                        upperPercentile: parameters.percentiles[1], standardized: parameters.standardize)
        let scale = result.standardized ? "each map divided by its own standard deviation after subtracting its mean, then " : ""
        let caption = "Central slices through the box, one row per map. X: the y–z plane at the box centre with y to the right and z up; Y: x right, z up; Z: x right, y up. Grey scale: \(scale)black at \(NiceTicks.format(result.lower, decimals: 2))\(result.standardized ? "σ" : "") and white at \(NiceTicks.format(result.upper, decimals: 2))\(result.standardized ? "σ" : ""), the \(NiceTicks.format(result.percentiles[0], decimals: 1))–\(NiceTicks.format(result.percentiles[1], decimals: 1)) percentile of all slices shown, the same for every tile."
        // The data file describes the montage (rows, slices, grey range); the pixels are the
        // maps' own voxels and would only bloat the JSON.
        struct Summary: Encodable {
            struct Row: Encodable { var label: String; var slices: [String]; var sizes: [[Int]] }
            var rows: [Row]; var black: Double; var white: Double; var percentiles: [Double]; var standardized: Bool
        }
        let summary = Summary(rows: result.rows.map { .init(label: $0.label, slices: $0.slices.map { "\($0.label) (\($0.orientation))" }, sizes: $0.slices.map { [$0.width, $0.height] }) },
                              black: result.lower, white: result.upper, percentiles: result.percentiles, standardized: result.standardized)
        return CellPresentation(figures: [PresentedFigure(name: "montage", title: "Central slices", caption: caption, figure: result, data: summary)])
    }
}
