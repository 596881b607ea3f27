import Foundation
import MapbookCore

/// A B-factor as a user chooses it: `auto` (fitted by the algorithm) or a number of Å²,
/// applied as exp(−B s²/4), so a negative B sharpens.
public enum BFactorChoice: ParameterValue, Equatable {
    /// Fitted by the algorithm.
    case automatic
    /// Given, Å².
    case fixed(Double)

    /// Reads `auto` or a number.
    public init(parameterText text: String) throws {
        if text.trimmingCharacters(in: .whitespaces) == "auto" { self = .automatic; return }
        guard let b = try? Double(parameterText: text) else { throw ParameterTextError(expected: Self.valueDescription) }
        self = .fixed(b)
    }
    /// `auto` or the number.
    public var parameterText: String {
        switch self {
        case .automatic: return "auto"
        case .fixed(let b): return b.parameterText
        }
    }
    /// "auto or a number".
    public static var valueDescription: String { "auto or a number" }
    /// The given B.
    public var numericValue: Double? { if case .fixed(let b) = self { return b } else { return nil } }

    /// Reads the written form from JSON (`"auto"` or a number).
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Double.self) { self = .fixed(b) } else { self = try Self(parameterText: c.decode(String.self)) }
    }
    /// Writes `"auto"` or the number.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .automatic: try c.encode("auto")
        case .fixed(let b): try c.encode(b)
        }
    }
}
