import Foundation
import Testing
import MapbookCore
import TestSupport
@testable import Facility

@Suite("Facility index templates")
struct IndexTemplateTests {
    @Test("the index templates in templates/ are the ones compiled in")
    func builtIn() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for t in FacilityIndex.templates where IndexTemplates.builtIn[t.name] != nil {
            let file = root.appendingPathComponent("templates/" + t.file).path
            #expect(try String(contentsOfFile: file, encoding: .utf8) == t.builtIn + "\n", "\(file) differs from the built-in copy; run scripts/embed-templates.sh")
        }
        #expect(Set(FacilityIndex.templates.map(\.name)) == ["index", "index_style", "style"])
    }

    @Test("a template folder replaces the page and keeps the escaping; a missing file falls back; a broken one is an error")
    func templateDirectory() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        try Data("<html><style>{{> index_style}}</style><body>{{#rows}}<p title=\"{{dataset}}\">{{dataset}}</p>{{/rows}}</body></html>".utf8)
            .write(to: URL(fileURLWithPath: dir.file("index.mustache")))
        let html = try IndexPageSafetyTests.hostileIndex().html(templateDirectory: dir.path)
        #expect(html.hasPrefix("<html><style>body { max-width: none;"))   // the built-in index_style
        // Escaped by scalar, as in the report: the quote with a combining mark does not end the attribute.
        let markedQuote = "\"\u{301}"
        #expect(html.contains("<p title=\"x&quot;\u{301} onmouseover=") && !html.contains(markedQuote))
        #expect(HTMLInspection.problems(html, scripts: 0).isEmpty, "\(HTMLInspection.problems(html, scripts: 0))")

        try Data("{{#rows}} unclosed".utf8).write(to: URL(fileURLWithPath: dir.file("index.mustache")))
        #expect(throws: MapbookError.self) { try IndexPageTests.index().html(templateDirectory: dir.path) }
        let layout = BatchLayout(root: dir.file("out"))
        try layout.prepare()
        #expect(throws: MapbookError.self) { try IndexPageTests.index().write(to: layout, templateDirectory: dir.path) }
        #expect(!FileManager.default.fileExists(atPath: dir.file("out/index.json")), "nothing is written when the page cannot be")
    }
}
