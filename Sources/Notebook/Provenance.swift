import Foundation
import MapbookCore

/// Where a report came from: program versions, inputs and their hashes, the command line, and
/// what each cell cost. Written as provenance.json beside the report.
public struct Provenance: Codable, Sendable {
    /// One input file.
    public struct Input: Codable, Sendable {
        /// The dataset field it was given as ("half_map_1").
        public var field: String
        /// Path as written in the plan.
        public var path: String
        /// Absolute path read.
        public var resolvedPath: String
        /// SHA-256 of the contents (nil when unreadable).
        public var sha256: String?
        /// Size in bytes.
        public var bytes: Int64?
        /// Why the file could not be hashed.
        public var problem: String?
    }

    /// One analysis cell.
    public struct Cell: Codable, Sendable {
        /// Id.
        public var id: String
        /// Kind.
        public var kind: String
        /// Outcome.
        public var status: CellStatus
        /// Cache key.
        public var key: String?
        /// Seconds of work (for cached cells, as recorded when made).
        public var wallSeconds: Double
        /// Peak resident memory during the work, bytes.
        public var peakMemoryBytes: Int?
        /// The peak resident memory estimated before the work, bytes (the cell's own maps, the
        /// maps the run holds and a fixed allowance; nil for cells that did not run now).
        public var estimatedPeakMemoryBytes: Int?
        /// Seconds the cell spent planning FFTs (nil for cells that did not run now).
        public var fftPlanningSeconds: Double?
        /// Error or skip reason.
        public var message: String?
    }

    /// mapbook's version.
    public var mapbookVersion: String
    /// Revision of the numerical engine, part of every cache key.
    public var engineRevision: String
    /// The command line, as given.
    public var commandLine: [String]
    /// The folder the command ran in.
    public var workingDirectory: String
    /// The machine.
    public var host: String
    /// Worker threads.
    public var threads: Int
    /// Start time (ISO 8601, UTC).
    public var started: String
    /// End of the cells (ISO 8601, UTC).
    public var finished: String
    /// Seconds from start to the end of the cells.
    public var wallSeconds: Double
    /// The plan file.
    public var planPath: String
    /// SHA-256 of the plan file's text.
    public var planSHA256: String
    /// The dataset's files.
    public var inputs: [Input]
    /// The cells.
    public var cells: [Cell]
    /// The cache folder used.
    public var cacheDirectory: String
    /// FFT planning during the run: seconds spent and plans made by source (wisdom, measured
    /// within the time limit, estimated once the limit was spent).
    public var fftPlanning: FFTPlanningLedger.Reading?
}

