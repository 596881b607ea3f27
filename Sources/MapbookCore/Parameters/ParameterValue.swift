import Foundation

/// A type a declared parameter can hold. Its written form is the same on the command line and
/// in a plan (`0.8`, `true`, `auto`, `half_bit`), so both read it with one parser.
public protocol ParameterValue: Codable, Sendable, Equatable {
    /// Reads the written form; throws `ParameterTextError` when the text is not such a value.
    init(parameterText text: String) throws
    /// The written form, as `init(parameterText:)` reads it.
    var parameterText: String { get }
    /// What a value looks like, for help and errors ("a number", "auto or a number").
    static var valueDescription: String { get }
    /// The number a range check applies to; nil when the value is not numeric (`auto`).
    var numericValue: Double? { get }
    /// Every number a range check applies to: the one number, each element of a list, or none.
    var numericValues: [Double] { get }
    /// Whether the value is an on/off switch (a flag on the command line).
    static var isSwitch: Bool { get }
    /// Whether the value is a list (a YAML list in plans, comma-separated on the command line).
    static var isList: Bool { get }
}

extension ParameterValue {
    /// Not numeric.
    public var numericValue: Double? { nil }
    /// Not a switch.
    public static var isSwitch: Bool { false }
    /// Not a list.
    public static var isList: Bool { false }
    /// The one number, if any.
    public var numericValues: [Double] { numericValue.map { [$0] } ?? [] }
}

/// Text that is not a value of the parameter's type.
public struct ParameterTextError: Error, Sendable {
    /// What a value looks like.
    public var expected: String
    /// An error saying the text is not `expected`.
    public init(expected: String) { self.expected = expected }
}

extension Double: ParameterValue {
    /// A finite decimal number; `nan` and `inf` are refused, since no parameter means them.
    public init(parameterText text: String) throws {
        guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite else { throw ParameterTextError(expected: Self.valueDescription) }
        self = v
    }
    /// The shortest text that reads back as the same number (15, not 15.0).
    public var parameterText: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
    /// "a number".
    public static var valueDescription: String { "a number" }
    /// The number.
    public var numericValue: Double? { self }
}

extension Int: ParameterValue {
    /// A whole number.
    public init(parameterText text: String) throws {
        guard let v = Int(text.trimmingCharacters(in: .whitespaces)) else { throw ParameterTextError(expected: Self.valueDescription) }
        self = v
    }
    /// Decimal digits.
    public var parameterText: String { String(self) }
    /// "a whole number".
    public static var valueDescription: String { "a whole number" }
    /// The number.
    public var numericValue: Double? { Double(self) }
}

extension UInt64: ParameterValue {
    /// A whole number ≥ 0.
    public init(parameterText text: String) throws {
        guard let v = UInt64(text.trimmingCharacters(in: .whitespaces)) else { throw ParameterTextError(expected: Self.valueDescription) }
        self = v
    }
    /// Decimal digits.
    public var parameterText: String { String(self) }
    /// "a whole number ≥ 0".
    public static var valueDescription: String { "a whole number ≥ 0" }
    /// The number.
    public var numericValue: Double? { Double(self) }
}

extension Bool: ParameterValue {
    /// `true` or `false`.
    public init(parameterText text: String) throws {
        switch text.trimmingCharacters(in: .whitespaces) {
        case "true": self = true
        case "false": self = false
        default: throw ParameterTextError(expected: Self.valueDescription)
        }
    }
    /// `true` or `false`.
    public var parameterText: String { self ? "true" : "false" }
    /// "true or false".
    public static var valueDescription: String { "true or false" }
    /// A switch.
    public static var isSwitch: Bool { true }
}

extension String: ParameterValue {
    /// Any text.
    public init(parameterText text: String) throws { self = text }
    /// The text.
    public var parameterText: String { self }
    /// "text".
    public static var valueDescription: String { "text" }
}

extension Optional: ParameterValue where Wrapped: ParameterValue {
    /// `none` for no value, else the wrapped type's form.
    public init(parameterText text: String) throws {
        self = text.trimmingCharacters(in: .whitespaces) == "none" ? nil : try Wrapped(parameterText: text)
    }
    /// `none` or the value's form.
    public var parameterText: String { map(\.parameterText) ?? "none" }
    /// The wrapped description.
    public static var valueDescription: String { Wrapped.valueDescription }
    /// The wrapped number; nil for no value.
    public var numericValue: Double? { flatMap(\.numericValue) }
}

extension Array: ParameterValue where Element: ParameterValue {
    /// Values separated by commas (a plan may also write a YAML list).
    public init(parameterText text: String) throws {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        self = try parts.map { try Element(parameterText: $0) }
    }
    /// The values, comma-separated.
    public var parameterText: String { map(\.parameterText).joined(separator: ", ") }
    /// A list.
    public static var isList: Bool { true }
    /// Each element's numbers.
    public var numericValues: [Double] { flatMap(\.numericValues) }
    /// "a comma-separated list of …".
    public static var valueDescription: String { "a comma-separated list of \(Element.valueDescription)" }
}

/// A parameter whose values are a fixed set of words (`auto`, `half_bit`, a method name):
/// conform a `String`-backed `CaseIterable` enum and the parsing comes for free.
public protocol ParameterChoice: ParameterValue, CaseIterable, RawRepresentable where RawValue == String {}

extension ParameterChoice {
    /// One of the raw values.
    public init(parameterText text: String) throws {
        guard let v = Self(rawValue: text.trimmingCharacters(in: .whitespaces)) else { throw ParameterTextError(expected: Self.valueDescription) }
        self = v
    }
    /// The raw value.
    public var parameterText: String { rawValue }
    /// "one of a, b, c".
    public static var valueDescription: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
}
