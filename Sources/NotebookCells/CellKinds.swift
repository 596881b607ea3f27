import Foundation
import MapbookCore
import Notebook

/// Every cell kind a plan may use. Adding a kind: write its `NotebookCell` type in one file
/// in this folder and add it to `all`. The engine (Notebook) is handed this list; it knows no
/// kind itself.
public enum CellKinds {
    /// The kinds, in the order `mapbook init` documents them.
    public static let all: [any NotebookCell.Type] = [
        FSCCell.self,
        PostprocessCell.self,
        LocalResolutionCell.self,
        LocalSharpenCell.self,
        SharpenCell.self,
        HalfMapSharpenCell.self,
        DensityModifyCell.self,
        ModelFitCell.self,
        MontageCell.self,
        ViewsCell.self,
        CompareCell.self,
        TruthCell.self,
        BoxCell.self,
        CompositeCell.self,
        BenchmarkCell.self,
    ]

    /// The kinds that analyse a cryo-EM dataset: every kind but `benchmark`, which reads a
    /// benchmark table and no map. What `mapbook init`'s starter plan offers and the demo runs.
    public static var datasetKinds: [any NotebookCell.Type] { all.filter { $0.kind != BenchmarkCell.kind } }

    /// The kind named `name`.
    public static func kind(named name: String) -> (any NotebookCell.Type)? {
        all.first { $0.kind == name }
    }

    /// The kind names, sorted, for error messages.
    public static var names: [String] { all.map { $0.kind }.sorted() }
}

extension PlanParser {
    /// Reads and checks the plan at `path`, whose cells may be of any of mapbook's kinds.
    public static func load(path: String) throws -> Plan {
        try load(path: path, kinds: CellKinds.all)
    }

    /// Checks and decodes plan `text`, whose cells may be of any of mapbook's kinds.
    public static func parse(_ text: String, path: String) throws -> Plan {
        try parse(text, path: path, kinds: CellKinds.all)
    }
}
