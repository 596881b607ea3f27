import Foundation
import MapbookCore
import Notebook

/// The facility index: one row per dataset of a batch with the numbers a facility compares,
/// each linked to its report. Written as index.html (a sortable table), index.json and
/// index.csv, each file atomically.
///
/// The numbers come from each report's `summary.json` (written inside the report bundle, so
/// they always match the report they link to). When a plan has several cells of a kind, the
/// one whose id is the kind speaks for it, else the first in plan order:
///
/// | column | from |
/// |---|---|
/// | FSC resolution | the `postprocess` cell's `resolution` (masked, corrected); without one, the `fsc` cell's |
/// | B | the `postprocess` cell's `bfactor` |
/// | local resolution (median) | the `local_resolution` cell's `median` |
/// | sharpening | a sharpening cell's (`sharpen`, `auto_sharpen`, `local_sharpen`) `method`, else the `postprocess` cell's B choice |
/// | DM gain | a density-modification cell's (`density_modification`, `density_modify`) `gain` |
/// | flags | every warning of the report, failed and skipped cells included |
///
/// A column whose cell the plan does not have reads "n/a"; one whose cell failed or was skipped
/// reads "failed" or "skipped" (empty in the CSV and null in the JSON either way).
public struct FacilityIndex: Codable, Sendable {
    /// One value of a row: the number (nil when there is none) and how the page prints it.
    public struct Value: Codable, Sendable, Equatable {
        /// The number, in the unit of the column.
        public var value: Double?
        /// The text shown ("3.21 Å", "n/a", "failed", "≥ 4.00 Å (Nyquist)").
        public var display: String
        /// The cell it comes from.
        public var cell: String?

        static let notApplicable = Value(value: nil, display: "n/a", cell: nil)
    }

    /// One dataset.
    public struct Row: Codable, Sendable {
        /// The dataset's name.
        public var dataset: String
        /// The manifest line.
        public var manifestLine: Int
        /// The last task's state ("completed", "cell_failures", "failed", "running"), or
        /// "not run" when no task recorded anything.
        public var state: String
        /// The last task's error or failed cells.
        public var message: String?
        /// The report page, relative to the index (nil when no report exists).
        public var report: String?
        /// Whether the report shown is older than the last task (which did not finish).
        public var reportIsPrevious: Bool
        /// When the report's run started.
        public var reportStarted: String?
        /// The numbers.
        public var fscResolution: Value
        public var bfactor: Value
        public var localResolutionMedian: Value
        public var sharpening: Value
        public var densityModificationGain: Value
        /// Every warning of the report.
        public var flags: [String]
        /// Seconds the last task took.
        public var seconds: Double?
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

    /// Kinds whose cells feed the sharpening and density-modification columns.
    public static let sharpeningKinds = ["sharpen", "auto_sharpen", "local_sharpen", "map_sharpening"]
    public static let densityModificationKinds = ["density_modification", "density_modify", "densmod"]

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
        func number(_ kinds: [String], _ output: String) -> Value {
            guard let s = summary else { return Value(value: nil, display: "no report", cell: nil) }
            guard let c = s.primaryCell(ofKind: kinds) else { return .notApplicable }
            guard c.status == .executed || c.status == .cached else { return Value(value: nil, display: c.status.rawValue, cell: c.id) }
            guard let q = c.numbers[output] else { return Value(value: nil, display: "n/a", cell: c.id) }
            return Value(value: q.value.isFinite ? q.value : nil, display: q.formatted, cell: c.id)
        }
        var fsc = number(["postprocess"], "resolution")
        if let s = summary, !s.hasCell(ofKind: ["postprocess"]), s.hasCell(ofKind: ["fsc"]) {
            fsc = number(["fsc"], "resolution")
        }
        var sharpening = Value.notApplicable
        if let s = summary {
            if s.hasCell(ofKind: sharpeningKinds) {
                let n = number(sharpeningKinds, "method")
                sharpening = Value(value: nil, display: n.display, cell: n.cell)
            } else if let p = s.primaryCell(ofKind: ["postprocess"]), p.status == .executed || p.status == .cached {
                let parameters = (try? JSONSerialization.jsonObject(with: Data(p.parameters.utf8))) as? [String: Any]
                if let b = parameters?["bfactor"] as? String { sharpening = Value(value: nil, display: "global B (\(b))", cell: p.id) }
                else if let b = parameters?["bfactor"] as? NSNumber { sharpening = Value(value: nil, display: "global B (fixed \(b))", cell: p.id) }
                else { sharpening = Value(value: nil, display: "global B", cell: p.id) }
            } else if s.hasCell(ofKind: ["postprocess"]) {
                sharpening = number(["postprocess"], "bfactor")
                sharpening.value = nil
            }
        } else {
            sharpening = Value(value: nil, display: "no report", cell: nil)
        }
        let previous = summary != nil && status != nil && !(status!.hasReport)
        return Row(dataset: entry.name, manifestLine: entry.line, state: status?.state.rawValue ?? "not run", message: status?.message,
                   report: report, reportIsPrevious: previous, reportStarted: summary?.started,
                   fscResolution: fsc, bfactor: number(["postprocess"], "bfactor"),
                   localResolutionMedian: number(["local_resolution"], "median"), sharpening: sharpening,
                   densityModificationGain: number(densityModificationKinds, "gain"),
                   flags: summary?.flags ?? [], seconds: status?.seconds)
    }

    /// Writes index.json, index.csv and index.html into the batch folder (each atomically).
    public func write(to layout: BatchLayout) throws {
        try AtomicFile.write(try CanonicalJSON.encode(self), to: layout.root + "/index.json")
        try AtomicFile.write(Data(csv().utf8), to: layout.root + "/index.csv")
        try AtomicFile.write(Data(html().utf8), to: layout.root + "/index.html")
    }

    /// The CSV: plain numbers (Å, Å²), empty where there is none.
    public func csv() -> String {
        func field(_ s: String) -> String {
            s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func num(_ v: Value) -> String { v.value.map { String(format: "%.4f", $0) } ?? "" }
        var lines = ["dataset,state,fsc_resolution_A,bfactor_A2,local_resolution_median_A,sharpening,dm_gain,flag_count,flags,report"]
        for r in datasets {
            let sharpening = ["n/a", "no report"].contains(r.sharpening.display) ? "" : r.sharpening.display
            lines.append([field(r.dataset), r.state, num(r.fscResolution), num(r.bfactor), num(r.localResolutionMedian),
                          field(sharpening), num(r.densityModificationGain), "\(r.flags.count)",
                          field(r.flags.joined(separator: " | ")), field(r.report ?? "")].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
