import Foundation
import Testing
import TestSupport
@testable import NotebookReport

@Suite("Markdown safety")
struct MarkdownSafetyTests {
    @Test("every trick renders without a handler, a script, an unsafe address or live payload", arguments: HostileMarkdown.tricks())
    func trick(name: String, markdown: String) {
        let html = MarkdownHTML.html(markdown)
        #expect(HTMLInspection.problems(html).isEmpty, "\(name): \(HTMLInspection.problems(html)) in \(html)")
        // Only the attributes markdown needs, whatever the trick.
        let attribute = try! NSRegularExpression(pattern: #"<[a-z0-9]+((?: [a-z]+="[^"<>]*")*)>"#)
        let ns = html as NSString
        for t in attribute.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            let attributes = ns.substring(with: t.range(at: 1))
            let names = attributes.matches(of: #/ ([a-z]+)="/#).map { String($0.output.1) }
            #expect(names.allSatisfy { ["href", "src", "alt", "title", "class", "start", "align"].contains($0) }, "\(name): \(html)")
        }
        // The tag pattern above must see every tag: nothing else opens one.
        let tagOpeners = html.components(separatedBy: "<").count - 1
        let closing = html.components(separatedBy: "</").count - 1
        #expect(attribute.numberOfMatches(in: html, range: NSRange(location: 0, length: ns.length)) + closing == tagOpeners, "\(name): \(html)")
    }

    @Test("refused links keep their text; images keep their alt text")
    func refusedShapes() {
        #expect(MarkdownHTML.html("[click](javascript:alert(1))") == "<p><span class=\"blocked-link\">click</span></p>")
        // An image opening a paragraph is a block of its own to Ink (no <p>).
        #expect(MarkdownHTML.html("![a map](data:image/png;base64,AAAA)") == "<span class=\"blocked-image\">a map</span>")
        #expect(MarkdownHTML.html("See ![f](x\" onerror=\"alert(1)\")") == "<p>See <span class=\"blocked-image\">f</span></p>")
        #expect(MarkdownHTML.html("[a](https://example.org/\" onmouseover=\"alert(1)\")") == "<p><span class=\"blocked-link\">a</span></p>")
        #expect(MarkdownHTML.html("[a](https://example.org 'x\" onmouseover=\"y')")
                == "<p><a href=\"https://example.org\" title=\"x&quot; onmouseover=&quot;y\">a</a></p>")
        #expect(MarkdownHTML.html("```x\" onmouseover=\"y\nz\n```") == "<pre><code>z\n</code></pre>")
    }

    @Test("safe links, images, titles, tables and code blocks still work")
    func safeMarkdown() {
        #expect(MarkdownHTML.html("[docs](https://example.org/a?b=1&c=2 \"The docs\")")
                == "<p><a href=\"https://example.org/a?b=1&amp;c=2\" title=\"The docs\">docs</a></p>")
        #expect(MarkdownHTML.html("[FSC](#cell-fsc) and [notes](notes/page.html)")
                == "<p><a href=\"#cell-fsc\">FSC</a> and <a href=\"notes/page.html\">notes</a></p>")
        #expect(MarkdownHTML.html("[x](HTTP://Example.org)") == "<p><a href=\"HTTP://Example.org\">x</a></p>")
        #expect(MarkdownHTML.html("![slices](figures/slices_montage.png)") == "<img src=\"figures/slices_montage.png\" alt=\"slices\">")
        #expect(MarkdownHTML.html("![*bold* \"q\" 'a'](f.png)") == "<img src=\"f.png\" alt=\"bold &quot;q&quot; &#39;a&#39;\">")
        #expect(MarkdownHTML.html("[x](<a b.html> \"T\")") == "<p><a href=\"a%20b.html\" title=\"T\">x</a></p>")
        #expect(MarkdownHTML.html("A \"quoted\" word <b> & x") == "<p>A &quot;quoted&quot; word &lt;b&gt; &amp; x</p>")
        #expect(MarkdownHTML.html("```swift\nlet a = \"<b>\"\n```") == "<pre><code class=\"language-swift\">let a = &quot;&lt;b&gt;&quot;\n</code></pre>")
        let table = MarkdownHTML.html("| a | b |\n|:--|--:|\n| 1 | 2 |")
        #expect(table.contains("<th align=\"left\">a</th>") && table.contains("<td align=\"right\">2</td>"), "\(table)")
        #expect(MarkdownHTML.html("3. three\n4. four").hasPrefix("<ol start=\"3\">"))
    }

    @Test("addresses: http(s), relative and in-page pass; every other scheme, however spelled, is refused")
    func safeURL() {
        for ok in ["https://example.org/x?a=1", "http://x", "//example.org/x", "docs/a b.html", "#cell-fsc", "?q=1", "../up.html", "a%20b"] {
            #expect(SafeURL.checked(ok, for: .link) != nil, "\(ok)")
        }
        #expect(SafeURL.checked("docs/a b.html", for: .link) == "docs/a%20b.html")
        for bad in ["javascript:alert(1)", " JavaScript:alert(1)", "\tjavascript:x", "java\tscript:x", "java\nscript:x", "java\rscript:x",
                    "&#106;avascript:x", "&#x6A;avascript:x", "&#X6a;avascript:x", "&#0000106;avascript:x", "&#106avascript:x",
                    "javascript&colon;x", "java&Tab;script:x", "java&NewLine;script:x", "%6Aavascript:x", "javascript%3Ax",
                    "%256Aavascript:x", "java%09script:x", "javascript\\:x", "vbscript:x", "VBScript:x", "data:text/html,x",
                    "data:image/png;base64,AAAA", "file:///etc/passwd", "mailto:a@b", "ftp://x", "\u{1}javascript:x",
                    "javas\u{0}cript:x", "java\u{200B}script:x", "javascript\u{85}:x", "", "   ", "\u{7F}"] {
            #expect(SafeURL.checked(bad, for: .link) == nil, "\(bad.debugDescription)")
        }
        #expect(SafeURL.checked("figures/a.png", for: .image) == "figures/a.png")
        for bad in ["https://tracker.example/p.png", "//tracker.example/p.png", "\\\\host/p.png", "data:image/png;base64,AAAA", "javascript:x"] {
            #expect(SafeURL.checked(bad, for: .image) == nil, "\(bad)")
        }
        #expect(SafeURL.attribute("https://x/?a=\"b\"&c='d'<e>", for: .link) == "https://x/?a=&quot;b&quot;&amp;c=&#39;d&#39;&lt;e&gt;")
    }

    @Test("escaping works on scalars: a quote with a combining mark is still escaped")
    func scalarEscaping() {
        #expect(HTMLEscape.escape("a\"\u{301}b'\u{301}<\u{301}>&") == "a&quot;\u{301}b&#39;\u{301}&lt;\u{301}&gt;&amp;")
        #expect(ReportContentType().escapeText("x\"\u{301} onload=y") == "x&quot;\u{301} onload=y")
    }

    @Test("the allow-list passes markdown's own tags and escapes everything else")
    func allowList() {
        let kept = "<p><em>a</em> <a href=\"#x\" title=\"t\">b</a><img src=\"f.png\" alt=\"c\"><br><span class=\"blocked-link\">d</span></p>"
        #expect(HTMLTagAllowList.filter(kept) == kept)
        #expect(HTMLTagAllowList.filter("<script>x</script>") == "&lt;script>x&lt;/script>")
        #expect(HTMLTagAllowList.filter("<p onclick=\"x\">a</p>") == "&lt;p onclick=\"x\">a</p>")
        #expect(HTMLTagAllowList.filter("<a href=\"javascript:x\">a</a>") == "&lt;a href=\"javascript:x\">a</a>")
        #expect(HTMLTagAllowList.filter("<a href=\"&#106;avascript:x\">a</a>").hasPrefix("&lt;a"))
        #expect(HTMLTagAllowList.filter("<img src=\"https://t.example/p.png\" alt=\"\">").hasPrefix("&lt;img"))
        #expect(HTMLTagAllowList.filter("<span class=\"x\">a</span>").hasPrefix("&lt;span"))
        #expect(HTMLTagAllowList.filter("<a href=\"#a\" href=\"#b\">a</a>").hasPrefix("&lt;a"))
        #expect(HTMLTagAllowList.filter("<!-- c -->") == "&lt;!-- c -->")
        #expect(HTMLTagAllowList.filter("a < b") == "a &lt; b")
    }
}
