/// The tags and attributes markdown may produce in a report, enforced on the finished HTML:
/// any tag that is not on the list, or carries an attribute or value that is not, is shown as
/// text (its `<` escaped). Links and images are checked again with `SafeURL`.
///
/// `MarkdownHTML` writes every attribute value escaped, so a value never holds `"`, `<` or
/// `>`, and a tag is exactly the text from a `<` to the next `>`.
enum HTMLTagAllowList {
    /// Element name → the attributes it may carry.
    static let elements: [String: Set<String>] = {
        var e: [String: Set<String>] = [:]
        for name in ["p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "pre", "ul", "li", "blockquote",
                     "hr", "br", "table", "thead", "tbody", "tr"] { e[name] = [] }
        e["code"] = ["class"]; e["span"] = ["class"]; e["ol"] = ["start"]
        e["th"] = ["align"]; e["td"] = ["align"]
        e["a"] = ["href", "title"]; e["img"] = ["src", "alt", "title"]
        return e
    }()

    /// `html` with every tag not on the list escaped.
    static func filter(_ html: String) -> String {
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            guard s[i] == "<" else { out.append(s[i]); i += 1; continue }
            if let gt = s[(i + 1)...].firstIndex(of: ">"), allows(Array(s[(i + 1)..<gt])) {
                out.append(contentsOf: s[i...gt])
                i = gt + 1
            } else {
                out.append(contentsOf: "&lt;".unicodeScalars)
                i += 1
            }
        }
        return String(out)
    }

    /// Whether the tag whose text (between `<` and `>`) is `tag` is allowed.
    static func allows(_ tag: [Unicode.Scalar]) -> Bool {
        var t = tag[...]
        let closing = t.first == "/"
        if closing { t = t.dropFirst() }
        let isNameScalar: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        let name = String(String.UnicodeScalarView(t.prefix(while: isNameScalar)))
        t = t.dropFirst(name.unicodeScalars.count)
        guard let allowed = elements[name] else { return false }
        if closing { return t.isEmpty }
        if t.last == "/" { t = t.dropLast() }   // Ink's `<img …/>` style
        var seen = Set<String>()
        while !t.isEmpty {
            // ` name="value"`, nothing else.
            guard t.first == " " else { return false }
            t = t.dropFirst()
            let attribute = String(String.UnicodeScalarView(t.prefix(while: { ("a"..."z").contains($0) })))
            t = t.dropFirst(attribute.unicodeScalars.count)
            guard allowed.contains(attribute), seen.insert(attribute).inserted, t.starts(with: "=\"".unicodeScalars) else { return false }
            t = t.dropFirst(2)
            guard let close = t.firstIndex(of: "\"") else { return false }
            let value = String(String.UnicodeScalarView(t[..<close]))
            guard !value.unicodeScalars.contains("<"), valueAllowed(value, attribute: attribute, element: name) else { return false }
            t = t[(close + 1)...]
        }
        return true
    }

    /// Whether `value` (as written, escaped) is fine for `attribute` of `element`.
    static func valueAllowed(_ value: String, attribute: String, element: String) -> Bool {
        switch attribute {
        case "href": return SafeURL.checked(value, for: .link) != nil
        case "src": return SafeURL.checked(value, for: .image) != nil
        case "start": return !value.isEmpty && value.allSatisfy(\.isASCII) && value.allSatisfy(\.isNumber)
        case "align": return ["left", "center", "right"].contains(value)
        case "class":
            if element == "span" { return value == "blocked-link" || value == "blocked-image" }
            return value.hasPrefix("language-") && value.count > 9
                && value.unicodeScalars.dropFirst(9).allSatisfy { $0.isASCII && (Character($0).isLetter || Character($0).isNumber || "_+.-".unicodeScalars.contains($0)) }
        default: return true   // alt, title: text, escaped
        }
    }
}
