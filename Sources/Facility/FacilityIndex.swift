import Foundation
import MapbookCore
import Notebook
import NotebookCells

/// The facility index: one row per dataset of a batch with the numbers a facility compares,
/// each linked to its report. Written as index.html (a sortable table), index.json and
/// index.csv, each file atomically.
///
/// The numbers come from each report's `summary.json` (written inside the report bundle, so
/// they always match the report they link to). The columns are those the cell kinds declare
/// (`NotebookCell.indexColumns`): each says which output (or setting) fills which column and
/// with what priority; among a plan's cells of the top priority, the one whose id is its kind
/// speaks for the column, else the first in plan order. The flags column holds every warning
/// of the report, failed and skipped cells included.
///
/// A column whose kinds the plan does not have reads "n/a"; one whose cell failed or was
/// skipped reads "failed" or "skipped" (empty in the CSV and null in the JSON either way).
public struct FacilityIndex: Codable, Sendable {
    /// One value of a row: the number (nil when there is none) and how the page prints it.
    public struct Value: Codable, Sendable, Equatable {
        /// The number, in the unit of the column.
        public var value: Double?
        /// The text shown ("3.21 Å", "n/a", "failed", "≥ 4.00 Å (Nyquist)").
        public var display: String
        /// The cell it comes from.
        public var cell: String?

        /// A value.
        public init(value: Double?, display: String, cell: String?) { self.value = value; self.display = display; self.cell = cell }

        static let notApplicable = Value(value: nil, display: "n/a", cell: nil)
        static let noReport = Value(value: nil, display: "no report", cell: nil)
    }

    /// Format of index.json.
    public var format = 1
    /// The manifest.
    public var manifest: String
    /// When the index was made.
    public var generated: String
    /// mapbook's version.
    public var mapbookVersion: String
    /// One row per manifest entry, in manifest order.
    public var datasets: [Row]

    /// The numeric and text columns, left to right: every column a registered kind fills, so
    /// every batch's index has the same shape whatever its plans hold.
    public static let columns: [IndexColumn.Column] =
        Set(CellKinds.all.flatMap { $0.indexColumns.map(\.column) }).sorted { ($0.order, $0.key) < ($1.order, $1.key) }

    /// Reads every dataset's status and report summary. `states` (dataset → words) replaces
    /// the status files' state where the scheduler knows better ("interrupted (cancelled)").
    public static func build(manifest: BatchManifest, layout: BatchLayout, mapbookVersion: String, date: Date = Date(),
                             states: [String: String] = [:]) -> FacilityIndex {
        let rows = manifest.entries.map { entry -> Row in
            let status = TaskStatus.read(layout.status(entry.name))
            let folder = layout.report(entry.name)
            let summary = FileManager.default.contents(atPath: folder + "/summary.json").flatMap { try? CanonicalJSON.decode(RunSummary.self, from: $0) }
            let page = ["report.html", "report.pdf", "report.ipynb"].first { FileManager.default.fileExists(atPath: folder + "/" + $0) }
            var r = row(entry: entry, status: status, summary: summary, report: page.map { entry.name + "/" + $0 })
            if let s = states[entry.name] { r.state = s }
            return r
        }
        return FacilityIndex(manifest: manifest.path, generated: UTCTime.string(date, .iso), mapbookVersion: mapbookVersion, datasets: rows)
    }

    /// The row of one dataset.
    static func row(entry: BatchManifest.Entry, status: TaskStatus?, summary: RunSummary?, report: String?) -> Row {
        let previous = summary != nil && status != nil && !(status!.hasReport)
        let values = Dictionary(uniqueKeysWithValues: columns.map { column in (column.key, summary.map { value(of: column, in: $0) } ?? .noReport) })
        return Row(dataset: entry.name, manifestLine: entry.line, state: status?.state.rawValue ?? "not run", message: status?.message,
                   report: report, reportIsPrevious: previous, reportStarted: summary?.started,
                   columns: values, flags: summary?.flags ?? [], seconds: status?.seconds)
    }

    /// Writes index.json, index.csv and index.html into the batch folder (each atomically);
    /// the page from the templates in `templateDirectory` where it has them.
    public func write(to layout: BatchLayout, templateDirectory: String? = nil) throws {
        let page = try html(templateDirectory: templateDirectory)
        try AtomicFile.write(try CanonicalJSON.encode(self), to: layout.root + "/index.json")
        try AtomicFile.write(Data(csv().utf8), to: layout.root + "/index.csv")
        try AtomicFile.write(Data(page.utf8), to: layout.root + "/index.html")
    }

    /// The CSV: plain numbers in each column's unit, empty where there is none.
    public func csv() -> String {
        func field(_ s: String) -> String {
            s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func text(_ v: Value, _ column: IndexColumn.Column) -> String {
            if column.isNumeric { return v.value.map { String(format: "%.4f", $0) } ?? "" }
            return [Value.notApplicable.display, Value.noReport.display].contains(v.display) ? "" : field(v.display)
        }
        let columns = Self.columns
        var lines = [(["dataset", "state"] + columns.map(\.csvHeader) + ["flag_count", "flags", "report"]).joined(separator: ",")]
        for r in datasets {
            lines.append(([field(r.dataset), r.state] + columns.map { text(r[$0], $0) }
                          + ["\(r.flags.count)", field(r.flags.joined(separator: " | ")), field(r.report ?? "")]).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
