import Foundation

/// The one place that decides how mapbook writes and reads JSON: sorted keys (the same value
/// always gives the same bytes), no escaped slashes (paths stay readable), and a fixed rule
/// for non-finite numbers, which Swift's encoder would otherwise refuse (an FSC of an empty
/// shell is NaN, the resolution of shell 0 is infinite).
public enum JSONPolicy {
    /// How non-finite numbers are written.
    public enum NonFinite: Sendable {
        /// As `null`: for files other programs read (reports), where any JSON reader must
        /// load the file; the value does not read back as a number.
        case null
        /// As the strings "nan", "inf" and "-inf": for mapbook's own files (caches, plans,
        /// status), which must read back exactly; `decoder()` reads them.
        case strings
    }

    /// An encoder with the policy's formatting; `nonFinite: .null` needs `encode` (the
    /// encoder alone writes a placeholder string that `encode` turns into `null`).
    public static func encoder(pretty: Bool = true, nonFinite: NonFinite = .strings) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        switch nonFinite {
        case .strings:
            e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        case .null:
            // Foundation cannot write a bare null for a number; write a placeholder no real
            // string equals, and replace it after.
            e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: nullPlaceholder, negativeInfinity: nullPlaceholder, nan: nullPlaceholder)
        }
        return e
    }

    /// Encodes `value` under the policy.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true, nonFinite: NonFinite = .strings) throws -> Data {
        let data = try encoder(pretty: pretty, nonFinite: nonFinite).encode(value)
        guard nonFinite == .null else { return data }
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"\(nullPlaceholder)\"", with: "null")
        return Data(text.utf8)
    }

    /// A decoder that reads what `encode` writes with `.strings`.
    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    /// Decodes a `T` under the policy.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decoder().decode(type, from: data)
    }

    static let nullPlaceholder = "__mapbook_nonfinite__"
}
