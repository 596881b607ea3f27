import Foundation
import MapbookCore
import Notebook
import NotebookCells

/// The facility index: one row per dataset of a batch with the numbers a facility compares,
/// each linked to its report. Written as index.html (a sortable table), index.json and
/// index.csv, each file atomically, with a thumbnail per dataset and one figure overlaying
/// every dataset's FSC in `index_files/`.
///
/// Besides the columns, a row has the dataset's date, pixel size, box and symmetry, and its
/// findings: the report's verdict lines, counted by level, and its flags. A resolution that is
/// only a limit (Nyquist) is marked as one, shown "≤ 7.08 Å (Nyquist)" and sorted as a limit.
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
        /// Set when the number is a limit, not a measurement ("at_most" for a Nyquist-limited
        /// resolution: the true value is at most the number).
        public var limit: QuantityLimit.Side?

        /// A value.
        public init(value: Double?, display: String, cell: String?, limit: QuantityLimit.Side? = nil) {
            self.value = value; self.display = display; self.cell = cell; self.limit = limit
        }

        static let notApplicable = Value(value: nil, display: "n/a", cell: nil)
        static let noReport = Value(value: nil, display: "no report", cell: nil)

        /// Whether the value says only that there is none ("n/a", "no report").
        var isMissing: Bool { value == nil && [Self.notApplicable.display, Self.noReport.display].contains(display) }
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
    /// The figure overlaying every dataset's FSC, relative to the index (nil until written, or
    /// when no dataset has a curve).
    public var overlay: String?

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
            if let summary {
                r.figure = thumbnailSource(in: folder, summary: summary).map { entry.name + "/" + $0 }
                r.fscCurve = fscTable(in: folder, row: r).map { entry.name + "/" + $0 }
            }
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
                   columns: values, flags: summary?.flags ?? [], seconds: status?.seconds,
                   verdicts: Verdict.worstFirst(summary?.cells.flatMap { $0.verdicts ?? [] } ?? []),
                   symmetry: summary?.symmetry, grid: summary?.grid)
    }

    /// The folder beside index.html that holds the page's images: thumbnails and the FSC overlay.
    public static let filesFolder = "index_files"

    /// Writes the thumbnails and the FSC overlay into `index_files/`, then index.json,
    /// index.csv and index.html into the batch folder (each atomically); the page from the
    /// templates in `templateDirectory` where it has them. An image that cannot be made is
    /// left out (the page says so); it never stops the index.
    public func write(to layout: BatchLayout, templateDirectory: String? = nil) throws {
        var index = self
        _ = try index.html(templateDirectory: templateDirectory)   // a broken template stops everything before any file is written
        try FileManager.default.createDirectory(atPath: layout.root + "/" + Self.filesFolder + "/thumbnails", withIntermediateDirectories: true)
        index.makeThumbnails(root: layout.root)
        index.overlay = index.writeFSCOverlay(root: layout.root)
        let page = try index.html(templateDirectory: templateDirectory)
        try AtomicFile.write(try CanonicalJSON.encode(index), to: layout.root + "/index.json")
        try AtomicFile.write(Data(index.csv().utf8), to: layout.root + "/index.csv")
        try AtomicFile.write(Data(page.utf8), to: layout.root + "/index.html")
    }

    /// The CSV: plain numbers in each column's unit, empty where there is none; beside a column
    /// that may hold limits, `<column>_limit` says which values are ("at_most": the true value is
    /// at most the number).
    public func csv() -> String {
        func field(_ s: String) -> String {
            s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func text(_ v: Value, _ column: IndexColumn.Column) -> [String] {
            let main = column.isNumeric ? v.value.map { String(format: "%.4f", $0) } ?? "" : (v.isMissing ? "" : field(v.display))
            return column.mayBeLimit ? [main, v.limit?.rawValue ?? ""] : [main]
        }
        let columns = Self.columns
        let headers = columns.flatMap { $0.mayBeLimit ? [$0.csvHeader, $0.csvHeader + "_limit"] : [$0.csvHeader] }
        var lines = [(["dataset", "state", "date", "pixel_size_A", "box", "symmetry"] + headers
                      + ["fail_count", "caution_count", "pass_count", "flag_count", "verdicts", "flags", "thumbnail", "report"]).joined(separator: ",")]
        for r in datasets {
            let s = r.severity
            let verdicts: [String] = r.verdicts.map { "\($0.level.rawValue): \($0.section): \($0.reason)" }
            let pixel: String = r.grid.map { String(format: "%.4f", $0.voxelSize) } ?? ""
            let box: String = r.grid.map { $0.box.map(String.init).joined(separator: "x") } ?? ""
            var fields: [String] = [field(r.dataset), field(r.state), r.date.map(field) ?? "", pixel, box, r.symmetry.map(field) ?? ""]
            fields += columns.flatMap { text(r[$0], $0) }
            fields += ["\(s.fail)", "\(s.caution)", "\(s.pass)", "\(s.flags)"]
            fields += [field(verdicts.joined(separator: " | ")), field(r.flags.joined(separator: " | ")), field(r.thumbnail ?? ""), field(r.report ?? "")]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
