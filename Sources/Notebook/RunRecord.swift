import Foundation

/// What happened to an analysis cell in a run.
public enum CellStatus: String, Codable, Sendable {
    /// Ran now.
    case executed
    /// Its result was reused from the cache.
    case cached
    /// It ran and threw; `message` says why.
    case failed
    /// It did not run because a cell it needs failed or was skipped.
    case skipped
}

/// One analysis cell's outcome: status, numbers, maps, presentation, cost.
public struct CellRecord: Sendable {
    /// The cell's id.
    public var id: String
    /// Its kind.
    public var kind: String
    /// Its heading.
    public var title: String
    /// What happened.
    public var status: CellStatus
    /// The error (failed) or the reason (skipped).
    public var message: String?
    /// The cache key, when the inputs could be identified.
    public var key: String?
    /// The resolved parameters, as canonical JSON.
    public var parameters: Data
    /// Numbers made, by output name.
    public var numbers: [String: Quantity]
    /// Maps made: output name → file in the cache.
    public var mapFiles: [String: String]
    /// Figures, tables and numbers for the report (nil for failed or skipped cells).
    public var presentation: CellPresentation?
    /// Wall time of the work (for a cached cell, of the run that made it).
    public var wallSeconds: Double
    /// Peak resident memory during the work, bytes (same caveat).
    public var peakMemoryBytes: Int?
    /// Peak resident memory estimated before the work, bytes (nil unless it ran now).
    public var estimatedPeakMemoryBytes: Int? = nil
    /// Seconds spent planning FFTs during the work (nil unless it ran now).
    public var fftPlanningSeconds: Double? = nil

    /// Whether the cell has a result (executed or cached).
    public var succeeded: Bool { status == .executed || status == .cached }
}

/// One entry of a finished notebook, in plan order.
public enum NotebookEntry: Sendable {
    /// A markdown cell with its references filled in.
    case markdown(String)
    /// An analysis cell.
    case cell(CellRecord)
}

/// A notable moment of a run, written to events.jsonl for dashboards.
public struct RunEvent: Codable, Sendable {
    /// ISO 8601 time.
    public var time: String
    /// "run_start", "cell_start", "cell_end", "run_end".
    public var event: String
    /// The cell, for cell events.
    public var cell: String?
    /// The cell's status, for cell_end.
    public var status: CellStatus?
    /// Seconds spent, for ends.
    public var seconds: Double?
    /// The error or skip reason.
    public var message: String?
}

/// A finished run: every cell's outcome in plan order, provenance and events.
public struct NotebookRun: Sendable {
    /// The plan that ran.
    public var plan: Plan
    /// Markdown and analysis cells, in plan order.
    public var entries: [NotebookEntry]
    /// Versions, inputs, command line, timings.
    public var provenance: Provenance
    /// Events, in order.
    public var events: [RunEvent]

    /// The analysis cells' outcomes.
    public var cells: [CellRecord] {
        entries.compactMap { if case .cell(let c) = $0 { return c } else { return nil } }
    }

    /// Cells that failed or were skipped.
    public var unsuccessfulCells: [CellRecord] { cells.filter { !$0.succeeded } }

    /// Cells executed in this run (not taken from the cache).
    public var executedCells: [String] { cells.filter { $0.status == .executed }.map(\.id) }
}
