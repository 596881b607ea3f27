import Foundation
import Testing
import Notebook
import NotebookCells
import TestSupport
@testable import Facility

@Suite("Facility index: names, messages and flags cannot run as script")
struct IndexPageSafetyTests {
    /// A quote carrying a combining mark (missed by character-level escaping) opening a handler.
    static let quote = "\"\u{301} onmouseover=\"\(BrowserProbe.mark("quote"))\" x=\""

    /// An index whose every text field holds a trick: script-scheme dataset names (which become
    /// report links), script elements, handlers, and quotes, in names, states, messages,
    /// flags, numbers, the manifest path and the version.
    static func hostileIndex() -> FacilityIndex {
        let m = BrowserProbe.mark
        func v(_ text: String) -> FacilityIndex.Value { FacilityIndex.Value(value: nil, display: text, cell: nil) }
        func row(_ name: String, report: String?, state: String = "completed", message: String? = nil, flags: [String] = []) -> FacilityIndex.Row {
            FacilityIndex.Row(dataset: name, manifestLine: 1, state: state, message: message, report: report, reportIsPrevious: true,
                              reportStarted: nil, columns: [IndexColumn.Column.fscResolution.key: v("<script>\(m("fsc"))</script>"),
                                                            IndexColumn.Column.bfactor.key: v(quote), IndexColumn.Column.localResolutionMedian.key: v("n/a"),
                                                            IndexColumn.Column.sharpening.key: v("<img src=x onerror=\(m("sharp"))>"),
                                                            IndexColumn.Column.densityModificationGain.key: v(quote)],
                              flags: flags, seconds: 1)
        }
        return FacilityIndex(manifest: "/data/<script>\(m("manifest"))</script>\(quote).txt", generated: quote, mapbookVersion: "<b>\(quote)", datasets: [
            row("javascript:\(m("name"))//", report: "javascript:\(m("name"))///report.html"),
            row("JaVaScRiPt:\(m("case"))//", report: "JaVaScRiPt:\(m("case"))//report.html"),
            row("java\tscript:\(m("tab"))", report: "java\tscript:\(m("tab"))/report.html"),
            row("data:text/html,<script>\(m("data"))</script>", report: "data:text/html,<script>\(m("data"))</script>/report.html"),
            row("x\(quote)", report: "x\(quote)/report.html", state: "failed\(quote)", message: "<script>\(m("message"))</script>\(quote)",
                flags: ["<img src=x onerror=\(m("flag"))>", quote, "</li></ul><script>\(m("flag2"))</script>"]),
            row("//evil.example/x", report: "//evil.example/x/report.html"),
        ])
    }

    @Test("the page escapes every field and links reports only by relative address")
    func page() {
        let html = Self.hostileIndex().html()
        #expect(HTMLInspection.problems(html, scripts: 1).isEmpty, "\(HTMLInspection.problems(html, scripts: 1))")
        #expect(html.contains("href=\"./javascript:"), "a scheme-like name is made a relative path")
        #expect(!html.contains("href=\"java\tscript"), "an address with a control character is not linked")
        #expect(html.contains("&quot;\u{301} onmouseover") && !html.contains("\"\u{301}"))
        #expect(!html.contains("<script>document") && !html.contains("<img src=x"))
        #expect(!html.contains("href=\"//evil"), "a name is never read as another host")
    }

    @Test("a status message from a real batch folder is escaped too")
    func builtIndex() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        try Data("title: t\n".utf8).write(to: URL(fileURLWithPath: dir.file("p.yaml")))
        let manifest = try BatchManifest.parse("plan p.yaml alpha\n", path: dir.file("m.txt"))
        let layout = BatchLayout(root: dir.file("out"))
        try layout.prepare()
        var status = TaskStatus(dataset: "alpha", state: .failed, started: "2024-01-01T00:00:00Z", host: "h", pid: 1)
        status.message = "<script>\(BrowserProbe.mark("status"))</script>\(Self.quote)"
        try status.write(layout.status("alpha"))
        let html = FacilityIndex.build(manifest: manifest, layout: layout, mapbookVersion: "test").html()
        #expect(HTMLInspection.problems(html, scripts: 1).isEmpty, "\(HTMLInspection.problems(html, scripts: 1))")
        #expect(html.contains("title=\"&lt;script&gt;document"))
    }

    @Test("in headless Chromium, nothing runs: no payload, no handler, no script-scheme link",
          .enabled(if: BrowserProbe.available))
    func browser() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let html = Self.hostileIndex().html()
        let page = dir.file("index.html")
        try Data(html.utf8).write(to: URL(fileURLWithPath: page))
        let plain = BrowserProbe.dumpDOM(page)
        #expect(plain.contains("Click a column header to sort."), "the page's own script ran: \(plain.suffix(300))")
        #expect(BrowserProbe.ranPayload(plain) == nil, "payload \(BrowserProbe.ranPayload(plain) ?? "") ran")
        #expect(HTMLInspection.problems(plain, scripts: 1).isEmpty, "\(HTMLInspection.problems(plain, scripts: 1))")
        let probed = try BrowserProbe.probedDOM(html, copy: dir.file("probed.html"))
        #expect(probed.contains(BrowserProbe.clean(scripts: 1)), "\(probed.suffix(400))")
        #expect(BrowserProbe.ranPayload(probed) == nil, "payload \(BrowserProbe.ranPayload(probed) ?? "") ran")
    }
}
