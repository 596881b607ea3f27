/// Escaping text for HTML, one Unicode scalar at a time.
///
/// Swift compares `Character`s (grapheme clusters), so a quote followed by a combining mark
/// (`"\u{301}`) is not equal to `"` and slips through character-level escaping (swift-mustache's
/// and `replacingOccurrences` alike), while the browser's tokenizer still sees the quote and
/// ends the attribute there. Escaping scalars closes that gap.
public enum HTMLEscape {
    /// `text` safe in element content and in single- or double-quoted attribute values:
    /// `&`, `<`, `>`, `"` and `'` become character references.
    public static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
