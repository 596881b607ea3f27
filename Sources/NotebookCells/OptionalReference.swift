import Foundation
import Notebook

/// An input that may be turned off: a reference, or `none`. Cells whose input defaults to a
/// dataset file when there is one (the mask of a montage, the model, the sequence) use it, so
/// a plan can say `mask: none`.
public enum OptionalReference: Codable, Sendable, Equatable {
    /// Not used.
    case none
    /// The file or map the reference names.
    case reference(PlanReference)

    /// Decodes `none` or a reference.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        if text == "none" { self = .none; return }
        guard let r = PlanReference(parsing: text, position: decoder.planPosition) else {
            throw PlanProblem("expected none or a reference such as dataset.mask; got '\(text)'", at: decoder.planPosition)
        }
        self = .reference(r)
    }

    /// Encodes as written in plans.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .none: try c.encode("none")
        case .reference(let r): try c.encode(r.description)
        }
    }

    /// The reference, unless `none`.
    public var reference: PlanReference? { if case .reference(let r) = self { return r } else { return nil } }

    /// `field` of the dataset when the dataset has it (`present`), else none.
    public static func dataset(_ field: String, present: Bool) -> OptionalReference {
        present ? .reference(PlanReference("dataset", field)) : .none
    }
}
