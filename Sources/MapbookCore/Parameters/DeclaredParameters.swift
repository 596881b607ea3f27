import Foundation

/// An algorithm's parameter set, declared once with `@Parameter` on each field. Groups of
/// parameters shared by several algorithms (the automatic mask's) are nested as properties of
/// their own `DeclaredParameters` type; their keys join the enclosing set's.
///
/// From the declarations come the written values (`parameterTexts`), construction from written
/// values (`init(parameterTexts:)`, used by the command line and by plans alike), range checks,
/// and the plan-keyed encoding. A property without `@Parameter` is an internal setting that no
/// user gives; it keeps its default when the set is made from text.
public protocol DeclaredParameters: Codable, Sendable {
    /// Every parameter at its default.
    init()
    /// Checks between parameters that no single range can state (a high-resolution end below
    /// the low-resolution one); throws a `ParameterProblem`. Ranges are checked before.
    func validateTogether() throws
}

extension DeclaredParameters {
    /// Nothing to check between parameters.
    public func validateTogether() throws {}

    /// Every declaration, in declaration order, nested groups in place.
    public static var declarations: [ParameterSpec] { Self().declaredFields.map(\.spec) }

    /// The declaration with this key.
    public static func declaration(_ key: String) -> ParameterSpec? { declarations.first { $0.key == key } }

    /// Every parameter's value as written, by key.
    public var parameterTexts: [String: String] {
        Dictionary(uniqueKeysWithValues: declaredFields.map { ($0.spec.key, $0.parameter.valueText) })
    }

    /// The set with the written values in `texts` (by key) and defaults elsewhere, range-checked
    /// and checked together. Throws a `ParameterProblem` naming the first bad key.
    public init(parameterTexts texts: [String: String]) throws {
        let known = Set(Self.declarations.map(\.key))
        if let unknown = texts.keys.sorted().first(where: { !known.contains($0) }) {
            throw ParameterProblem(key: unknown, value: nil, "is not a parameter here; known: \(known.sorted().joined(separator: ", "))")
        }
        self = try Self(from: ParameterTextDecoder(defaults: Self(), texts: texts))
        try validate()
    }

    /// Checks every value against its declared range, then the checks between parameters.
    public func validate() throws {
        for field in declaredFields {
            for x in field.parameter.numericValues {
                if let why = field.spec.range.problem(x) { throw ParameterProblem(key: field.spec.key, value: field.parameter.valueText, why) }
            }
        }
        try validateAllTogether()
    }

    /// Writes each parameter a plan can give under its key into `encoder`'s keyed container
    /// (beside any keys the caller writes there), for canonical encodings such as cache keys.
    public func encodeParameters(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: ParameterKey.self)
        for field in declaredFields where field.spec.scope == .everywhere {
            try field.parameter.encodeValue(to: &c, key: field.spec.key)
        }
    }

    /// Reads back what `encodeParameters` wrote (keys absent take their defaults), checked.
    public init(planKeyedFrom decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ParameterKey.self)
        var texts: [String: String] = [:]
        for field in Self().declaredFields where field.spec.scope == .everywhere && c.contains(ParameterKey(field.spec.key)) {
            texts[field.spec.key] = try field.parameter.decodedText(from: c, key: field.spec.key)
        }
        try self.init(parameterTexts: texts)
    }
}

/// One declared field of a value: its declaration (from the type's defaults) and the
/// parameter as this value holds it.
struct DeclaredField {
    var spec: ParameterSpec
    var parameter: any AnyParameter
}

extension DeclaredParameters {
    /// The fields, pairing this value's parameters with the declarations of `Self()` by
    /// property name: a value read back from JSON carries no declarations of its own.
    var declaredFields: [DeclaredField] {
        let defaults = Dictionary(Mirror(reflecting: Self()).children.compactMap { c in c.label.map { ($0, c.value) } },
                                  uniquingKeysWith: { a, _ in a })
        var fields: [DeclaredField] = []
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            if let p = child.value as? any AnyParameter, let spec = (defaults[label] as? any AnyParameter)?.declaration {
                var spec = spec
                if spec.defaultText.isEmpty, let d = defaults[label] as? any AnyParameter { spec.defaultText = d.valueText }
                fields.append(DeclaredField(spec: spec, parameter: p))
            } else if let group = child.value as? any DeclaredParameters {
                fields += group.declaredFields
            }
        }
        return fields
    }

    /// This set's checks together, then each nested group's.
    func validateAllTogether() throws {
        try validateTogether()
        for child in Mirror(reflecting: self).children {
            if let group = child.value as? any DeclaredParameters { try group.validateAllTogether() }
        }
    }

    /// A value of this type built from `texts` over its defaults (for nested groups).
    func rebuilt(from texts: [String: String]) throws -> Any {
        try Self(from: ParameterTextDecoder(defaults: Self(), texts: texts))
    }
}

/// The parameter set of something that takes no parameters.
public struct NoParameters: DeclaredParameters, Equatable {
    /// Nothing.
    public init() {}
}
