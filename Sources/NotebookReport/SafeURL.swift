/// Which addresses a report may link to or load an image from. Links: http(s), relative paths
/// and in-page anchors (`#…`). Images: relative paths only, so opening a report fetches nothing
/// from elsewhere (no tracking pixels, no dependence on a server). Everything with another
/// scheme (`javascript:`, `vbscript:`, `data:`, `file:`, …) is refused, however it is spelled.
///
/// The check runs on the address as the browser will read it: character references decoded,
/// surrounding spaces and control characters stripped. It then refuses control characters
/// inside (browsers drop tabs and newlines, so `java\tscript:` is `javascript:` to them), and
/// any scheme but http(s), also after percent-decoding and with white space and backslashes
/// removed, which refuses more than a browser would run (`a%3Ab` as a path) and never less.
public enum SafeURL {
    /// Where the address goes.
    public enum Use: Sendable {
        /// An `<a href>`.
        case link
        /// An `<img src>`.
        case image
    }

    /// The schemes allowed.
    static let allowedSchemes: Set<String> = ["http", "https"]

    /// `raw` as it may be written (HTML-escaped) into an `href` or `src`, or nil when refused.
    /// Spaces inside become `%20`.
    public static func checked(_ raw: String, for use: Use) -> String? {
        let decoded = HTMLEntities.decode(raw)
        let scalars = Array(decoded.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !isSpaceOrControl($0) }),
              let last = scalars.lastIndex(where: { !isSpaceOrControl($0) }) else { return nil }
        let trimmed = Array(scalars[first...last])
        guard !trimmed.contains(where: isControl) else { return nil }
        if let s = scheme(trimmed), !allowedSchemes.contains(s.lowercased()) { return nil }
        // A scheme the browser would not see but a less careful reader might: refused as well.
        var probe = trimmed
        for _ in 0..<3 { probe = percentDecoded(probe) }
        probe.removeAll { isSpaceOrControl($0) || $0.properties.isWhitespace || $0.properties.isDefaultIgnorableCodePoint || $0 == "\\" }
        if let s = scheme(probe), !allowedSchemes.contains(s.lowercased()) { return nil }
        if use == .image {
            // No scheme, and not `//host/…` (a scheme-relative address: another server).
            let slashes = "/\\".unicodeScalars
            guard scheme(probe) == nil, !(trimmed.count >= 2 && slashes.contains(trimmed[0]) && slashes.contains(trimmed[1])) else { return nil }
        }
        var out = String.UnicodeScalarView()
        for c in trimmed {
            if c == " " { out.append(contentsOf: "%20".unicodeScalars) } else { out.append(c) }
        }
        return String(out)
    }

    /// `raw` checked for `use` and HTML-escaped for an attribute, or nil when refused.
    public static func attribute(_ raw: String, for use: Use) -> String? {
        checked(raw, for: use).map(HTMLEscape.escape)
    }

    /// The scheme: what comes before a `:` that precedes every `/`, `\`, `?` and `#`.
    static func scheme(_ s: [Unicode.Scalar]) -> String? {
        guard let colon = s.firstIndex(of: ":") else { return nil }
        let head = s[..<colon]
        guard !head.contains(where: { "/\\?#".unicodeScalars.contains($0) }) else { return nil }
        return String(String.UnicodeScalarView(head))
    }

    /// C0 controls, space and DEL: what browsers strip around a URL.
    static func isSpaceOrControl(_ c: Unicode.Scalar) -> Bool { c.value <= 0x20 || c.value == 0x7F }

    /// C0 and C1 controls and DEL.
    static func isControl(_ c: Unicode.Scalar) -> Bool { c.value < 0x20 || (0x7F...0x9F).contains(c.value) }

    /// `s` with `%XX` sequences decoded (invalid ones left as they are; bytes that are not
    /// UTF-8 become U+FFFD).
    static func percentDecoded(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var bytes: [UInt8] = []
        let utf8 = Array(String(String.UnicodeScalarView(s)).utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
               let hi = Character(Unicode.Scalar(utf8[i + 1])).hexDigitValue, let lo = Character(Unicode.Scalar(utf8[i + 2])).hexDigitValue {
                bytes.append(UInt8(hi * 16 + lo))
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
    }
}
