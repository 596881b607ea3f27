import Foundation
import MapbookCore

/// The JSON the notebook writes for caches, cache keys and the resolved plan (`JSONPolicy`
/// with `.strings`): sorted keys, so
/// the same value always gives the same bytes, and non-finite numbers as the strings "nan",
/// "inf" and "-inf", so that cached results (FSC curves hold NaN for empty shells, shell 0
/// has infinite resolution) read back exactly.
public enum CanonicalJSON {
    /// Encodes `value`.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> Data {
        try JSONPolicy.encode(value, pretty: pretty, nonFinite: .strings)
    }

    /// Decodes a `T` written by `encode`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONPolicy.decode(type, from: data)
    }
}

/// Wraps any encodable value (an existential) so that generic encoders accept it.
public struct AnyEncodable: Encodable {
    /// The wrapped value.
    public let value: any Encodable

    /// Wraps `value`.
    public init(_ value: any Encodable) { self.value = value }

    /// Encodes the wrapped value in place.
    public func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
