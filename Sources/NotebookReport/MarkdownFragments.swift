/// Ink's links, images and code blocks rebuilt with checked addresses and escaped attributes
/// (the modifiers of `MarkdownHTML`).
///
/// Ink writes `<a href="URL">TEXT</a>`, `<img src="URL" alt="TEXT"/>` and
/// `<pre><code class="language-LANG">CODE</code></pre>`. Because `MarkdownHTML` shields every
/// `"` of the plan, the first `"` after `href="` ends the address exactly, whatever it holds.
/// Whatever does not have the expected shape is shown as the markdown it came from, as text.
enum MarkdownFragments {
    /// A link: to a checked address, or, when refused, its text alone.
    static func link(_ html: String, markdown: Substring) -> String {
        let b = Array(html.utf8)
        guard let (raw, close) = quotedValue(b, after: "<a href=\""), hasBytes(b, "\">", at: close),
              hasBytes(b, "</a>", at: b.count - 4), close + 2 <= b.count - 4 else { return inert(markdown) }
        let text = String(decoding: b[(close + 2)..<(b.count - 4)], as: UTF8.self)
        guard let (address, title) = destination(MarkdownHTML.restored(raw)), let href = SafeURL.attribute(address, for: .link) else {
            return "<span class=\"blocked-link\">\(text)</span>"
        }
        return "<a href=\"\(href)\"\(titleAttribute(title))>\(text)</a>"
    }

    /// An image: from a checked (relative) address, or, when refused, its alt text alone.
    static func image(_ html: String, markdown: Substring) -> String {
        let b = Array(html.utf8)
        guard let (raw, close) = quotedValue(b, after: "<img src=\"") else { return inert(markdown) }
        let altHTML: String
        if hasBytes(b, "\"/>", at: close), close + 3 == b.count {
            altHTML = ""
        } else if hasBytes(b, "\" alt=\"", at: close), hasBytes(b, "\"/>", at: b.count - 3), close + 7 <= b.count - 3 {
            altHTML = String(decoding: b[(close + 7)..<(b.count - 3)], as: UTF8.self)
        } else {
            return inert(markdown)
        }
        let alt = plainText(altHTML)
        guard let (address, title) = destination(MarkdownHTML.restored(raw)), let src = SafeURL.attribute(address, for: .image) else {
            return "<span class=\"blocked-image\">\(alt)</span>"
        }
        return "<img src=\"\(src)\" alt=\"\(alt)\"\(titleAttribute(title))>"
    }

    /// A fenced code block: its language kept when it is letters, digits and `_+.-` only.
    static func codeBlock(_ html: String, markdown: Substring) -> String {
        let b = Array(html.utf8)
        let plain = "<pre><code>"
        if hasBytes(b, plain, at: 0) { return html }
        guard let (language, close) = quotedValue(b, after: "<pre><code class=\"language-"), hasBytes(b, "\">", at: close) else {
            return inert(markdown)
        }
        let plainName = language.unicodeScalars.allSatisfy { $0.isASCII && (Character($0).isLetter || Character($0).isNumber || "_+.-".unicodeScalars.contains($0)) }
        let body = String(decoding: b[(close + 2)...], as: UTF8.self)
        return "<pre><code" + (plainName ? " class=\"language-\(language)\"" : "") + ">" + body
    }

    /// An address and its optional title, as CommonMark writes them: `url`, `<url>`,
    /// `url "title"`, `url 'title'`, `url (title)`; nil for text that fits none (an address
    /// with white space outside `<…>`, such as `x" onerror="…`).
    static func destination(_ text: String) -> (address: String, title: String?)? {
        let s = Array(text.unicodeScalars)
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" }
        guard let start = s.firstIndex(where: { !isSpace($0) }), let end = s.lastIndex(where: { !isSpace($0) }) else { return nil }
        let t = Array(s[start...end])
        func string(_ part: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(part)) }
        let addressEnd: Int
        let address: String
        if t[0] == "<", let gt = t.firstIndex(of: ">") {
            address = string(t[1..<gt]); addressEnd = gt + 1
        } else {
            addressEnd = t.firstIndex(where: isSpace) ?? t.count
            address = string(t[0..<addressEnd])
        }
        let rest = Array(t[addressEnd...].drop(while: isSpace))
        if rest.isEmpty { return (address, nil) }
        let pairs: [(Unicode.Scalar, Unicode.Scalar)] = [("\"", "\""), ("'", "'"), ("(", ")")]
        if rest.count >= 2, pairs.contains(where: { $0.0 == rest.first! && $0.1 == rest.last! }) {
            return (address, HTMLEntities.decode(string(rest[1..<(rest.count - 1)])))
        }
        return nil
    }

    /// ` title="…"`, escaped, or nothing.
    static func titleAttribute(_ title: String?) -> String {
        title.map { " title=\"\(HTMLEscape.escape($0))\"" } ?? ""
    }

    /// The text of Ink's inline HTML, for an attribute: tags dropped, and `>`, `'` (which Ink
    /// leaves alone in some places) escaped. Ink's text is escaped already and the shielded `<`
    /// and `"` become references later, so nothing in it can end the attribute.
    static func plainText(_ html: String) -> String {
        var out = String.UnicodeScalarView()
        var inTag = false
        for c in html.unicodeScalars {
            switch c {
            case "<": inTag = true
            case ">" where inTag: inTag = false
            case _ where inTag: break
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(c)
            }
        }
        return String(out)
    }

    /// The markdown of a fragment as escaped text: what is shown when Ink's HTML for it does
    /// not have the shape expected.
    static func inert(_ markdown: Substring) -> String {
        HTMLEscape.escape(MarkdownHTML.restored(String(markdown)))
    }

    /// The value of the attribute opened by `prefix` (which `bytes` must start with) and the
    /// index of its closing `"`.
    static func quotedValue(_ bytes: [UInt8], after prefix: String) -> (String, Int)? {
        let p = Array(prefix.utf8)
        guard hasBytes(bytes, prefix, at: 0), let close = bytes[p.count...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return (String(decoding: bytes[p.count..<close], as: UTF8.self), close)
    }

    /// Whether `bytes` holds `text` at `index`.
    static func hasBytes(_ bytes: [UInt8], _ text: String, at index: Int) -> Bool {
        let t = Array(text.utf8)
        guard index >= 0, index + t.count <= bytes.count else { return false }
        return Array(bytes[index..<(index + t.count)]) == t
    }
}
