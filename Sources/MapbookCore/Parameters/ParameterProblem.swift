import Foundation

/// A parameter value the library refuses, in the library's own words: the parameter's key,
/// the value as written, and why. Front ends say where the value was written: the command line
/// as a flag (`--randomize-at-fsc 1.5 must lie …`), a plan as `file:line:column` and key.
public struct ParameterProblem: Error, Sendable, CustomStringConvertible {
    /// The parameter's key (`randomize_at_fsc`).
    public var key: String
    /// The value as written, when there is one.
    public var value: String?
    /// Why it is refused, phrased to follow the value ("must lie between 0 and 1").
    public var reason: String

    /// A refused value.
    public init(key: String, value: String?, _ reason: String) {
        self.key = key; self.value = value; self.reason = reason
    }

    /// The problem with the parameter named as `name` (a key, a flag): "name value reason".
    public func phrased(naming name: String) -> String {
        [name, value, reason].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The problem with the parameter named by its key.
    public var description: String { phrased(naming: key) }
}
