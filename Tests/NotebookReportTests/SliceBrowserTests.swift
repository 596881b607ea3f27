import Foundation
import Testing
import Notebook
import NotebookCells
import NotebookTestSupport
import TestSupport
import Figures
@testable import NotebookReport

/// The report's slice browser in headless Chromium: it appears only with scripts, moving its
/// position slider changes what it draws, and its data stays within the budget.
@Suite("Slice browser in report.html (headless Chromium)")
struct SliceBrowserTests {
    /// Appended before `</body>`: hides everything but the browser (so the screenshot shows
    /// it), then runs `action` (JavaScript) on it.
    static func showingBrowser(_ html: String, then action: String) -> String {
        let script = """
        <script id="harness">(function () {
          var b = document.getElementById("slice-browser");
          Array.prototype.forEach.call(document.body.children, function (e) { if (e !== b && e.tagName !== "SCRIPT") { e.style.display = "none"; } });
          \(action)
        })();</script></body>
        """
        return html.replacingOccurrences(of: "</body>", with: script)
    }

    /// The screenshot of `html` (written to `copy`) as Chromium draws it, 900 × 900.
    static func screenshot(_ html: String, copy: String) throws -> RasterImage? {
        try Data(html.utf8).write(to: URL(fileURLWithPath: copy))
        guard let chromium = BrowserProbe.chromium else { return nil }
        let png = copy + ".png"
        _ = ExternalTool.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000", "--window-size=900,900",
                                        "--screenshot=" + png, "file://" + copy])
        return try? RasterImage(pngFile: png)
    }

    @Test("moving the position slider redraws the slices: two screenshots differ; without the script the browser stays hidden and the montage shows",
          .enabled(if: BrowserProbe.available))
    func sliderChangesTheView() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let plan = try data.writePlan("""
        dataset:
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - kind: montage
            id: slices
            maps: [dataset.half_map_1, dataset.half_map_2]
        """)
        let run = try data.run(plan)
        var options = ReportOptions()
        options.formats = [.html]
        try ReportWriter.write(run, to: data.file("out"), options: options)
        let html = try String(contentsOfFile: data.file("out/report.html"), encoding: .utf8)
        #expect(html.contains("id=\"slice-browser\" hidden"), "the browser is hidden until its script shows it")
        #expect(html.contains("<img src=\"data:image/png;base64,"), "the static montage is on the page")

        let dom = BrowserProbe.dumpDOM(data.file("out/report.html"))
        #expect(dom.contains("<canvas"), "the script drew no slices")
        #expect(!dom.contains("id=\"slice-browser\" hidden"), "the script did not show the browser")

        let before = try #require(try Self.screenshot(Self.showingBrowser(html, then: ""), copy: data.file("out/a.html")))
        let move = #"var p = b.querySelector("input[name=position]"); p.value = 150; p.dispatchEvent(new Event("input"));"#
        let after = try #require(try Self.screenshot(Self.showingBrowser(html, then: move), copy: data.file("out/b.html")))
        let diff = after.difference(from: before)
        #expect(diff.sameSize && diff.differingFraction > 0.01, "\(diff)")
        // The same page, same slider: identical (the difference is the slider's doing).
        let again = try #require(try Self.screenshot(Self.showingBrowser(html, then: ""), copy: data.file("out/c.html")))
        #expect(again.difference(from: before).differingFraction < 0.001)

        // With scripts disabled the browser is not shown at all.
        let noScript = try #require(try Self.screenshot(html.replacingOccurrences(of: "<script>", with: "<script type=\"text/plain\">"), copy: data.file("out/d.html")))
        let blank = try #require(try Self.screenshot(Self.showingBrowser(html, then: "b.hidden = true;"), copy: data.file("out/e.html")))
        #expect(noScript.difference(from: blank).differingFraction > 0.01, "the page without scripts shows its figures")
    }

    @Test("the embedded maps stay within the budget however many maps the montage shows, each map once")
    func budget() throws {
        let data = try NotebookTestData(size: 48)
        defer { data.cleanup() }
        let maps = Array(repeating: "dataset.half_map_1", count: 3) + Array(repeating: "dataset.half_map_2", count: 3)
        let plan = try data.writePlan("""
        dataset:
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - kind: montage
            maps: [\(maps.joined(separator: ", "))]
          - kind: views
            maps: [dataset.half_map_1]
        """)
        let run = try data.run(plan)
        var options = ReportOptions()
        options.formats = [.html]
        try ReportWriter.write(run, to: data.file("out"), options: options)
        let html = try String(contentsOfFile: data.file("out/report.html"), encoding: .utf8)
        let stacks = html.matches(of: #/data-bytes="([A-Za-z0-9+/=]*)"/#).map { $0.output.1.count }
        #expect(stacks.count == 2, "each map once: \(stacks.count)")
        #expect(stacks.reduce(0, +) <= 1_000_000)
        #expect(html.matches(of: #/<script>/#).count == 1)
    }
}
