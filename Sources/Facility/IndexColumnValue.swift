import Foundation
import Notebook
import NotebookCells

extension FacilityIndex {
    /// The value of `column` in a report: from the cell that speaks for the column among the
    /// plan's cells whose kinds declare it (`NotebookCell.indexColumns`). No kind is named
    /// here; a kind the registry does not know (a summary from another version) fills nothing.
    static func value(of column: IndexColumn.Column, in summary: RunSummary) -> Value {
        // Each cell that fills the column, with its kind's declaration.
        let fillers: [(kind: String, declaration: IndexColumn)] = summary.cells.compactMap { cell in
            CellKinds.kind(named: cell.kind)?.indexColumns.first { $0.column == column }.map { (cell.kind, $0) }
        }
        guard let top = fillers.map(\.declaration.priority).max() else { return .notApplicable }
        let kinds = fillers.filter { $0.declaration.priority == top }.map(\.kind)
        guard let cell = summary.primaryCell(ofKind: kinds),
              let declaration = fillers.first(where: { $0.kind == cell.kind })?.declaration else { return .notApplicable }
        guard cell.status == .executed || cell.status == .cached else { return Value(value: nil, display: cell.status.rawValue, cell: cell.id) }
        switch declaration.source {
        case .output(let name):
            guard let q = cell.numbers[name] else { return Value(value: nil, display: Value.notApplicable.display, cell: cell.id) }
            let number = column.isNumeric && q.unit == column.unit && q.value.isFinite ? q.value : nil
            return Value(value: number, display: q.formatted, cell: cell.id)
        case .settings(let words):
            return Value(value: nil, display: words(Data(cell.parameters.utf8)) ?? Value.notApplicable.display, cell: cell.id)
        }
    }
}
