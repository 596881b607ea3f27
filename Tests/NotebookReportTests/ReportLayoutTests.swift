import Foundation
import Testing
import Figures
import Notebook
import NotebookTestSupport
import TestSupport
@testable import NotebookReport

/// Layout of tables and headings in the PDF, and folded tables in the HTML.
@Suite("Report layout")
struct ReportLayoutTests {
    static let date = Date(timeIntervalSince1970: 0)

    /// The text of `pages` (first, last) of the PDF bytes, by pdftotext.
    static func text(_ pdf: Data, in folder: TemporaryDirectory, pages: (Int, Int)? = nil) throws -> String {
        let path = folder.file("layout.pdf")
        try pdf.write(to: URL(fileURLWithPath: path))
        let range = pages.map { ["-f", "\($0.0)", "-l", "\($0.1)"] } ?? []
        return try ExternalTools.run(ExternalTools.pdftotext!, range + [path, "-"]).output
    }

    @Test("a PDF table never wraps a number: each number with its unit or partner stays on one line, even in a crowded table",
          .enabled(if: ExternalTools.available(ExternalTools.pdftotext, "pdftotext (poppler-utils)")))
    func numbersStayWhole() throws {
        let folder = TemporaryDirectory()
        defer { folder.cleanup() }
        let w = try PDFPageWriter(title: "t", totalPages: 1, date: Self.date)
        let values = ["1.86 / 33", "−80.0 Å²", "96 × 96 × 96", "0.812 / 0.799", "3.12 → 2.95 Å", "12.5 %", "4.52 Å"]
        let prose = "a long description of what the row holds, which may wrap across as many lines as it likes because it is words"
        w.table(["What"] + values.indices.map { "Map \($0 + 1)" }, [[prose] + values, [prose] + values.reversed()], title: "Crowded")
        let text = try Self.text(try w.finish().data, in: folder)
        for v in values { #expect(text.contains(v), "\(v) is broken in:\n\(text)") }
    }

    @Test("no-break units: numbers bind to units, operators and the next number; words do not")
    func units() {
        #expect(TableText.unbreakable("1.86 / 33") == "1.86\u{a0}/\u{a0}33")
        #expect(TableText.unbreakable("−80.0 Å² (fitted from 10.0 to 4.2 Å)") == "−80.0\u{a0}Å² (fitted from 10.0 to 4.2\u{a0}Å)")
        #expect(TableText.unbreakable("CC 0.812 / 0.799") == "CC 0.812\u{a0}/\u{a0}0.799")
        #expect(TableText.unbreakable("global B (auto)") == "global B (auto)")
        #expect(TableText.printable("1.86\u{a0}/\u{a0}33") == "1.86 / 33")
    }

    @Test("a cell's heading goes to the page of its first figure",
          .enabled(if: ExternalTools.available(ExternalTools.pdftotext, "pdftotext (poppler-utils)")))
    func headingWithFigure() throws {
        let folder = TemporaryDirectory()
        defer { folder.cleanup() }
        let content = ReportContent(run: ReportFixture.shared.run, pngs: [:], generated: Self.date)
        let cell = try #require(content.cells.first { $0.record.id == "postprocess" })
        let w = try PDFPageWriter(title: "t", totalPages: 2, date: Self.date)
        // Above the point where a cell starts a new page anyway, with room for the heading and
        // summary but not for the figure under them.
        w.y = PDFPageWriter.pageHeight * 0.52
        #expect(PDFPageWriter.pageHeight - PDFPageWriter.bottom - w.y > 120)
        #expect(PDFPageWriter.pageHeight - PDFPageWriter.bottom - w.y < w.leadHeight(cell))
        w.cell(cell, outline: false)
        let data = try w.finish().data
        let first = try Self.text(data, in: folder, pages: (1, 1)), second = try Self.text(data, in: folder, pages: (2, 2))
        let status = "postprocess · postprocess"
        #expect(!first.contains(status), "the heading was left on page 1:\n\(first)")
        #expect(second.contains(status) && second.contains("Spatial frequency"), "page 2:\n\(second)")
    }

    @Test("a collapsed table is folded in the HTML (closed <details>, rows not visible in Chromium) and whole in the notebook")
    func collapsedTable() throws {
        let folder = TemporaryDirectory()
        defer { folder.cleanup() }
        var content = ReportContent(run: ReportFixture.shared.run, pngs: [:], generated: Self.date)
        let trials = ReportTable(title: "Trials", columns: ["#", "score"], rows: (1...30).map { ["\($0)", "0.\(1000 + $0)"] }, collapsed: true)
        let index = try #require(content.sections.firstIndex { if case .cell = $0 { return true } else { return false } })
        guard case .cell(var item) = content.sections[index] else { return }
        item.tables.append(trials)
        content.sections[index] = .cell(item)
        let html = try HTMLReport.render(content, templateDirectory: nil)
        let folded = try #require(html.firstMatch(of: #/<details class="table"([^>]*)><summary>Trials \(30 rows\)</summary>(.*?)</details>/#.dotMatchesNewlines()))
        #expect(folded.output.1.isEmpty, "opened: \(folded.output.1)")
        #expect(folded.output.2.contains("<td>0.1030</td>"))
        // Other tables stay open.
        #expect(html.components(separatedBy: "<details class=\"table\"").count == 2)
        let notebook = String(decoding: try JupyterNotebook.json(content, setup: NotebookPython.Setup(planRelative: "plan.yaml", planAbsolute: "/plan.yaml", cache: "cache", mapbookExecutable: nil, mapbookVersion: "test")), as: UTF8.self)
        #expect(notebook.contains("0.1030"))
        if BrowserProbe.available {
            let page = folder.file("report.html")
            let probe = "<script>var d = document.querySelector('details.table'); document.body.setAttribute('data-folded', String(!d.open && !d.querySelector('table').checkVisibility()));</script></body>"
            try Data(html.replacingOccurrences(of: "</body>", with: probe).utf8).write(to: URL(fileURLWithPath: page))
            let dom = BrowserProbe.dumpDOM(page)
            #expect(dom.contains("data-folded=\"true\""), "\(dom.prefix(300))")
        } else {
            print("skipping the Chromium check: no Chromium")
        }
    }
}
