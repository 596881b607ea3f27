import Foundation

/// What a value in a plan is, for checking that a reference fits where it is used.
public enum PlanValueType: String, Sendable, Codable {
    /// One map.
    case map
    /// A pair of half maps.
    case halfMaps = "half maps"
    /// A number with a unit (a resolution, a B-factor).
    case number
    /// Words (the chosen sharpening method): quoted in markdown, never read as a number.
    case text
    /// A file that is only recorded (an atomic model, a sequence).
    case file
}

/// A reference from one part of a plan to a value made elsewhere: `dataset.half_maps`, or
/// `<cell id>.<output>` such as `postprocess.sharpened`.
///
/// Written in the plan as a plain string; the position it was written at is kept (but not
/// compared or encoded) so that a bad reference can be reported at its line and column.
public struct PlanReference: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The part before the dot: `dataset` or a cell id.
    public var source: String
    /// The part after the dot: a dataset field or a cell output.
    public var output: String
    /// Where the reference was written.
    public var position: SourcePosition?

    /// A reference to `output` of `source`.
    public init(_ source: String, _ output: String, position: SourcePosition? = nil) {
        self.source = source
        self.output = output
        self.position = position
    }

    /// Parses "source.output"; nil when the text is not of that form.
    public init?(parsing text: String, position: SourcePosition? = nil) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else { return nil }
        self.init(String(parts[0]), String(parts[1]), position: position)
    }

    /// The reference as written: "source.output".
    public var description: String { "\(source).\(output)" }

    /// Whether this names a field of the dataset block.
    public var isDataset: Bool { source == "dataset" }

    /// Decodes "source.output" from a string; anything else is a plan problem at its position.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let r = PlanReference(parsing: text, position: decoder.planPosition) else {
            throw PlanProblem("'\(text)' is not a reference; write dataset.<field> or <cell id>.<output>, such as dataset.half_maps or postprocess.sharpened", at: decoder.planPosition)
        }
        self = r
    }

    /// Encodes as "source.output".
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// References are equal when they name the same value, wherever they were written.
    public static func == (a: PlanReference, b: PlanReference) -> Bool { a.source == b.source && a.output == b.output }
    /// Hashes what `==` compares.
    public func hash(into h: inout Hasher) { h.combine(source); h.combine(output) }
}
