import Foundation
import Testing
import Notebook
import NotebookCells
import NotebookTestSupport
import TestSupport
@testable import NotebookReport

@Suite("No script from a plan runs in the report (headless Chromium)")
struct BrowserScriptSafetyTests {
    /// Text for the plan's title, dataset name and cell title: a quote with a combining mark
    /// (missed by character-level escaping) opening a handler, and a script element.
    static let hostileText = #"\"\u0301 onmouseover=\"\#(BrowserProbe.mark("text"))\" <script>\#(BrowserProbe.mark("textscript"))</script>"#

    /// A custom template that puts plan text into attributes, as a facility's might.
    static let attributeTemplate = """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><title>{{title}}</title></head><body>
    <p id="t" title="{{title}}" data-dataset='{{dataset}}'>{{title}}</p>
    <main>{{#sections}}{{> cell}}{{/sections}}</main>
    </body></html>
    """

    @Test("a plan holding every trick: the DOM has no handler, script or unsafe address, and no payload ran",
          .enabled(if: BrowserProbe.available))
    func noScriptRuns() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let markdown = HostileMarkdown.tricks(inYAML: true).map(\.markdown).joined(separator: "\n\n")
        let block = markdown.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
        let plan = try data.writePlan("""
        title: "Report \(Self.hostileText)"
        dataset:
          name: "set \(Self.hostileText)"
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - markdown: |
        \(block)
          - kind: montage
            title: "Slices \(Self.hostileText)"
            maps: [dataset.half_map_1]
            labels: ["<img src=y onerror=\\"\(BrowserProbe.mark("label"))\\">"]
        """)
        let run = try data.run(plan)
        var options = ReportOptions()
        options.formats = [.html]
        try ReportWriter.write(run, to: data.file("builtin"), options: options)
        let templates = data.file("templates")
        try FileManager.default.createDirectory(atPath: templates, withIntermediateDirectories: true)
        try Data(Self.attributeTemplate.utf8).write(to: URL(fileURLWithPath: templates + "/report.mustache"))
        options.templateDirectory = templates
        try ReportWriter.write(run, to: data.file("custom"), options: options)

        // The built-in page has one script of its own, the slice browser's (the montage's maps,
        // with the hostile label, are its data); the custom template leaves it out.
        for (report, own) in [("builtin", 1), ("custom", 0)] {
            let page = data.file("\(report)/report.html")
            let html = try String(contentsOfFile: page, encoding: .utf8)
            #expect(html.contains("blocked-link") && html.contains("&quot;\u{301} onmouseover"), "\(report): the tricks are not in the page")
            // As written: only the templates' own script, nothing a browser would run from the plan.
            let plain = BrowserProbe.dumpDOM(page)
            #expect(!plain.isEmpty, "\(report): Chromium printed no DOM")
            #expect(HTMLInspection.problems(plain, scripts: own).isEmpty, "\(report): \(HTMLInspection.problems(plain, scripts: own))")
            #expect(BrowserProbe.ranPayload(plain) == nil, "\(report): payload \(BrowserProbe.ranPayload(plain) ?? "") ran")
            if own == 1 { #expect(plain.contains("<canvas"), "the slice browser did not run") }
            // With every event fired at every element.
            let dom = try BrowserProbe.probedDOM(html, copy: data.file("\(report)/probed.html"))
            #expect(dom.contains(BrowserProbe.clean(scripts: own)), "\(report): \(dom.suffix(300))")
            #expect(BrowserProbe.ranPayload(dom) == nil, "\(report): payload \(BrowserProbe.ranPayload(dom) ?? "") ran")
            #expect(HTMLInspection.problems(dom, scripts: own + 1).isEmpty, "\(report): \(HTMLInspection.problems(dom, scripts: own + 1))")
        }
    }

    @Test("the check itself sees a payload that runs and a handler that is there",
          .enabled(if: BrowserProbe.available))
    func checkSeesPayloads() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let page = dir.file("control.html")
        try Data("<!DOCTYPE html><html><body><img src=\"missing.png\" onerror=\"\(BrowserProbe.mark("control"))\"><a href=\"javascript:x\">x</a></body></html>".utf8)
            .write(to: URL(fileURLWithPath: page))
        let dom = BrowserProbe.dumpDOM(page)
        #expect(BrowserProbe.ranPayload(dom) == "control", "\(dom)")
        #expect(HTMLInspection.problems(dom).count == 2, "\(HTMLInspection.problems(dom))")
    }
}
