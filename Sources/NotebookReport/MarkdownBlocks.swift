import Foundation

/// Markdown reduced to what the PDF report draws: headings, paragraphs, list items, code and
/// rules, with inline markup turned into plain text (links keep their address in brackets).
/// The HTML report renders the full markdown through Ink; this is for Cairo's plain text.
enum MarkdownBlock: Equatable {
    case heading(level: Int, text: String)
    case paragraph(String)
    case listItem(marker: String, text: String)
    case code(String)
    case rule

    /// The blocks of `markdown`.
    static func parse(_ markdown: String) -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        var paragraph: [String] = []
        var code: [String]? = nil
        func flush() {
            if !paragraph.isEmpty { blocks.append(.paragraph(inline(paragraph.joined(separator: " ")))); paragraph = [] }
        }
        for raw in markdown.components(separatedBy: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") {
                if let c = code { blocks.append(.code(c.joined(separator: "\n"))); code = nil } else { flush(); code = [] }
                continue
            }
            if code != nil { code!.append(raw); continue }
            if line.isEmpty { flush(); continue }
            if let hashes = line.firstIndex(where: { $0 != "#" }), line.hasPrefix("#"), line[hashes] == " " {
                flush()
                let level = line.distance(from: line.startIndex, to: hashes)
                blocks.append(.heading(level: min(level, 6), text: inline(String(line[hashes...]).trimmingCharacters(in: .whitespaces))))
            } else if line == "---" || line == "***" || line == "___" {
                flush(); blocks.append(.rule)
            } else if let marker = listMarker(line) {
                flush()
                blocks.append(.listItem(marker: marker.marker, text: inline(marker.rest)))
            } else if case .listItem(let m, let t)? = blocks.last, paragraph.isEmpty, raw.hasPrefix("  ") {
                blocks[blocks.count - 1] = .listItem(marker: m, text: t + " " + inline(line))
            } else {
                paragraph.append(line)
            }
        }
        if let c = code { blocks.append(.code(c.joined(separator: "\n"))) }
        flush()
        return blocks
    }

    static func listMarker(_ line: String) -> (marker: String, rest: String)? {
        for bullet in ["- ", "* ", "+ "] where line.hasPrefix(bullet) { return ("•", String(line.dropFirst(2))) }
        if let dot = line.firstIndex(of: "."), line[..<dot].allSatisfy(\.isNumber), !line[..<dot].isEmpty,
           line.index(after: dot) < line.endIndex, line[line.index(after: dot)] == " " {
            return (String(line[...dot]), String(line[line.index(dot, offsetBy: 2)...]))
        }
        return nil
    }

    /// Plain text of inline markdown: emphasis and code marks removed, [text](url) → text (url).
    static func inline(_ s: String) -> String {
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let ch = s[i]
            if ch == "\\", s.index(after: i) < s.endIndex {
                out.append(s[s.index(after: i)]); i = s.index(i, offsetBy: 2); continue
            }
            if ch == "[", let close = s[i...].firstIndex(of: "]"), s.index(after: close) < s.endIndex, s[s.index(after: close)] == "(",
               let end = s[close...].firstIndex(of: ")") {
                let text = String(s[s.index(after: i)..<close])
                let url = String(s[s.index(close, offsetBy: 2)..<end])
                out += inline(text) + (url.isEmpty || url == text ? "" : " (\(url))")
                i = s.index(after: end); continue
            }
            if ch == "*" || ch == "`" || (ch == "_" && (i == s.startIndex || s[s.index(before: i)] == " " || s.index(after: i) == s.endIndex || s[s.index(after: i)] == " ")) {
                i = s.index(after: i); continue
            }
            out.append(ch)
            i = s.index(after: i)
        }
        return out
    }
}
