import Foundation
import MapbookCore

/// A low-pass after sharpening as a user chooses it: `none`, `fsc` (at the final FSC
/// resolution) or a resolution in Å.
public enum LowPassChoice: ParameterValue, Equatable {
    /// No low-pass.
    case none
    /// At the final FSC 0.143 resolution.
    case fscResolution
    /// At this resolution, Å.
    case resolution(Double)

    /// Reads `none`, `fsc` or a number.
    public init(parameterText text: String) throws {
        switch text.trimmingCharacters(in: .whitespaces) {
        case "none": self = .none
        case "fsc": self = .fscResolution
        default:
            guard let d = try? Double(parameterText: text) else { throw ParameterTextError(expected: Self.valueDescription) }
            self = .resolution(d)
        }
    }
    /// `none`, `fsc` or the number.
    public var parameterText: String {
        switch self {
        case .none: return "none"
        case .fscResolution: return "fsc"
        case .resolution(let d): return d.parameterText
        }
    }
    /// "none, fsc or a number".
    public static var valueDescription: String { "none, fsc or a number" }
    /// The resolution, when one is given.
    public var numericValue: Double? { if case .resolution(let d) = self { return d } else { return nil } }

    /// Reads the written form from JSON.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode(Double.self) { self = .resolution(d) } else { self = try Self(parameterText: c.decode(String.self)) }
    }
    /// Writes `"none"`, `"fsc"` or the number.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .none: try c.encode("none")
        case .fscResolution: try c.encode("fsc")
        case .resolution(let d): try c.encode(d)
        }
    }
}
