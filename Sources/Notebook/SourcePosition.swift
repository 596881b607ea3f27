import Foundation
import MapbookCore
import Yams

/// A place in a plan file: 1-based line and column, as editors show them.
public struct SourcePosition: Equatable, Hashable, Sendable {
    /// Line, from 1.
    public var line: Int
    /// Column, from 1 (in Unicode scalars).
    public var column: Int

    /// A position.
    public init(line: Int, column: Int) { self.line = line; self.column = column }

    /// The position of a YAML mark.
    init(_ mark: Mark) { self.init(line: mark.line, column: mark.column) }
}

/// A problem with a plan, found where it is: raised while decoding, turned by `PlanParser` into
/// the one-line `file:line:column: problem` error the user sees.
public struct PlanProblem: Error, Sendable {
    /// What is wrong.
    public var message: String
    /// Where, when known.
    public var position: SourcePosition?

    /// A problem at `position`.
    public init(_ message: String, at position: SourcePosition?) {
        self.message = message
        self.position = position
    }

    /// The user-facing error for the plan at `path`: "plan.yaml:12:5: message".
    func error(path: String) -> MapbookError {
        if let position { return MapbookError(message, path: "\(path):\(position.line):\(position.column)") }
        return MapbookError(message, path: path)
    }
}

extension Decoder {
    /// Where the value being decoded sits in the plan, when it came from YAML.
    public var planPosition: SourcePosition? { mark.map(SourcePosition.init) }
}
