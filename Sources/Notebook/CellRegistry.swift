import Foundation

/// Every cell kind a plan may use. Adding a kind: write its `NotebookCell` type in one file
/// under Cells/ and add it to `kinds`.
public enum CellRegistry {
    /// The kinds, in the order `mapbook init` documents them.
    public static let kinds: [any NotebookCell.Type] = [
        FSCCell.self,
        PostprocessCell.self,
        LocalResolutionCell.self,
        LocalSharpenCell.self,
        SharpenCell.self,
        DensityModifyCell.self,
        MontageCell.self,
        CompareCell.self,
    ]

    /// The kind named `name`.
    public static func kind(named name: String) -> (any NotebookCell.Type)? {
        kinds.first { $0.kind == name }
    }

    /// The kind names, sorted, for error messages.
    public static var names: [String] { kinds.map { $0.kind }.sorted() }

    /// Keys every analysis cell takes besides its own options.
    public static let commonKeys = ["kind", "id", "title"]
}
