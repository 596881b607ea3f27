import Foundation

/// JSON as mapbook writes it: sorted keys, pretty-printed, and no non-standard tokens.
///
/// Non-finite numbers (an FSC of an empty shell, the infinite resolution of shell 0) become
/// `null`, so every JSON reader can load the file; Swift's encoder would otherwise refuse them.
public enum JSONOutput {
    /// Encodes `value` as canonical JSON.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: Self.sentinel, negativeInfinity: Self.sentinel, nan: Self.sentinel)
        let data = try encoder.encode(value)
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"\(Self.sentinel)\"", with: "null")
        return Data((text + "\n").utf8)
    }

    static let sentinel = "__mapbook_nonfinite__"
}
