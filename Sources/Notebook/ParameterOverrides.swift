import Foundation
import MapbookCore

/// Parameter values that replace what a plan writes, by cell id and key.
///
/// An executed notebook uses them: a code cell whose parameters were edited runs the plan with
/// its edits as overrides, so the plan file stays as written and the cache key of the edited
/// cell (and of the cells downstream of it) changes, while every other cell's does not.
/// Values are written as in a plan (`auto`, `-50`, `0.143, 0.5`).
public struct ParameterOverrides: Sendable, Equatable {
    /// Written value by parameter key, by cell id.
    public var values: [String: [String: String]]

    /// No overrides.
    public static let none = ParameterOverrides([:])

    /// Overrides with these values.
    public init(_ values: [String: [String: String]]) { self.values = values }

    /// Whether there is nothing to override.
    public var isEmpty: Bool { values.values.allSatisfy(\.isEmpty) }

    /// Reads a JSON object `{"cell id": {"key": value}}` (values: numbers, true/false, text, or
    /// lists of those) from `path`.
    public static func load(path: String) throws -> ParameterOverrides {
        let data = try InputFile.contents(of: path, kind: "parameter overrides file")
        return try parse(data, path: path)
    }

    /// Reads the JSON object of `load` from `data`; `path` names it in errors.
    public static func parse(_ data: Data, path: String) throws -> ParameterOverrides {
        guard let object = try? JSONDecoder().decode([String: [String: WrittenValue]].self, from: data) else {
            throw MapbookError("parameter overrides must be a JSON object {\"cell id\": {\"key\": value}} whose values are numbers, true/false, text or lists of those", path: path)
        }
        return ParameterOverrides(object.mapValues { $0.mapValues(\.text) })
    }

    /// One JSON value as a plan writes it.
    struct WrittenValue: Decodable {
        var text: String

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) {
                text = b ? "true" : "false"
            } else if let i = try? c.decode(Int64.self) {
                text = String(i)   // whole numbers as integers, so an integer parameter reads them
            } else if let d = try? c.decode(Double.self) {
                guard d.isFinite else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a finite number") }
                text = d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
            } else if let s = try? c.decode(String.self) {
                text = s
            } else {
                let items = try c.decode([WrittenValue].self)
                guard !items.isEmpty else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "an empty list") }
                text = items.map(\.text).joined(separator: ", ")
            }
        }
    }
}
