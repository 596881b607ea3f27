/// One finding about an MRC file, shared by the reader (which stops at the first error and
/// keeps the notes) and the validator (which lists everything).
struct MRCIssue: Equatable, Sendable {
    /// How serious a finding is.
    enum Severity: String, Sendable {
        /// The file cannot be read as a map.
        case error
        /// Non-standard or inconsistent, harmless to mapbook; other programs may disagree.
        case warning
        /// How mapbook chose to interpret something ambiguous (kept in `MapFile.notes`).
        case note
    }

    var severity: Severity
    var message: String

    static func error(_ message: String) -> MRCIssue { MRCIssue(severity: .error, message: message) }
    static func warning(_ message: String) -> MRCIssue { MRCIssue(severity: .warning, message: message) }
    static func note(_ message: String) -> MRCIssue { MRCIssue(severity: .note, message: message) }

    /// "error: …", "warning: …" or "note: …", the form `MRCFile.validate` returns.
    var line: String { "\(severity.rawValue): \(message)" }
}

extension Array where Element == MRCIssue {
    /// The first error, if any.
    var firstError: MRCIssue? { first { $0.severity == .error } }
    /// The messages of the notes.
    var notes: [String] { filter { $0.severity == .note }.map(\.message) }
}
