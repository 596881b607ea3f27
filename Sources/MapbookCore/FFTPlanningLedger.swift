import Foundation

/// What FFT planning has cost this process: seconds spent in the planner and how each plan was
/// made. Kept here (not in FourierEngine) so that the notebook engine, which imports no
/// algorithm module, can record it in a run's provenance.
public final class FFTPlanningLedger: @unchecked Sendable {
    /// The process's ledger.
    public static let shared = FFTPlanningLedger()

    /// How one plan was made.
    public enum Source: String, Sendable, Codable {
        /// Taken from the wisdom file (no measuring).
        case wisdom
        /// Measured within the planning time limit.
        case measured
        /// Made by FFTW's estimating planner because the time limit was spent: slower to run,
        /// and measured by a later run that still has time left.
        case estimated
        /// A `reproducible` plan (always estimated, by design).
        case reproducible
    }

    /// A reading of the ledger.
    public struct Reading: Sendable, Codable, Equatable {
        /// Seconds spent making plans.
        public var seconds: Double = 0
        /// Plans made, by source.
        public var plans: [String: Int] = [:]

        /// The reading's growth since `earlier`.
        public func since(_ earlier: Reading) -> Reading {
            var out = Reading(seconds: max(0, seconds - earlier.seconds))
            for (k, v) in plans where v - (earlier.plans[k] ?? 0) > 0 { out.plans[k] = v - (earlier.plans[k] ?? 0) }
            return out
        }
    }

    private let lock = NSLock()
    private var current = Reading()

    /// Records one plan that took `seconds` to make.
    public func record(_ source: Source, seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        current.seconds += seconds
        current.plans[source.rawValue, default: 0] += 1
    }

    /// The totals so far.
    public var reading: Reading {
        lock.lock(); defer { lock.unlock() }
        return current
    }
}
