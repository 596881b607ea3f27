import Foundation
import Testing
import Figures
import Notebook
import NotebookCells
import NotebookTestSupport
@testable import NotebookReport

@Suite("HTML report")
struct HTMLReportTests {
    @Test("hostile text from a plan (<script>, &, Å) comes out escaped in the HTML and the notebook")
    func hostileStrings() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let hostile = "<script>alert('x')</script> & Å"
        let plan = try data.writePlan("""
        title: "\(hostile)"
        dataset:
          name: "<b>bold</b>"
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - markdown: |
              # Heading <script>alert(1)</script>
              Fish & chips at 3 Å, `<code>` kept, <img src=x onerror=alert(2)> too.
              [link](javascript:alert(3))
          - kind: montage
            title: "<script>alert(4)</script>"
            maps: [dataset.half_map_1]
            labels: ["<img src=y onerror=alert(5)>"]
        """)
        let run = try data.run(plan)
        try ReportWriter.write(run, to: data.file("out"))
        let html = try String(contentsOfFile: data.file("out/report.html"), encoding: .utf8)
        // The one script is the slice browser's, exactly as built in; the plan added none.
        let browserScript = try #require(HTMLTemplates.builtIn["slice_browser"]?.firstMatch(of: #/<script>[\s\S]*</script>/#)?.output)
        #expect(html.components(separatedBy: "<script").count == 2 && html.contains(browserScript))
        #expect(!html.replacingOccurrences(of: browserScript, with: "").contains("<script"), "a <script> element got through")
        #expect(!html.contains("<img src=x") && !html.contains("<img src=y") && !html.contains("<b>bold"))
        #expect(!html.contains("javascript:"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Å") || html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; Å"))
        #expect(html.contains("Fish &amp; chips at 3 Å"))
        #expect(html.contains("<code>&lt;code&gt;</code>"))
        #expect(html.contains("<title>&lt;script&gt;"))
        // In the notebook, what Jupyter renders as HTML: markdown cells and text/html outputs.
        let notebook = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: data.file("out/report.ipynb")))) as! [String: Any]
        var rendered = ""
        for cell in notebook["cells"] as! [[String: Any]] {
            if cell["cell_type"] as? String == "markdown" { rendered += (cell["source"] as! [String]).joined() }
            for output in cell["outputs"] as? [[String: Any]] ?? [] {
                rendered += ((output["data"] as? [String: Any])?["text/html"] as? [String] ?? []).joined()
            }
        }
        #expect(rendered.contains("&lt;script"))
        #expect(!rendered.contains("<script") && !rendered.contains("<img src=x") && !rendered.contains("<img src=y"), "\(rendered)")
        // The only images are the report's own figures, by relative path, with no event handler.
        for img in rendered.components(separatedBy: "<img ").dropFirst() {
            let tag = img.prefix { $0 != ">" }
            #expect(tag.hasPrefix("src=\"figures/") && !tag.lowercased().contains(" on"), "\(tag)")
        }
    }

    @Test("markdown: raw HTML is escaped, code keeps its text, markdown still works")
    func markdown() {
        let html = MarkdownHTML.html("# Title\n\nSome **bold** and <b>raw</b> text, `a<b` code.\n\n```\nx < y\n```\n\n- item")
        #expect(html.contains("<h1>Title</h1>") && html.contains("<strong>bold</strong>") && html.contains("<li>item</li>"))
        #expect(!html.contains("<b>raw"))
        #expect(html.contains("<code>a&lt;b</code>"))
        #expect(html.contains("x &lt; y"))
    }

    @Test("the HTML renders in headless Chromium to a screenshot that is not blank",
          .enabled(if: ExternalTools.available(ExternalTools.chromium, "chromium-headless-shell (or chromium)")))
    func chromium() throws {
        let f = ReportFixture.shared
        let shot = f.data.file("screenshot.png")
        let r = try ExternalTools.run(ExternalTools.chromium!, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                                                "--window-size=1100,1400", "--screenshot=\(shot)", "file://" + f.path("report.html")])
        #expect(r.status == 0, "\(r.output)")
        let image = try RasterImage(pngFile: shot)
        #expect(image.width == 1100 && image.height == 1400)
        // Text, tables and a figure: far from a blank page.
        #expect(image.nonBackgroundFraction > 0.05, "\(image.nonBackgroundFraction)")
        #expect(image.distinctColors() > 200)
    }
}

@Suite("The report's verdict")
struct VerdictReportTests {
    @Test("one verdict line per measuring section, worst first, in the HTML, the notebook and the PDF's content")
    func verdictLines() throws {
        let f = ReportFixture.shared
        let content = ReportContent(run: f.run, pngs: [:], generated: Date())
        #expect(!content.verdicts.isEmpty)
        #expect(content.verdicts.map(\.level) == content.verdicts.map(\.level).sorted(by: >), "worst first: \(content.verdicts)")
        let sections = content.verdicts.map(\.section)
        #expect(Set(sections).count == sections.count, "one line per section: \(sections)")
        let html = try String(contentsOfFile: f.path("report.html"), encoding: .utf8)
        #expect(html.contains("<section class=\"verdict\">"))
        for v in content.verdicts { #expect(html.contains("<td class=\"level\">\(v.level.rawValue.uppercased())</td>")) }
        let notebook = try String(contentsOfFile: f.path("report.ipynb"), encoding: .utf8)
        #expect(notebook.contains("| Verdict | | |"))
    }
}
