import Foundation
import TestSupport

/// Every known way of getting script into a report through markdown, each payload marking the
/// page (`data-pwned` on the root element) if it ever runs. Shared by the sanitiser's unit
/// tests and the headless-Chromium check.
enum HostileMarkdown {
    /// JavaScript that marks the page with `tag`.
    static func mark(_ tag: String) -> String { BrowserProbe.mark(tag) }

    /// Name and markdown of each trick. `inYAML` leaves out those YAML cannot carry (C0
    /// control characters other than tab).
    static func tricks(inYAML: Bool = false) -> [(name: String, markdown: String)] {
        let m = mark
        var list: [(String, String)] = [
            ("javascript: link", "[a](javascript:\(m("js")))"),
            ("mixed-case scheme", "[a](JaVaScRiPt:\(m("case")))"),
            ("leading spaces", "[a](   javascript:\(m("lead")))"),
            ("decimal reference", "[a](&#106;avascript:\(m("dec")))"),
            ("hex reference", "[a](&#x6A;avascript:\(m("hex")))"),
            ("reference without ;", "[a](&#106avascript:\(m("nosemi")))"),
            ("&colon;", "[a](javascript&colon;\(m("colon")))"),
            ("&Tab; in the scheme", "[a](java&Tab;script:\(m("tabent")))"),
            ("&NewLine; in the scheme", "[a](java&NewLine;script:\(m("nlent")))"),
            ("tab in the scheme", "[a](java\tscript:\(m("tab")))"),
            ("percent-encoded scheme", "[a](%6Aavascript:\(m("pct")))"),
            ("percent-encoded colon", "[a](javascript%3A\(m("pctcolon")))"),
            ("backslash before the colon", "[a](javascript\\:\(m("bs")))"),
            ("vbscript:", "[a](vbscript:msgbox(1))"),
            ("data: HTML", "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
            ("file:", "[a](file:///etc/passwd)"),
            ("angle-bracket address", "[a](<javascript:\(m("angle"))>)"),
            ("address with a title", "[a](javascript:\(m("titled")) \"t\")"),
            ("quote in a link address", "[a](https://example.org/\" onmouseover=\"\(m("q1"))\" x=\")"),
            ("quote in an image address", "![f](x\" onerror=\"\(m("img"))\")"),
            ("image javascript:", "![f](javascript:\(m("imgjs")))"),
            ("image data: SVG", "![f](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+)"),
            ("image from elsewhere", "![f](https://tracker.example/pixel.png)"),
            ("title with quotes", "[a](https://example.org 'x\" onmouseover=\"\(m("title"))')"),
            ("quote with a combining mark", "[a](x\"\u{301} onmouseover=\(m("comb")) y=)"),
            ("reference-style link", "[x][1]\n\n[1]: javascript:\(m("ref"))"),
            ("reference with a quote", "[x][e]\n\n[e]: https://example.org\" onmouseover=\"\(m("refq"))"),
            ("autolink", "<javascript:\(m("auto"))>"),
            ("script element", "<script>\(m("script"))</script>"),
            ("img onerror", "<img src=x onerror=\"\(m("rawimg"))\">"),
            ("svg onload", "<svg onload=\"\(m("svg"))\"></svg>"),
            ("iframe", "<iframe src=\"javascript:\(m("iframe"))\"></iframe>"),
            ("HTML block with a handler", "<div onclick=\"\(m("div"))\">x</div>"),
            ("code-block language", "```x\" onmouseover=\"\(m("lang"))\nprint(1)\n```"),
            ("unbalanced backticks", "`` a ` <img src=x onerror=\(m("ticks"))> ``"),
            ("image inside a link", "[![i](x\" onerror=\"\(m("nested1"))\")](javascript:\(m("nested2")))"),
            ("comment then tag", "<!-- x --><img src=x onerror=\(m("comment"))>"),
            ("escaped entities in text", "&lt;script&gt;\(m("entities"))&lt;/script&gt;"),
            ("less-than with a combining mark", "<\u{301}img src=x onerror=\(m("combless"))>"),
        ]
        if !inYAML { list.append(("control character before the scheme", "[a](\u{1}javascript:\(m("ctl")))")) }
        // Last: an unclosed fence swallows the rest of the cell.
        list.append(("unclosed fence", "```\n<script>\(m("fence"))</script>"))
        return list
    }
}
