import Foundation
import Testing
import Notebook
import NotebookCells
import TestSupport
@testable import Facility

@Suite("Facility index page")
struct IndexPageTests {
    /// An index of three datasets, one without post-processing, one that failed.
    static func index() -> FacilityIndex {
        func v(_ x: Double?, _ unit: String) -> FacilityIndex.Value {
            FacilityIndex.Value(value: x, display: x.map { String(format: "%.2f \(unit)", $0) } ?? "n/a", cell: x == nil ? nil : "postprocess")
        }
        func row(_ name: String, _ line: Int, _ state: String, _ res: Double?, _ b: Double?, flags: [String] = []) -> FacilityIndex.Row {
            FacilityIndex.Row(dataset: name, manifestLine: line, state: state, message: nil, report: "\(name)/report.html", reportIsPrevious: false,
                              reportStarted: nil, columns: [IndexColumn.Column.fscResolution.key: v(res, "Å"), IndexColumn.Column.bfactor.key: v(b, "Å²"),
                                                            IndexColumn.Column.localResolutionMedian.key: v(nil, ""),
                                                            IndexColumn.Column.sharpening.key: FacilityIndex.Value(value: nil, display: "global B (auto)", cell: "postprocess"),
                                                            IndexColumn.Column.densityModificationGain.key: v(nil, "")],
                              flags: flags, seconds: 1)
        }
        return FacilityIndex(manifest: "/data/m.txt", generated: "2024-01-01T00:00:00Z", mapbookVersion: "test", datasets: [
            row("b<x>", 2, "completed", 3.5, -80, flags: ["mask \"touches\" the box, edge"]),
            row("a", 3, "failed", nil, nil),
            row("c", 4, "completed", 2.9, -120),
        ])
    }

    @Test("HTML escapes names and flags; the CSV quotes what needs quoting and leaves missing numbers empty")
    func escaping() {
        let index = Self.index()
        let html = index.html()
        #expect(html.contains("<a href=\"b&lt;x&gt;/report.html\">b&lt;x&gt;</a>"))
        #expect(!html.contains("<x>"))
        #expect(html.contains("<li>mask &quot;touches&quot; the box, edge</li>"))
        // Columns no dataset fills are left off the page but kept in the CSV.
        #expect(html.contains("FSC resolution") && !html.contains("Mean Q") && !html.contains("DM gain"))
        #expect(index.csv().hasPrefix("dataset,state,date,pixel_size_A,box,symmetry,fsc_resolution_A,fsc_resolution_A_limit,")
                && index.csv().contains(",mean_q,cc_mask,d_fsc_model_A,fail_count,caution_count,pass_count,flag_count,verdicts,flags,thumbnail,report\n"))
        let csv = index.csv().split(separator: "\n").map(String.init)
        #expect(csv.count == 4)
        // Columns no cell of these datasets fills (the model fit's) stay empty.
        #expect(csv[1] == "b<x>,completed,,,,,3.5000,,-80.0000,,global B (auto),,,,,0,0,0,1,,\"mask \"\"touches\"\" the box, edge\",,b<x>/report.html")
        #expect(csv[2] == "a,failed,,,,,,,,,global B (auto),,,,,0,0,0,0,,,,a/report.html")
    }

    @Test("clicking a header sorts the table in a real browser (skipped without Chromium)")
    func sortsInBrowser() throws {
        let candidates = ["chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"]
        guard let browser = candidates.first(where: { ExternalTool.run("which", [$0])?.status == 0 }) else {
            print("skipping: no headless Chromium (apt-get install chromium-headless-shell)")
            return
        }
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        // Click "FSC resolution" once (ascending) and "Dataset" twice (descending); record the orders.
        let probe = """
        <script>
        var th = document.querySelectorAll("th"), order = function () {
          return Array.prototype.map.call(document.querySelectorAll("tbody tr"), function (r) { return r.cells[1].textContent; }).join("|"); };
        th[7].click(); var byResolution = order();
        th[1].click(); th[1].click(); var byName = order();
        document.body.setAttribute("data-probe", byResolution + ";" + byName + ";" + th[1].getAttribute("aria-sort"));
        </script></body></html>
        """
        let page = Self.index().html().replacingOccurrences(of: "</body></html>", with: probe)
        try Data(page.utf8).write(to: URL(fileURLWithPath: dir.file("index.html")))
        let r = try #require(ExternalTool.run(browser, ["--no-sandbox", "--disable-gpu", "--headless", "--dump-dom", "file://" + dir.file("index.html")]))
        #expect(r.stdout.contains("data-probe=\"c|b&lt;x&gt;|a;c|b&lt;x&gt;|a;descending\""), "\(r.stdout.suffix(400))")
        #expect(r.stdout.contains("Click a column header to sort."))
    }
}
