import Foundation

/// A column of the facility index that a cell kind fills: which column, from what, and how
/// strongly it claims the column. Kinds declare these in `NotebookCell.indexColumns`, next to
/// their outputs, so the facility reads a run summary without knowing any kind by name.
public struct IndexColumn: Sendable {
    /// A column of the index, the same whichever kind fills it (the definitions are in
    /// IndexColumns.swift, in one place, so their order and keys are seen together).
    public struct Column: Sendable, Hashable {
        /// The row's key in index.json.
        public var key: String
        /// The heading on the index page.
        public var header: String
        /// The heading in index.csv (with the unit, as the CSV holds bare numbers).
        public var csvHeader: String
        /// The unit of the column's numbers ("" for text): a quantity in another unit is shown
        /// but not sorted or written to the CSV as a number, which would mix units.
        public var unit: String
        /// Whether the column holds numbers (sorted and written to the CSV as numbers) or text.
        public var isNumeric: Bool
        /// Place from left to right (smaller first).
        public var order: Int
        /// Whether a value may be a limit rather than a measurement (`Quantity.limit`): the
        /// CSV then has a `<csvHeader>_limit` column beside it saying which ones are.
        public var mayBeLimit: Bool

        /// A column.
        public init(key: String, header: String, csvHeader: String, unit: String, isNumeric: Bool, order: Int, mayBeLimit: Bool = false) {
            self.key = key; self.header = header; self.csvHeader = csvHeader; self.unit = unit; self.isNumeric = isNumeric; self.order = order
            self.mayBeLimit = mayBeLimit
        }
    }

    /// Where the column's value comes from.
    public enum Source: Sendable {
        /// One of the kind's outputs (a name in `outputs`), as reports print it.
        case output(String)
        /// Words made from the cell's resolved parameters (canonical JSON), for a column that
        /// says what the cell was set to do rather than what it measured; nil when they cannot
        /// be made.
        case settings(@Sendable (_ parametersJSON: Data) -> String?)

        /// Words made from the cell's parameters, decoded as the kind's own type.
        public static func settings<Cell: NotebookCell>(of kind: Cell.Type, _ words: @escaping @Sendable (Cell) -> String) -> Source {
            .settings { json in (try? CanonicalJSON.decode(Cell.self, from: json)).map(words) }
        }
    }

    /// The column.
    public var column: Column
    /// What fills it.
    public var source: Source
    /// When a plan has cells of several kinds that fill the column, those of the highest
    /// priority do (post-processing's corrected resolution over a plain FSC's).
    public var priority: Int

    /// A column the kind fills from `source`.
    public init(_ column: Column, from source: Source, priority: Int = 0) {
        self.column = column; self.source = source; self.priority = priority
    }
}
