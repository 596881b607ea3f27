import Foundation
import Notebook
import NotebookCells

extension FacilityIndex {
    /// The value of `column` in a report: from the cell that speaks for the column among the
    /// plan's cells whose kinds declare it (`NotebookCell.indexColumns`). No kind is named
    /// here; a kind the registry does not know (a summary from another version) fills nothing.
    ///
    /// Among the cells of the highest priority, the first that has a value speaks (the one
    /// whose id is its kind before the others): a sharpening cell that failed, or one cached
    /// before it named its method, does not hide a later one that has a method. When none has
    /// a value, the first says why ("failed", "skipped", "n/a").
    static func value(of column: IndexColumn.Column, in summary: RunSummary) -> Value {
        let candidates = speakers(for: column, in: summary)
        let ran = candidates.filter { $0.cell.status == .executed || $0.cell.status == .cached }
        let found = ran.lazy.map { value(of: column, in: $0.cell, declaration: $0.declaration) }.first { !$0.isMissing }
        return found ?? candidates.first.map { value(of: column, in: $0.cell, declaration: $0.declaration) } ?? .notApplicable
    }

    /// The cells of the highest priority that fill `column`, each with its kind's declaration:
    /// the one whose id is its kind first, then the others in plan order.
    static func speakers(for column: IndexColumn.Column, in summary: RunSummary) -> [(cell: RunSummary.Cell, declaration: IndexColumn)] {
        let fillers: [(cell: RunSummary.Cell, declaration: IndexColumn)] = summary.cells.compactMap { cell in
            CellKinds.kind(named: cell.kind)?.indexColumns.first { $0.column == column }.map { (cell, $0) }
        }
        guard let top = fillers.map(\.declaration.priority).max() else { return [] }
        let tier = fillers.filter { $0.declaration.priority == top }
        return tier.filter { $0.cell.id == $0.cell.kind } + tier.filter { $0.cell.id != $0.cell.kind }
    }

    /// What `cell` puts in `column`.
    static func value(of column: IndexColumn.Column, in cell: RunSummary.Cell, declaration: IndexColumn) -> Value {
        guard cell.status == .executed || cell.status == .cached else { return Value(value: nil, display: cell.status.rawValue, cell: cell.id) }
        switch declaration.source {
        case .output(let name):
            guard let q = cell.numbers[name] else { return Value(value: nil, display: Value.notApplicable.display, cell: cell.id) }
            let number = column.isNumeric && q.unit == column.unit && q.value.isFinite ? q.value : nil
            // A limit reads as one ("≤ 7.08 Å (Nyquist)"), whatever words the report uses.
            guard let limit = q.limit, number != nil else { return Value(value: number, display: q.formatted, cell: cell.id) }
            let plain = Quantity(q.value, unit: q.unit, digits: q.digits).formatted
            return Value(value: number, display: limit.text(plain), cell: cell.id, limit: limit.side)
        case .settings(let words):
            return Value(value: nil, display: words(Data(cell.parameters.utf8)) ?? Value.notApplicable.display, cell: cell.id)
        }
    }
}
