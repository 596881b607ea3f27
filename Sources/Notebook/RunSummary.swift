import Foundation

/// The numbers of a finished run in one small JSON file (`summary.json` in the report bundle):
/// the dataset, every analysis cell's status, parameters and numbers, and the report's flags.
/// Facility pages read it instead of re-deriving numbers from figures or HTML.
public struct RunSummary: Codable, Sendable, Equatable {
    /// One analysis cell.
    public struct Cell: Codable, Sendable, Equatable {
        /// Id.
        public var id: String
        /// Kind.
        public var kind: String
        /// Outcome.
        public var status: CellStatus
        /// Error or skip reason.
        public var message: String?
        /// Numbers made, by output name.
        public var numbers: [String: Quantity]
        /// The resolved parameters as canonical JSON text.
        public var parameters: String
        /// Warnings the cell raised.
        public var flags: [String]
        /// The section's verdict lines (nil in summaries made before verdicts).
        public var verdicts: [Verdict]?
    }

    /// Format of this file; bump on incompatible changes.
    public var format = 1
    /// The dataset's name.
    public var dataset: String
    /// The report title.
    public var title: String
    /// The plan file.
    public var planPath: String
    /// mapbook's version.
    public var mapbookVersion: String
    /// Start of the run (ISO 8601, UTC).
    public var started: String
    /// Seconds the cells took.
    public var wallSeconds: Double
    /// Analysis cells in plan order.
    public var cells: [Cell]
    /// Every warning of the report: cells' flags, then failed and skipped cells.
    public var flags: [String]
    /// The dataset's point group ("C1" when the plan gives none; nil in older summaries).
    public var symmetry: String?
    /// The dataset's grid, from its first map's header (nil when no map could be read, and in
    /// older summaries).
    public var grid: DatasetGrid?

    /// The summary of `run`.
    public init(_ run: NotebookRun) {
        dataset = run.plan.datasetName
        title = run.plan.title
        planPath = run.provenance.planPath
        mapbookVersion = run.provenance.mapbookVersion
        started = run.provenance.started
        wallSeconds = run.provenance.wallSeconds
        cells = run.cells.map { r in
            Cell(id: r.id, kind: r.kind, status: r.status, message: r.message, numbers: r.numbers,
                 parameters: String(decoding: r.parameters, as: UTF8.self), flags: r.presentation?.flags ?? [], verdicts: r.verdicts)
        }
        symmetry = run.plan.dataset.symmetry ?? "C1"
        grid = DatasetGrid(run.plan)
        var flags: [String] = []
        for r in run.cells {
            flags += r.presentation?.flags ?? []
            if r.status == .failed { flags.append("cell '\(r.id)' failed: \(r.message ?? "")") }
            if r.status == .skipped { flags.append("cell '\(r.id)' skipped: \(r.message ?? "")") }
        }
        self.flags = flags
    }

    /// Whether the plan has a cell of one of `kinds` (whatever its outcome).
    public func hasCell(ofKind kinds: [String]) -> Bool { cells.contains { kinds.contains($0.kind) } }
}
