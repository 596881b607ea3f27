import Foundation
import Testing
import Figures
import Notebook
import NotebookCells
import NotebookTestSupport
@testable import NotebookReport

@Suite("PDF report and Jupyter notebook")
struct PDFAndNotebookTests {
    @Test("the PDF passes qpdf --check", .enabled(if: ExternalTools.available(ExternalTools.qpdf, "qpdf")))
    func qpdf() throws {
        let r = try ExternalTools.run(ExternalTools.qpdf!, ["--check", ReportFixture.shared.path("report.pdf")])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("No syntax or stream encoding errors"))
    }

    @Test("pdftoppm renders every page, none blank; pages are numbered and the outline lists the cells",
          .enabled(if: ExternalTools.available(ExternalTools.pdftoppm, "pdftoppm (poppler-utils)") && ExternalTools.available(ExternalTools.pdfinfo, "pdfinfo (poppler-utils)")))
    func pages() throws {
        let f = ReportFixture.shared
        let pdf = f.path("report.pdf")
        let info = try ExternalTools.run(ExternalTools.pdfinfo!, [pdf]).output
        let pages = try #require(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last!) })
        #expect(pages >= 4)
        let prefix = f.data.file("page")
        let r = try ExternalTools.run(ExternalTools.pdftoppm!, ["-r", "24", "-png", pdf, prefix])
        #expect(r.status == 0, "\(r.output)")
        let rendered = try FileManager.default.contentsOfDirectory(atPath: f.data.folder.path).filter { $0.hasPrefix("page") && $0.hasSuffix(".png") }.sorted()
        #expect(rendered.count == pages)
        for name in rendered {
            let image = try RasterImage(pngFile: f.data.file(name))
            #expect(image.nonBackgroundFraction > 0.005, "\(name) is blank")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(bytes.range(of: Data("/Outlines".utf8)) != nil)
        for title in ["Post-processing", "Central slices", "Provenance"] {
            #expect(bytes.range(of: Data("(\(title))".utf8)) != nil, "no outline entry \(title)")
        }
        if let pdftotext = ExternalTools.pdftotext {
            let text = try ExternalTools.run(pdftotext, [pdf, "-"]).output
            #expect(text.contains("page 1 of \(pages)") && text.contains("page \(pages) of \(pages)"))
            #expect(text.contains("At a glance") && text.contains("Resolution, FSC 0.143 (corrected)"))
        }
    }

    @Test("the notebook validates with nbformat",
          .enabled(if: ExternalTools.available(ExternalTools.nbformatPython, "python3 with nbformat")))
    func nbformat() throws {
        let path = ReportFixture.shared.path("report.ipynb")
        let r = try ExternalTools.run(ExternalTools.nbformatPython!, ["-c", """
        import sys, nbformat
        nb = nbformat.read(sys.argv[1], as_version=4)
        nbformat.validate(nb)
        kinds = [c.cell_type for c in nb.cells]
        images = sum(1 for c in nb.cells if c.cell_type == 'code' for o in c.outputs if '<img src="figures/' in o.get('data', {}).get('text/html', ''))
        print(nb.nbformat, nb.nbformat_minor, kinds.count('markdown'), kinds.count('code'), images)
        """, path])
        #expect(r.status == 0, "\(r.output)")
        // Header + the plan's markdown cell; the setup cell and four analysis cells; six figures
        // (fsc: curves and two directional; postprocess: FSC and Guinier; the montage), the
        // compare cell's none.
        #expect(r.output.trimmingCharacters(in: .whitespacesAndNewlines) == "4 5 2 5 6", "\(r.output)")
    }

    @Test("the notebook mirrors the plan: code that runs each cell with its parameters, figures and tables as outputs")
    func notebookStructure() throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ReportFixture.shared.path("report.ipynb")))) as! [String: Any]
        let cells = json["cells"] as! [[String: Any]]
        let code = cells.filter { $0["cell_type"] as? String == "code" }
        #expect(code.map { $0["id"] as! String } == ["mapbook-setup", "cell-fsc", "cell-postprocess", "cell-slices", "cell-summary"])
        let setup = (code[0]["source"] as! [String]).joined()
        #expect(setup.contains("def show_cell(cell_id, parameters):") && setup.contains("os.environ.get(\"MAPBOOK\")"))
        let source = (code[2]["source"] as! [String]).joined()
        #expect(source.contains("# Reads (set in the plan): ") && source.contains("mask: auto"))
        #expect(source.contains("show_cell(\"postprocess\", {") && source.contains("    \"mask_lowpass\": 12,\n"))
        // The outputs a re-execution shows are stored beside the report.
        let stored = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ReportFixture.shared.path("notebook/postprocess/cell.json")))) as! [String: Any]
        #expect((stored["figures"] as! [[String: Any]]).allSatisfy { FileManager.default.fileExists(atPath: ReportFixture.shared.path($0["png"] as! String)) })
        let outputs = code[2]["outputs"] as! [[String: Any]]
        #expect(outputs.contains { (($0["data"] as? [String: Any])?["text/html"] as? [String])?.joined().hasPrefix("<img src=\"figures/postprocess_") == true })
        #expect(outputs.contains { ($0["data"] as? [String: Any])?["text/html"] != nil })
    }

    @Test("a failed cell shows as failed, with its message, in the HTML, the PDF and the notebook")
    func failedCell() throws {
        let data = try NotebookTestData(mismatchedMask: true)
        defer { data.cleanup() }
        let plan = try data.writePlan("dataset: {half_maps: [half1.mrc, half2.mrc], mask: mask.mrc}\ncells:\n  - {kind: postprocess}\n  - {kind: montage, maps: [postprocess.sharpened]}\n")
        try ReportWriter.write(try data.run(plan), to: data.file("out"))
        let html = try String(contentsOfFile: data.file("out/report.html"), encoding: .utf8)
        #expect(html.contains("<section class=\"cell failed\" id=\"cell-postprocess\">"))
        #expect(html.contains("mask is not on the half maps&#39; grid") || html.contains("mask is not on the half maps' grid"))
        #expect(html.contains("<section class=\"cell skipped\" id=\"cell-montage\">"))
        let notebook = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: data.file("out/report.ipynb")))) as! [String: Any]
        // On stderr, not as an error output: executing the notebook must not stop there.
        let errors = (notebook["cells"] as! [[String: Any]]).compactMap { ($0["outputs"] as? [[String: Any]])?.first { $0["name"] as? String == "stderr" } }
        #expect(errors.map { ($0["text"] as! [String]).joined().components(separatedBy: ":")[0] } == ["postprocess failed", "montage skipped"])
        if let pdftotext = ExternalTools.pdftotext {
            let text = try ExternalTools.run(pdftotext, [data.file("out/report.pdf"), "-"]).output
            #expect(text.contains("postprocess · postprocess · failed") && text.contains("grid"))
        }
    }

    @Test("markdown blocks for the PDF: headings, lists, code, plain inline text")
    func markdownBlocks() {
        let blocks = MarkdownBlock.parse("# Title\n\nA **bold** [link](https://x.org) and `code` with resolution_half.\nNext line.\n\n- one\n- two\n\n```\nraw <x>\n```")
        #expect(blocks == [.heading(level: 1, text: "Title"),
                           .paragraph("A bold link (https://x.org) and code with resolution_half. Next line."),
                           .listItem(marker: "•", text: "one"), .listItem(marker: "•", text: "two"), .code("raw <x>")])
    }
}

@Suite("Notes")
struct NotesTests {
    @Test("a parameter hint is a note under its cell in the HTML, the PDF and the notebook, and never a flag at the top")
    func parameterHint() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let plan = try data.writePlan("dataset: {half_maps: [half1.mrc, half2.mrc]}\ncells:\n  - {kind: local_sharpen, id: deblur, k: 0.2}\n")
        let run = try data.run(plan)
        let out = data.file("out")
        try ReportWriter.write(run, to: out)
        let note = "K = 0.2 lies outside the recommended range 0.01–0.05"
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("<p class=\"note\">Note: \(note)</p>"))
        let top = try #require(html.components(separatedBy: "<section class=\"cell").first)
        #expect(!top.contains(note), "a note reached the flags at the top")
        let notebook = try String(contentsOfFile: out + "/notebook/deblur/cell.json", encoding: .utf8)
        #expect(notebook.contains("note: \(note)"))
        if let pdftotext = ExternalTools.pdftotext {
            let text = try ExternalTools.run(pdftotext, [out + "/report.pdf", "-"]).output.replacingOccurrences(of: "\n", with: " ")
            #expect(text.contains("Note: K = 0.2 lies outside"))
        }
    }
}
