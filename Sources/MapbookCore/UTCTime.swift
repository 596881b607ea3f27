import Foundation

/// Dates as mapbook writes them: always UTC, always in the POSIX locale, so a timestamp reads
/// the same whatever the machine's time zone and language (batches run on many hosts).
public enum UTCTime {
    /// The layouts mapbook writes; each use picks one by what its reader needs.
    public enum Format: String, Sendable, CaseIterable {
        /// ISO 8601 to the second, "2025-03-01T14:05:09Z": status files, indexes, PDF metadata, logs.
        case iso = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        /// ISO 8601 to the millisecond, "2025-03-01T14:05:09.123Z": run events, which can
        /// follow each other within a second.
        case isoMilliseconds = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        /// "2025-03-01 14:05:09": MRC labels, which hold only 80 characters.
        case labelSeconds = "yyyy-MM-dd HH:mm:ss"
        /// "2025-03-01 14:05": the command-line tool's MRC labels, which also name the version
        /// and the step.
        case labelMinutes = "yyyy-MM-dd HH:mm"
        /// "2025-03-01 14:05 UTC": for people reading a report.
        case readable = "yyyy-MM-dd HH:mm 'UTC'"
    }

    /// `date` in `format`, in UTC.
    public static func string(_ date: Date, _ format: Format) -> String {
        // A formatter per call: DateFormatter is not safe to share across threads, and dates
        // are written rarely enough that the cost does not matter.
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = format.rawValue
        return f.string(from: date)
    }
}
