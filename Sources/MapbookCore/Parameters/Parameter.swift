import Foundation

/// A declared parameter: the property's default is the parameter's default, and the
/// declaration beside it (key, range, unit, help, source) is the only place these are written.
///
///     @Parameter("randomize_at_fsc", .open(0, 1), "randomise phases beyond the shell where …",
///                source: "RELION relion_postprocess --randomize_at_fsc")
///     public var randomizeAtFSC = 0.8
///
/// Command-line options, plan keys, `mapbook init`'s starter plan, `mapbook parameters`
/// tables and range checks all read these declarations (`DeclaredParameters`).
@propertyWrapper
public struct Parameter<Value: ParameterValue>: Codable, Sendable, Equatable {
    /// The value.
    public var wrappedValue: Value
    /// The declaration; nil on a value read back from JSON (declarations are taken from the
    /// type's defaults then).
    public let declaration: ParameterSpec?

    /// Declares a parameter whose default is `wrappedValue`.
    public init(wrappedValue: Value, _ key: String, _ range: ParameterRange = .any, unit: String? = nil, _ help: String,
                source: String? = nil, defaultMeaning: String? = nil, scope: ParameterScope = .everywhere, inStarterPlan: Bool = true) {
        self.wrappedValue = wrappedValue
        var spec = ParameterSpec(key: key, help: help, unit: unit, range: range, source: source, defaultMeaning: defaultMeaning,
                                 scope: scope, inStarterPlan: inStarterPlan, valueDescription: Value.valueDescription, isSwitch: Value.isSwitch,
                                 isList: Value.isList)
        spec.defaultText = wrappedValue.parameterText
        self.declaration = spec
    }

    /// Declares a parameter that takes any value of its type (no range).
    public init(wrappedValue: Value, _ key: String, unit: String? = nil, _ help: String,
                source: String? = nil, defaultMeaning: String? = nil, scope: ParameterScope = .everywhere, inStarterPlan: Bool = true) {
        self.init(wrappedValue: wrappedValue, key, .any, unit: unit, help, source: source, defaultMeaning: defaultMeaning,
                  scope: scope, inStarterPlan: inStarterPlan)
    }

    init(value: Value, declaration: ParameterSpec?) { self.wrappedValue = value; self.declaration = declaration }

    /// Reads the bare value (as JSON stores it).
    public init(from decoder: Decoder) throws {
        wrappedValue = try decoder.singleValueContainer().decode(Value.self)
        declaration = nil
    }

    /// Writes the bare value.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wrappedValue)
    }

    /// Equal values (declarations are the same for one property).
    public static func == (a: Self, b: Self) -> Bool { a.wrappedValue == b.wrappedValue }
}

/// A `Parameter` of any value type, as the declaration machinery sees it.
protocol AnyParameter {
    var declaration: ParameterSpec? { get }
    var valueText: String { get }
    var numericValues: [Double] { get }
    func replacingValue(withText text: String) throws -> Any
    func encodeValue(to container: inout KeyedEncodingContainer<ParameterKey>, key: String) throws
    func decodedText(from container: KeyedDecodingContainer<ParameterKey>, key: String) throws -> String
}

extension Parameter: AnyParameter {
    var valueText: String { wrappedValue.parameterText }
    var numericValues: [Double] { wrappedValue.numericValues }
    func replacingValue(withText text: String) throws -> Any {
        Parameter(value: try Value(parameterText: text), declaration: declaration)
    }
    func encodeValue(to container: inout KeyedEncodingContainer<ParameterKey>, key: String) throws {
        try container.encode(wrappedValue, forKey: ParameterKey(key))
    }
    func decodedText(from container: KeyedDecodingContainer<ParameterKey>, key: String) throws -> String {
        try container.decode(Value.self, forKey: ParameterKey(key)).parameterText
    }
}

/// A plan key as a coding key.
public struct ParameterKey: CodingKey, Hashable, Sendable {
    /// The key.
    public var stringValue: String
    /// Not an index.
    public var intValue: Int? { nil }
    /// A key.
    public init(_ key: String) { stringValue = key }
    /// A key.
    public init?(stringValue: String) { self.stringValue = stringValue }
    /// Not an index.
    public init?(intValue: Int) { nil }
}
