import Foundation
import MapbookCore
import Notebook

/// One analysis cell's outputs as the notebook shows them: the text it prints, its figures
/// and tables, and why it did not succeed.
///
/// report.ipynb embeds these outputs, and writes them to `notebook/<cell>/cell.json` too; an
/// executed notebook's code cell reads that file back (after `mapbook run --cell` rewrote it)
/// and displays exactly the same outputs, so re-running a notebook never changes or loses one.
struct NotebookCellOutput: Codable, Equatable {
    /// A figure: its PNG's path relative to the report folder, its alt text, and the HTML the
    /// notebook shows (an image by that path: the notebook lives in the report folder, and
    /// embedding every PNG again would double the report's size).
    struct FigureOutput: Codable, Equatable {
        var png: String
        var text: String
        var width: Int
        var height: Int
        var html: String
    }

    /// A table, as HTML and as plain text.
    struct TableOutput: Codable, Equatable {
        var html: String
        var plain: String
    }

    /// The cell's id.
    var id: String
    /// "executed", "cached", "failed" or "skipped".
    var status: String
    /// What the cell prints (its title and status, summary and flags).
    var text: String
    /// The failure or skip reason, printed on stderr.
    var error: String?
    var figures: [FigureOutput]
    var tables: [TableOutput]

    /// The outputs of `cell`, its figures' PNGs at `figurePath(stem)` in the report folder.
    init(_ cell: ReportContent.CellItem, figurePath: (String) -> String) {
        let r = cell.record
        id = r.id
        status = r.status.rawValue
        var text = "\(r.title): \(cell.statusText)\n"
        if let s = cell.summary { text += s + "\n" }
        for f in cell.flags { text += "flag: \(f)\n" }
        for n in cell.notes { text += "note: \(n)\n" }
        self.text = text
        error = r.succeeded ? nil : "\(r.id) \(r.status.rawValue): \(r.message ?? "")"
        figures = r.succeeded ? cell.figures.map {
            let path = figurePath($0.stem), width = Int($0.figure.size.width), height = Int($0.figure.size.height)
            return FigureOutput(png: path, text: "\($0.title): \($0.caption)", width: width, height: height,
                                html: "<img src=\"\(HTMLEscape.escape(path))\" width=\"\(width)\" height=\"\(height)\" alt=\"\(HTMLEscape.escape($0.title))\">")
        } : []
        tables = r.succeeded ? cell.tables.map { TableOutput(html: JupyterNotebook.htmlTable($0), plain: JupyterNotebook.plainTable($0)) } : []
    }

    /// The file holding a cell's outputs, relative to the report folder.
    static func path(cell id: String) -> String { "notebook/\(id)/cell.json" }

    /// The JSON written to `path(cell:)`.
    func json() throws -> Data { try JSONPolicy.encode(self, pretty: true, nonFinite: .null) }
}
