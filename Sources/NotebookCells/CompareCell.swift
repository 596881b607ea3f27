import Foundation
import MapbookCore
import MapModel
import Notebook

/// `kind: compare` — a table of numbers from earlier cells side by side, and a table of maps
/// with their grids, statistics and correlation with the first map.
public struct CompareCell: NotebookCell {
    /// Numbers to list.
    public var numbers: [PlanReference] = []
    /// Maps to compare.
    public var maps: [PlanReference] = []

    /// The cell with every default (nothing to compare).
    public init() {}

    enum CodingKeys: String, CodingKey { case numbers, maps }

    /// Revision 2: a map whose cell applied a positive B is labelled "blurred", not "sharpened".
    public static let revision = 2
    /// The name written as `kind:` in plans.
    public static let kind = "compare"
    /// What the cell does, for `mapbook init` and listings.
    public static let summary = "Tables comparing numbers from earlier cells and maps (grid, statistics, correlation with the first map)."
    /// Statistics and correlations only: next to nothing in a batch.
    public static let batchCost = BatchCost(secondsPerMegavoxel: 1)
    /// The heading when the plan gives no title.
    public static let defaultTitle = "Comparison"
    /// The keys of the inputs and report settings, with defaults and meanings.
    public static let inputOptions: [CellOption] = [
        CellOption("numbers", default: "[]", "numbers to list (references such as postprocess.resolution)"),
        CellOption("maps", default: "[]", "maps to compare (references such as dataset.half_map_1, postprocess.sharpened)"),
    ]
    /// The values later cells and markdown can refer to.
    public static let outputs: [CellOutputSpec] = []

    /// Decodes the cell's keys; at least one number or map is required.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        numbers = try c.decodeIfPresent([PlanReference].self, forKey: .numbers) ?? []
        maps = try c.decodeIfPresent([PlanReference].self, forKey: .maps) ?? []
        if numbers.isEmpty && maps.isEmpty {
            throw PlanProblem("a compare cell needs numbers or maps (lists of references)", at: decoder.planPosition)
        }
    }

    /// Map-sized buffers at the peak: each map compared (read as the cell comes to it);
    /// statistics and correlations stream over them, with a map's working copy. Measured with
    /// `bench/e2e_512.sh` (three maps): one map above the map count at 256³.
    public var peakMapCopies: Double { Double(maps.count) + 2 }

    /// The references the cell reads.
    public var inputs: [CellInput] { numbers.map { CellInput("numbers", $0, .number) } + maps.map { CellInput("maps", $0, .map) } }

    /// The comparison tables' rows.
    public struct Result: Codable, Sendable {
        /// Number rows: reference, what it is, value.
        public var numberRows: [[String]]
        /// Map rows: name, box, voxel size, minimum, maximum, mean, standard deviation, correlation with the first map.
        public var mapRows: [[String]]
    }

    /// Runs the analysis.
    public func run(_ context: CellContext) throws -> CellProduct<Result> {
        let numberRows = try numbers.map { [$0.description, context.describe($0), try context.number($0).formatted] }
        var mapRows: [[String]] = []
        var first: Volume? = nil
        for r in maps {
            let v = try context.map(r)
            let s = v.statistics
            var cc = "—"
            if let f = first {
                cc = f.grid.size == v.grid.size ? String(format: "%.3f", f.correlation(with: v)) : "different grid"
            } else {
                first = v
                cc = "1 (reference)"
            }
            let g = v.grid
            func number(_ v: Double) -> String { String(format: "%.4g", v).replacingOccurrences(of: "-", with: "−") }
            mapRows.append([BFactorWording.mapLabel(r, context: context), "\(g.size.x)×\(g.size.y)×\(g.size.z)", String(format: "%.3f Å", g.voxelSize.x),
                            number(Double(s.min)), number(Double(s.max)), number(s.mean), number(s.rms), cc])
        }
        return CellProduct(result: Result(numberRows: numberRows, mapRows: mapRows))
    }

    /// Figures, tables and at-a-glance numbers for the report.
    public func present(_ result: Result, _ context: PresentationContext) -> CellPresentation {
        var tables: [ReportTable] = []
        if !result.numberRows.isEmpty {
            tables.append(ReportTable(title: "Numbers", columns: ["Reference", "What", "Value"], rows: result.numberRows))
        }
        if !result.mapRows.isEmpty {
            tables.append(ReportTable(title: "Maps", columns: ["Map", "Box", "Voxel", "Min", "Max", "Mean", "SD", "CC with first"],
                                      rows: result.mapRows, note: "CC: Pearson correlation over the whole box with the first map listed."))
        }
        return CellPresentation(tables: tables)
    }
}
