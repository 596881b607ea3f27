import Ink

/// Markdown cells as HTML, through Ink, such that nothing a plan writes can run as script.
///
/// Ink passes raw HTML through, and writes link and image addresses (and a code block's
/// language) into attributes without escaping them, so `![f](x" onerror="…")` would become an
/// attribute. Plans are written by people at a facility and reports are read by others, so:
///
/// 1. Before Ink, every `<` and `"` (Unicode scalar) becomes a private-use placeholder. Ink
///    then sees no HTML at all (no raw tags, no autolinks), and the only `"` in its output are
///    the delimiters of the attributes it writes, which makes those attributes exact to read.
/// 2. Ink's links, images and code blocks are rebuilt by modifiers (`MarkdownFragments`): the
///    addresses checked by `SafeURL`, every attribute escaped.
/// 3. The placeholders become `&lt;` and `&quot;`.
/// 4. Every tag left is checked against an allow-list (`HTMLTagAllowList`); any other is shown
///    as text. Steps 1–3 leave none; this is the net should Ink ever write something unexpected.
enum MarkdownHTML {
    /// Stands for `<` while Ink parses.
    static let lessThan: Unicode.Scalar = "\u{E000}"
    /// Stands for `"` while Ink parses.
    static let quote: Unicode.Scalar = "\u{E001}"

    /// The HTML for `markdown`.
    static func html(_ markdown: String) -> String {
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .links) { MarkdownFragments.link($0.html, markdown: $0.markdown) })
        parser.addModifier(Modifier(target: .images) { MarkdownFragments.image($0.html, markdown: $0.markdown) })
        parser.addModifier(Modifier(target: .codeBlocks) { MarkdownFragments.codeBlock($0.html, markdown: $0.markdown) })
        return HTMLTagAllowList.filter(unshielded(parser.html(from: shielded(markdown))))
    }

    /// `markdown` with `<` and `"` replaced by the placeholders (and placeholders already in
    /// it by U+FFFD, so none can be mistaken for one).
    static func shielded(_ markdown: String) -> String {
        map(markdown) { c in
            switch c {
            case "<": return String(lessThan)
            case "\"": return String(quote)
            case lessThan, quote: return "\u{FFFD}"
            default: return nil
            }
        }
    }

    /// HTML with the placeholders as character references.
    static func unshielded(_ html: String) -> String {
        map(html) { c in c == lessThan ? "&lt;" : c == quote ? "&quot;" : nil }
    }

    /// Text with the placeholders back as `<` and `"` (to check and escape an address).
    static func restored(_ text: String) -> String {
        map(text) { c in c == lessThan ? "<" : c == quote ? "\"" : nil }
    }

    /// `text` with each scalar replaced by `replacement(scalar)`, or kept when that is nil.
    private static func map(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            if let r = replacement(c) { out.append(contentsOf: r.unicodeScalars) } else { out.append(c) }
        }
        return String(out)
    }
}
