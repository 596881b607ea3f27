import Foundation
import MapbookCore

/// JSON reports as mapbook writes them for other programs: `JSONPolicy` with non-finite
/// numbers (an FSC of an empty shell, the infinite resolution of shell 0) as `null`, so every
/// JSON reader can load the file, pretty-printed and ending in a newline.
public enum JSONOutput {
    /// Encodes `value` as a JSON report.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        try JSONPolicy.encode(value, pretty: true, nonFinite: .null) + Data("\n".utf8)
    }
}
