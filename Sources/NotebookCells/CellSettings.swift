import Foundation
import MapbookCore
import Notebook

/// Which mask an FSC uses: none, one made from the half maps, or a map the plan names.
/// Written `none`, `auto` or a reference such as `dataset.mask`.
public enum MaskSetting: Codable, Sendable, Equatable {
    /// No mask.
    case none
    /// A soft mask made from the average of the half maps.
    case automatic
    /// A mask map.
    case map(PlanReference)

    /// Decodes `none`, `auto` or a reference.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch text {
        case "none": self = .none
        case "auto": self = .automatic
        default:
            guard let r = PlanReference(parsing: text, position: decoder.planPosition) else {
                throw PlanProblem("mask must be none, auto or a map reference such as dataset.mask; got '\(text)'", at: decoder.planPosition)
            }
            self = .map(r)
        }
    }

    /// Encodes as written in plans.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .none: try c.encode("none")
        case .automatic: try c.encode("auto")
        case .map(let r): try c.encode(r.description)
        }
    }

    /// The reference, when the mask is a map.
    public var reference: PlanReference? { if case .map(let r) = self { return r } else { return nil } }
}

/// An FSC threshold to draw and read: a number (0.143, 0.5) or `half_bit`.
public enum ThresholdSetting: ParameterValue, Hashable {
    /// A constant threshold.
    case fixed(Double)
    /// van Heel & Schatz's half-bit curve.
    case halfBit

    /// Reads `half_bit` or a number.
    public init(parameterText text: String) throws {
        if text.trimmingCharacters(in: .whitespaces) == "half_bit" { self = .halfBit; return }
        guard let v = try? Double(parameterText: text) else { throw ParameterTextError(expected: Self.valueDescription) }
        self = .fixed(v)
    }
    /// `half_bit` or the number.
    public var parameterText: String {
        switch self {
        case .fixed(let v): return v.parameterText
        case .halfBit: return "half_bit"
        }
    }
    /// "half_bit or a number".
    public static var valueDescription: String { "half_bit or a number" }
    /// The constant threshold.
    public var numericValue: Double? { if case .fixed(let v) = self { return v } else { return nil } }

    /// Reads a number or `"half_bit"` from JSON.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Double.self) { self = .fixed(v) } else { self = try Self(parameterText: c.decode(String.self)) }
    }

    /// Encodes as written in plans.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .fixed(let v): try c.encode(v)
        case .halfBit: try c.encode("half_bit")
        }
    }
}
