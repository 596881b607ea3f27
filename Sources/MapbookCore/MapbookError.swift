import Foundation

/// A user-facing failure: one line that names the file (when there is one) and the problem.
///
/// Every error that reaches the command line is one of these, so the CLI can print it as
/// `mapbook: error: <file>: <problem>` and exit nonzero.
public struct MapbookError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file the problem is about, if any.
    public var path: String?
    /// What is wrong, in words a user acts on. A single line.
    public var problem: String

    /// Creates an error about `path` (or about no file when `path` is nil).
    public init(_ problem: String, path: String? = nil) {
        self.problem = problem
        self.path = path
    }

    /// `path: problem`, or just `problem` when no file is involved. Always one line.
    public var description: String {
        let oneLine = problem.replacingOccurrences(of: "\n", with: " ")
        if let path { return "\(path): \(oneLine)" }
        return oneLine
    }
}
