import Foundation
import Testing
import Figures
import MapbookCore
import Notebook
import NotebookCells
import NotebookTestSupport
@testable import NotebookReport

@Suite("Report bundle")
struct ReportBundleTests {
    @Test("the bundle has the reports, figures as PNG and PDF, data for every plotted series, FSC XML, maps and provenance")
    func layout() throws {
        let f = ReportFixture.shared
        let fm = FileManager.default
        for name in ["report.html", "report.pdf", "report.ipynb", "fsc.xml", "plan.resolved.json", "provenance.json", "events.jsonl"] {
            #expect(fm.fileExists(atPath: f.path(name)), "\(name) missing")
        }
        for stem in ["fsc_fsc", "postprocess_fsc", "postprocess_guinier", "slices_montage"] {
            // SVG only when the plan asks (report: {svg: true}; tested below).
            for ext in ["png", "svg", "pdf"] {
                #expect(fm.fileExists(atPath: f.path("figures/\(stem).\(ext)")) == (ext != "svg"), "\(stem).\(ext)")
            }
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f.path("data/\(stem).json"))))
            #expect(json is [String: Any])
        }
        for name in ["postprocess_fsc.xml", "postprocess_fsc.tsv", "postprocess_report.json", "fsc_fsc.xml"] {
            #expect(fm.fileExists(atPath: f.path("data/\(name)")), "\(name) missing")
        }
        // fsc.xml is the FSC of the best resolution (the post-processing one, masked), in EMDB's format.
        #expect(try Data(contentsOf: URL(fileURLWithPath: f.path("fsc.xml"))) == Data(contentsOf: URL(fileURLWithPath: f.path("data/postprocess_fsc.xml"))))
        #expect(try String(contentsOfFile: f.path("fsc.xml"), encoding: .utf8).hasPrefix("<fsc title=\"mapbook masked-corrected FSC\""))
        for map in ["postprocess_sharpened.mrc", "postprocess_sharpened_masked.mrc", "postprocess_mask.mrc"] {
            #expect(fm.fileExists(atPath: f.path("maps/\(map)")), "\(map) missing")
        }
        for line in try String(contentsOfFile: f.path("events.jsonl"), encoding: .utf8).split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "bad event line \(line)")
        }
        let provenance = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f.path("provenance.json")))) as! [String: Any]
        #expect((provenance["cells"] as? [Any])?.count == 4)
        #expect(!(try fm.contentsOfDirectory(atPath: f.output)).contains { $0.hasPrefix(".mapbook-staging") || $0.hasPrefix(".old-") })
        // The PNG embedded in the HTML is the figure file.
        let html = try String(contentsOfFile: f.path("report.html"), encoding: .utf8)
        let png = try Data(contentsOf: URL(fileURLWithPath: f.path("figures/postprocess_guinier.png")))
        #expect(html.contains(png.base64EncodedString()))
    }

    @Test("a run that fails while writing leaves the previous report as it was")
    func atomic() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let plan = try data.writePlan("dataset: {half_maps: [half1.mrc, half2.mrc]}\ncells:\n  - {kind: montage, maps: [dataset.half_map_1]}\n")
        let run = try data.run(plan)
        let out = data.file("out")
        try ReportWriter.write(run, to: out)
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/report.html"))
        let figuresBefore = try FileManager.default.contentsOfDirectory(atPath: out + "/figures").sorted()
        // A template that does not parse makes the HTML step fail after figures were staged.
        let templates = data.file("templates")
        try FileManager.default.createDirectory(atPath: templates, withIntermediateDirectories: true)
        try Data("{{#sections}} unclosed".utf8).write(to: URL(fileURLWithPath: templates + "/report.mustache"))
        var options = ReportOptions()
        options.templateDirectory = templates
        #expect(throws: MapbookError.self) { try ReportWriter.write(run, to: out, options: options) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/report.html")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/figures").sorted() == figuresBefore)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: out)).contains { $0.hasPrefix(".mapbook-staging") })
    }

    @Test("the templates in templates/ are the ones compiled in, and a template folder overrides them")
    func templates() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for (name, text) in HTMLTemplates.builtIn {
            let file = root.appendingPathComponent("templates/" + (name == "style" ? "style.css" : "\(name).mustache")).path
            #expect(try String(contentsOfFile: file, encoding: .utf8) == text + "\n", "\(file) differs from the built-in copy; run scripts/embed-templates.sh")
        }
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let plan = try data.writePlan("dataset: {half_maps: [half1.mrc, half2.mrc]}\ncells:\n  - markdown: hello\n")
        let run = try data.run(plan)
        try FileManager.default.createDirectory(atPath: data.file("t"), withIntermediateDirectories: true)
        try Data("<html><body class=\"facility\">{{title}} {{#sections}}{{> cell}}{{/sections}}</body></html>".utf8)
            .write(to: URL(fileURLWithPath: data.file("t/report.mustache")))
        var options = ReportOptions()
        options.templateDirectory = data.file("t")
        options.formats = [.html]
        try ReportWriter.write(run, to: data.file("out"), options: options)
        let html = try String(contentsOfFile: data.file("out/report.html"), encoding: .utf8)
        #expect(html.hasPrefix("<html><body class=\"facility\">mapbook report "))
        #expect(html.contains("<p>hello</p>"))   // the built-in cell partial still renders
        #expect(!FileManager.default.fileExists(atPath: data.file("out/report.pdf")))
    }

    @Test("report: {svg: true} adds SVG copies of the drawings, but not of figures made of images")
    func svgOnRequest() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let plan = try data.writePlan("dataset: {half_maps: [half1.mrc, half2.mrc]}\ncells:\n  - {kind: fsc, id: fsc}\n  - {kind: montage, id: slices, maps: [dataset.half_map_1]}\nreport: {svg: true}\n")
        try ReportWriter.write(try data.run(plan), to: data.file("out"))
        #expect(FileManager.default.fileExists(atPath: data.file("out/figures/fsc_fsc.svg")))
        #expect(!FileManager.default.fileExists(atPath: data.file("out/figures/slices_montage.svg")))
        let html = try String(contentsOfFile: data.file("out/report.html"), encoding: .utf8)
        #expect(html.contains("href=\"figures/fsc_fsc.svg\"") && !html.contains("href=\"figures/slices_montage.svg\""))
        let bad = try data.writePlan("dataset: {half_maps: [half1.mrc, half2.mrc]}\ncells:\n  - {kind: fsc}\nreport: {svg: maybe}\n", name: "bad.yaml")
        #expect { try PlanParser.load(path: bad) } throws: { "\($0)".contains("report svg must be true or false, found 'maybe'") }
    }
}
