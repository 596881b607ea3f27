import Foundation
import Testing
import MapbookCore
import Notebook
import NotebookCells
import TestSupport
@testable import NotebookReport

/// The benchmark cell in a plan of its own, written as HTML, PDF and notebook.
@Suite("Benchmark report")
struct BenchmarkReportTests {
    /// The synthetic table with a hostile work name and fact, run and written in `folder/out`.
    static func writeReport(in folder: TemporaryDirectory) throws -> [String] {
        var table = try String(contentsOfFile: SharedData.fixture("bench/powers.tsv"), encoding: .utf8)
        table = table.replacingOccurrences(of: "cube", with: "<script>alert(1)</script>")
            .replacingOccurrences(of: "# threads: 2", with: "# machine: <img src=x onerror=alert(2)>\n# threads: 2")
        try Data(table.utf8).write(to: URL(fileURLWithPath: folder.file("results.tsv")))
        try Data("""
        title: "Benchmark <b>report</b>"
        dataset:
          benchmark: results.tsv
        cells:
          - markdown: "What the benchmark measures."
          - kind: benchmark
            id: bench
        """.utf8).write(to: URL(fileURLWithPath: folder.file("report.yaml")))
        let plan = try PlanParser.load(path: folder.file("report.yaml"))
        try plan.checkDatasetFiles()
        var options = RunOptions(cacheDirectory: folder.file("out/cache"), mapbookVersion: "test")
        options.commandLine = ["test"]
        let run = try NotebookRunner(plan: plan, options: options).run()
        #expect(run.cells.allSatisfy { $0.succeeded }, "\(run.cells.map { $0.message ?? "" })")
        return try ReportWriter.write(run, to: folder.file("out"))
    }

    @Test("HTML: the tables, the scaling figure and its data; every text from the table escaped")
    func html() throws {
        let folder = TemporaryDirectory()
        defer { folder.cleanup() }
        _ = try Self.writeReport(in: folder)
        let html = try String(contentsOfFile: folder.file("out/report.html"), encoding: .utf8)
        for heading in ["Wall time, peak memory, peer and FFT floor", "Growth exponent", "peer / mapbook", "mapbook / floor", "Scaling with box size"] {
            #expect(html.contains(heading), "\(heading) missing")
        }
        // The square work's row at 128 as bench/results.md prints it: 16.384 s, 6 maps, peer 4.19 s (0.256×), floor 8.19 s (2×).
        #expect(html.contains("<td>square</td><td>128</td><td>16.38</td><td>48</td><td>6.0</td><td>peer_tool</td><td>4.19</td><td>100</td><td>0.3×</td><td>9</td><td>8.19</td><td>2.0×</td>"))
        #expect(!html.contains("<script>alert(1)") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<img src=x") && html.contains("&lt;img src=x onerror=alert(2)&gt;"))
        #expect(!html.contains("<b>report</b>"))
        #expect(html.contains("bench_scaling"), "the figure is not in the page")

        let data = try Data(contentsOf: URL(fileURLWithPath: folder.file("out/data/bench_scaling.json")))
        let figure = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let series = try #require(figure["series"] as? [[String: Any]])
        // square: mapbook, peer and floor; the other work: mapbook only.
        #expect(series.map { "\($0["work"]!) \($0["role"]!)" } == ["square mapbook", "square peer", "square floor", "<script>alert(1)</script> mapbook"])
        #expect(series.allSatisfy { ($0["sizes"] as? [Double]) == [32, 64, 128] })
        #expect(abs((series[0]["exponent"] as? Double ?? 0) - 2) < 1e-9 && abs((series[3]["exponent"] as? Double ?? 0) - 3) < 1e-9)
        for format in ["png", "pdf"] {
            #expect(FileManager.default.fileExists(atPath: folder.file("out/figures/bench_scaling.\(format)")), "\(format)")
        }
    }

    @Test("PDF and notebook carry the table and the figure",
          .enabled(if: ExternalTools.available(ExternalTools.pdftotext, "pdftotext")))
    func pdfAndNotebook() throws {
        let folder = TemporaryDirectory()
        defer { folder.cleanup() }
        _ = try Self.writeReport(in: folder)
        let text = try ExternalTools.run(ExternalTools.pdftotext!, [folder.file("out/report.pdf"), "-"]).output
        #expect(text.contains("Wall time, peak memory, peer and FFT floor") && text.contains("Growth exponent") && text.contains("<script>alert(1)</script>"))
        #expect(!text.contains("Symmetry"), "a dataset of no maps has no symmetry row")
        if let python = ExternalTools.nbformatPython {
            let r = try ExternalTools.run(python, ["-c", """
            import sys, nbformat
            nb = nbformat.read(sys.argv[1], as_version=4)
            nbformat.validate(nb)
            html = ''.join(o.get('data', {}).get('text/html', '') for c in nb.cells if c.cell_type == 'code' for o in c.outputs)
            print('figure' if 'figures/bench_scaling.png' in html else 'no figure', 'escaped' if '&lt;script&gt;' in html and '<script>alert' not in html else 'raw')
            """, folder.file("out/report.ipynb")])
            #expect(r.status == 0 && r.output.contains("figure escaped"), "\(r.output)")
        }
    }
}
