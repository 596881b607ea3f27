import Foundation
import Testing
import Notebook
import NotebookTestSupport
import TestSupport
@testable import NotebookReport

@Suite("No script from a plan runs in the report (headless Chromium)")
struct BrowserScriptSafetyTests {
    /// Text for the plan's title, dataset name and cell title: a quote with a combining mark
    /// (missed by character-level escaping) opening a handler, and a script element.
    static let hostileText = #"\"\u0301 onmouseover=\"\#(HostileMarkdown.mark("text"))\" <script>\#(HostileMarkdown.mark("textscript"))</script>"#

    /// A custom template that puts plan text into attributes, as a facility's might.
    static let attributeTemplate = """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><title>{{title}}</title></head><body>
    <p id="t" title="{{title}}" data-dataset='{{dataset}}'>{{title}}</p>
    <main>{{#sections}}{{> cell}}{{/sections}}</main>
    </body></html>
    """

    /// Appended to a copy of the page: fires the events the tricks listen for on every
    /// element, then records what a script could still hook into.
    static let probe = """
    <script id="probe">
    (function () {
      var all = document.querySelectorAll("*"), handlers = [], links = [], images = [];
      ["mouseover", "mouseenter", "focus", "error", "load", "animationstart"].forEach(function (type) {
        Array.prototype.forEach.call(all, function (e) { e.dispatchEvent(new Event(type)); });
      });
      Array.prototype.forEach.call(all, function (e) {
        Array.prototype.forEach.call(e.attributes, function (a) { if (/^on/i.test(a.name)) handlers.push(e.tagName + "." + a.name); });
      });
      Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (a) {
        if (["http:", "https:", "file:"].indexOf(a.protocol) < 0) links.push(a.protocol);
      });
      Array.prototype.forEach.call(document.querySelectorAll("img"), function (i) {
        var figure = i.closest("figure") && i.src.indexOf("data:image/png;base64,") === 0;
        if (!figure && new URL(i.src).protocol !== "file:") images.push(i.src.slice(0, 20));
      });
      var scripts = document.querySelectorAll("script:not(#probe)").length;
      var embeds = document.querySelectorAll("iframe, object, embed, svg, frame, base, form").length;
      document.body.setAttribute("data-probe", "handlers=" + handlers.join(",") + ";links=" + links.join(",") +
        ";images=" + images.join(",") + ";scripts=" + scripts + ";embeds=" + embeds);
    })();
    </script></body>
    """

    @Test("a plan holding every trick: the DOM has no handler, script or unsafe address, and no payload ran",
          .enabled(if: ExternalTools.available(ExternalTools.chromium, "chromium-headless-shell (or chromium)")))
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
            labels: ["<img src=y onerror=\\"\(HostileMarkdown.mark("label"))\\">"]
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

        for report in ["builtin", "custom"] {
            let page = data.file("\(report)/report.html")
            let html = try String(contentsOfFile: page, encoding: .utf8)
            #expect(html.contains("blocked-link") && html.contains("&quot;\u{301} onmouseover"), "\(report): the tricks are not in the page")
            // As written: no script at all (the templates have none), nothing a browser would run.
            let plain = try Self.dumpDOM(page)
            #expect(!plain.isEmpty, "\(report): Chromium printed no DOM")
            #expect(HTMLInspection.problems(plain).isEmpty, "\(report): \(HTMLInspection.problems(plain))")
            #expect(Self.ranPayload(plain) == nil, "\(report): payload \(Self.ranPayload(plain) ?? "") ran")
            // With every event fired at every element.
            let probed = data.file("\(report)/probed.html")
            try Data(html.replacingOccurrences(of: "</body>", with: Self.probe).utf8).write(to: URL(fileURLWithPath: probed))
            let dom = try Self.dumpDOM(probed)
            #expect(dom.contains("data-probe=\"handlers=;links=;images=;scripts=0;embeds=0\""), "\(report): \(dom.suffix(300))")
            #expect(Self.ranPayload(dom) == nil, "\(report): payload \(Self.ranPayload(dom) ?? "") ran")
            #expect(HTMLInspection.problems(dom, scripts: 1).isEmpty, "\(report): \(HTMLInspection.problems(dom, scripts: 1))")
        }
    }

    @Test("the check itself sees a payload that runs and a handler that is there",
          .enabled(if: ExternalTools.available(ExternalTools.chromium, "chromium-headless-shell (or chromium)")))
    func checkSeesPayloads() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let page = dir.file("control.html")
        try Data("<!DOCTYPE html><html><body><img src=\"missing.png\" onerror=\"\(HostileMarkdown.mark("control"))\"><a href=\"javascript:x\">x</a></body></html>".utf8)
            .write(to: URL(fileURLWithPath: page))
        let dom = try Self.dumpDOM(page)
        #expect(Self.ranPayload(dom) == "control", "\(dom)")
        #expect(HTMLInspection.problems(dom).count == 2, "\(HTMLInspection.problems(dom))")
    }

    /// The mark a payload that ran left on the root element (the payloads themselves are in
    /// the page as text).
    static func ranPayload(_ dom: String) -> String? {
        guard let root = dom.firstMatch(of: #/<html[^>]*>/#) else { return "(no <html> element)" }
        return root.output.firstMatch(of: #/data-pwned="([^"]*)"/#).map { String($0.output.1) }
    }

    /// The page's DOM after loading (images included) as Chromium serialises it.
    static func dumpDOM(_ page: String) throws -> String {
        let r = try #require(ExternalTool.run(ExternalTools.chromium!, ["--headless", "--no-sandbox", "--disable-gpu",
                                                                       "--virtual-time-budget=3000", "--dump-dom", "file://" + page]))
        return r.stdout
    }
}
