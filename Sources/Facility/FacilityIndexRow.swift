import Foundation
import Notebook

extension FacilityIndex {
    /// One dataset. In index.json a row is one object: its own fields beside one entry per
    /// column (`"fscResolution": {"value": …, "display": …, "cell": …}`), so a column a kind
    /// adds appears without a format change.
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
        /// The numbers, by column key (`IndexColumn.Column.key`).
        public var columns: [String: Value]
        /// Every warning of the report.
        public var flags: [String]
        /// Seconds the last task took.
        public var seconds: Double?
        /// Every section's verdict line (failed and skipped cells included), worst first.
        public var verdicts: [Verdict]
        /// The dataset's point group.
        public var symmetry: String?
        /// The dataset's box and voxel size.
        public var grid: DatasetGrid?
        /// The report figure the thumbnail shows, relative to the index.
        public var figure: String?
        /// The thumbnail, relative to the index (made when the index is written).
        public var thumbnail: String?
        /// The FSC table of the cell that fills the resolution column, relative to the index.
        public var fscCurve: String?

        /// A row.
        public init(dataset: String, manifestLine: Int, state: String, message: String?, report: String?, reportIsPrevious: Bool,
                    reportStarted: String?, columns: [String: Value], flags: [String], seconds: Double?, verdicts: [Verdict] = [],
                    symmetry: String? = nil, grid: DatasetGrid? = nil, figure: String? = nil, fscCurve: String? = nil) {
            self.dataset = dataset; self.manifestLine = manifestLine; self.state = state; self.message = message; self.report = report
            self.reportIsPrevious = reportIsPrevious; self.reportStarted = reportStarted; self.columns = columns
            self.flags = flags; self.seconds = seconds; self.verdicts = verdicts; self.symmetry = symmetry; self.grid = grid
            self.figure = figure; self.fscCurve = fscCurve
        }

        /// The date of the report's run ("2024-05-01"), from its start time.
        public var date: String? { reportStarted.map { String($0.prefix(10)) } }

        /// The value of `column` ("n/a" when the row has none).
        public subscript(column: IndexColumn.Column) -> Value { columns[column.key] ?? .notApplicable }

        /// The row's own fields; every other key of a row object is a column.
        static let fieldKeys: Set<String> = ["dataset", "manifestLine", "state", "message", "report", "reportIsPrevious",
                                             "reportStarted", "flags", "seconds", "verdicts", "verdictCounts", "symmetry", "grid",
                                             "figure", "thumbnail", "fscCurve"]

        /// A key of a row object.
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ s: String) { stringValue = s }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        /// Reads a row object: its fields, and every other key as a column.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            dataset = try c.decode(String.self, forKey: Key("dataset"))
            manifestLine = try c.decode(Int.self, forKey: Key("manifestLine"))
            state = try c.decode(String.self, forKey: Key("state"))
            message = try c.decodeIfPresent(String.self, forKey: Key("message"))
            report = try c.decodeIfPresent(String.self, forKey: Key("report"))
            reportIsPrevious = try c.decode(Bool.self, forKey: Key("reportIsPrevious"))
            reportStarted = try c.decodeIfPresent(String.self, forKey: Key("reportStarted"))
            flags = try c.decode([String].self, forKey: Key("flags"))
            seconds = try c.decodeIfPresent(Double.self, forKey: Key("seconds"))
            verdicts = try c.decodeIfPresent([Verdict].self, forKey: Key("verdicts")) ?? []
            symmetry = try c.decodeIfPresent(String.self, forKey: Key("symmetry"))
            grid = try c.decodeIfPresent(DatasetGrid.self, forKey: Key("grid"))
            figure = try c.decodeIfPresent(String.self, forKey: Key("figure"))
            thumbnail = try c.decodeIfPresent(String.self, forKey: Key("thumbnail"))
            fscCurve = try c.decodeIfPresent(String.self, forKey: Key("fscCurve"))
            columns = [:]
            for key in c.allKeys where !Self.fieldKeys.contains(key.stringValue) {
                columns[key.stringValue] = try c.decode(Value.self, forKey: key)
            }
        }

        /// Writes the row object (absent optionals are left out, as before columns were declared).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(dataset, forKey: Key("dataset"))
            try c.encode(manifestLine, forKey: Key("manifestLine"))
            try c.encode(state, forKey: Key("state"))
            try c.encodeIfPresent(message, forKey: Key("message"))
            try c.encodeIfPresent(report, forKey: Key("report"))
            try c.encode(reportIsPrevious, forKey: Key("reportIsPrevious"))
            try c.encodeIfPresent(reportStarted, forKey: Key("reportStarted"))
            try c.encode(flags, forKey: Key("flags"))
            try c.encodeIfPresent(seconds, forKey: Key("seconds"))
            try c.encode(verdicts, forKey: Key("verdicts"))
            try c.encode(severity, forKey: Key("verdictCounts"))
            try c.encodeIfPresent(symmetry, forKey: Key("symmetry"))
            try c.encodeIfPresent(grid, forKey: Key("grid"))
            try c.encodeIfPresent(figure, forKey: Key("figure"))
            try c.encodeIfPresent(thumbnail, forKey: Key("thumbnail"))
            try c.encodeIfPresent(fscCurve, forKey: Key("fscCurve"))
            for (key, value) in columns where !Self.fieldKeys.contains(key) { try c.encode(value, forKey: Key(key)) }
        }
    }
}
