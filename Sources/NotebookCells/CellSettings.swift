import Foundation
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

/// How the sharpening B-factor is chosen: `auto` (fitted on the Guinier plot) or a number in
/// Å² (negative sharpens).
public enum BFactorSetting: Codable, Sendable, Equatable {
    /// Fitted.
    case automatic
    /// Given, Å².
    case fixed(Double)

    /// Decodes `auto` or a number.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Double.self) {
            guard b.isFinite else { throw PlanProblem("bfactor must be a finite number of Å² or auto", at: decoder.planPosition) }
            self = .fixed(b); return
        }
        let text = try c.decode(String.self)
        guard text == "auto" else { throw PlanProblem("bfactor must be auto or a number of Å² (negative sharpens); got '\(text)'", at: decoder.planPosition) }
        self = .automatic
    }

    /// Encodes as written in plans.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .automatic: try c.encode("auto")
        case .fixed(let b): try c.encode(b)
        }
    }
}

/// An optional low-pass after sharpening: `none`, `fsc` (at the final FSC resolution) or a
/// resolution in Å.
public enum LowPassSetting: Codable, Sendable, Equatable {
    /// No low-pass.
    case none
    /// At the final FSC 0.143 resolution.
    case fscResolution
    /// At this resolution, Å.
    case resolution(Double)

    /// Decodes `none`, `fsc` or a number.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode(Double.self) {
            guard d > 0, d.isFinite else { throw PlanProblem("lowpass must be a positive resolution in Å, none or fsc; got \(d)", at: decoder.planPosition) }
            self = .resolution(d); return
        }
        let text = try c.decode(String.self)
        switch text {
        case "none": self = .none
        case "fsc": self = .fscResolution
        default: throw PlanProblem("lowpass must be none, fsc or a resolution in Å; got '\(text)'", at: decoder.planPosition)
        }
    }

    /// Encodes as written in plans.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .none: try c.encode("none")
        case .fscResolution: try c.encode("fsc")
        case .resolution(let d): try c.encode(d)
        }
    }
}

/// An FSC threshold to draw and read: a number (0.143, 0.5) or `half_bit`.
public enum ThresholdSetting: Codable, Sendable, Equatable, Hashable {
    /// A constant threshold.
    case fixed(Double)
    /// van Heel & Schatz's half-bit curve.
    case halfBit

    /// Decodes a number in (0, 1) or `half_bit`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Double.self) {
            guard v > 0, v < 1 else { throw PlanProblem("an FSC threshold lies between 0 and 1; got \(v)", at: decoder.planPosition) }
            self = .fixed(v); return
        }
        let text = try c.decode(String.self)
        guard text == "half_bit" else { throw PlanProblem("a threshold is a number between 0 and 1 or half_bit; got '\(text)'", at: decoder.planPosition) }
        self = .halfBit
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
