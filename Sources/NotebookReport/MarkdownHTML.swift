import Foundation
import Ink

/// Markdown cells as HTML, through Ink, with raw HTML disabled.
///
/// Ink passes HTML written in markdown straight through. Plans are written by people at a
/// facility and reports are read by others, so a plan must not be able to put a `<script>`
/// into a report: every `<` outside code is turned into `&lt;` before Ink sees it (Ink
/// escapes code spans and blocks itself, and `&` and `>` in text). Links keep working;
/// `javascript:` links are neutralised.
enum MarkdownHTML {
    /// The HTML for `markdown`.
    static func html(_ markdown: String) -> String {
        let html = MarkdownParser().html(from: escapingRawHTML(markdown))
        return neutralisingScriptLinks(html)
    }

    /// `markdown` with `<` outside code spans and fenced code blocks replaced by `&lt;`.
    static func escapingRawHTML(_ markdown: String) -> String {
        var out: [String] = []
        var inFence = false
        for line in markdown.components(separatedBy: "\n") {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                inFence.toggle()
                out.append(line)
                continue
            }
            if inFence { out.append(line); continue }
            var result = ""
            var inCode = false
            for ch in line {
                if ch == "`" { inCode.toggle() }
                result += (ch == "<" && !inCode) ? "&lt;" : String(ch)
            }
            out.append(result)
        }
        return out.joined(separator: "\n")
    }

    static func neutralisingScriptLinks(_ html: String) -> String {
        var s = html
        for scheme in ["javascript:", "vbscript:", "data:"] {
            s = s.replacingOccurrences(of: "href=\"\(scheme)", with: "href=\"#blocked:", options: .caseInsensitive)
            s = s.replacingOccurrences(of: "src=\"\(scheme)", with: "src=\"#blocked:", options: .caseInsensitive)
        }
        return s
    }
}
