import Foundation
import Testing
import Figures
import MapbookCore
import Notebook
import NotebookCells
import TestSupport
@testable import Facility

@Suite("Facility index of 60 datasets: severity counts, thumbnails, dataset facts, Nyquist limits, failed rows, FSC overlay")
struct LargeIndexTests {
    /// "fail=1 caution=0 pass=1 flags=2" for a dataset, as the page should count it.
    static func expectedCounts(_ d: SyntheticBatch.Dataset) -> String {
        if d.taskFailed { return "fail=0 caution=0 pass=0 flags=0" }
        let l = d.postprocessLevel
        return "fail=\(l == .fail ? 1 : 0) caution=\(l == .caution ? 1 : 0) pass=\(l == .pass ? 2 : 1) flags=\(d.flags.count)"
    }

    @Test("index.json and index.csv: counts by severity, dataset facts, the limit marker, thumbnails and the overlay's files")
    func files() throws {
        let batch = try SyntheticBatch()
        defer { batch.cleanup() }
        let index = try batch.writeIndex()
        #expect(index.datasets.count == 60)
        let root = batch.layout.root
        for (row, d) in zip(index.datasets, batch.datasets) {
            let s = row.severity
            #expect("fail=\(s.fail) caution=\(s.caution) pass=\(s.pass) flags=\(s.flags)" == Self.expectedCounts(d), "\(d.name)")
            #expect(row.isFailed == (d.taskFailed || d.postprocessLevel == .fail), "\(d.name)")
            let resolution = row[.fscResolution]
            if d.taskFailed {
                #expect(row.thumbnail == nil && row.grid == nil && resolution.display == "no report")
                continue
            }
            #expect(row.grid == DatasetGrid(box: [d.box, d.box, d.box], voxelSize: d.pixel) && row.symmetry == d.symmetry && row.date == "2024-03-05")
            #expect(resolution.value == d.resolution)
            if d.nyquistLimited {
                #expect(resolution.limit == .atMost && resolution.display == String(format: "≤ %.2f Å (Nyquist)", 2 * d.pixel), "\(resolution.display)")
            } else {
                #expect(resolution.limit == nil && resolution.display == String(format: "%.2f Å", d.resolution))
            }
            // The thumbnail: the montage where there is one, else the FSC figure, scaled into 150 × 100 pt at the default pixels per point.
            #expect(row.figure == "\(d.name)/figures/\(d.figure)")
            let thumbnail = try RasterImage(pngFile: root + "/" + (try #require(row.thumbnail)))
            let scale = FigureRenderer.defaultScale
            #expect(thumbnail.width == Int((150 * scale).rounded()) && thumbnail.height == Int((45 * scale).rounded()), "400 × 120 scales by 0.375 to 150 × 45 pt")
            #expect(thumbnail.distinctColors() > 8, "the stripes survive scaling")
        }
        // The CSV has a machine-readable limit beside the resolution, and the facts.
        let csv = try String(contentsOfFile: root + "/index.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = csv[0]
        let column = { (name: String) in try #require(header.firstIndex(of: name)) }
        let (res, limit, pixel, box, fails) = (try column("fsc_resolution_A"), try column("fsc_resolution_A_limit"), try column("pixel_size_A"),
                                               try column("box"), try column("fail_count"))
        #expect(csv.count == 61)
        let ds12 = csv[13]
        #expect(ds12[0] == "ds12" && ds12[res] == "2.0000" && ds12[limit] == "at_most" && ds12[pixel] == "1.0000" && ds12[box] == "64x64x64")
        #expect(csv[16][0] == "ds15" && csv[16][res] == "2.0000" && csv[16][limit] == "")
        #expect(csv[8][0] == "ds07" && csv[8][fails] == "1")
        for format in ["png", "svg", "pdf", "json"] {
            #expect(FileManager.default.fileExists(atPath: root + "/index_files/fsc_overlay." + format))
        }
        #expect(index.overlay == "index_files/fsc_overlay.png")
        let overlay = try JSONPolicy.decode(FSCOverlayFigure.self, from: Data(contentsOf: URL(fileURLWithPath: root + "/index_files/fsc_overlay.json")))
        #expect(overlay.curves.count == 54 && overlay.curves.filter(\.nyquistLimited).count == batch.datasets.filter { $0.nyquistLimited && !$0.taskFailed }.count)
        let ds01 = try #require(overlay.curves.first { $0.name == "ds01" })
        #expect(ds01.frequency.count == 41 && abs(ds01.frequency[40] - 1 / (2 * 0.95)) < 1e-5, "box 80 of 0.95 Å: shells 0…40 up to Nyquist")
    }

    @Test("in headless Chromium: 60 rows, failed rows styled, severity counts, '≤' Nyquist cells that sort as limits, thumbnails load, no script error",
          .enabled(if: BrowserProbe.available))
    func browser() throws {
        let batch = try SyntheticBatch()
        defer { batch.cleanup() }
        _ = try batch.writeIndex()
        let page = batch.layout.root + "/index.html"
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(HTMLInspection.problems(html, scripts: 1).isEmpty, "\(HTMLInspection.problems(html, scripts: 1))")
        // Errors are caught from the start; everything is read once the page (images included) has loaded.
        let catcher = "<head><script>window.errors = []; window.onerror = function (m) { window.errors.push(String(m)); };</script>"
        let probe = """
        <script>
        window.addEventListener("load", function () {
          var out = {}, rows = document.querySelectorAll("#datasets tbody tr");
          out.rows = rows.length;
          out.hint = document.getElementById("sort-hint").textContent;
          out.failed = Array.prototype.map.call(document.querySelectorAll("#datasets tbody tr.failed"), function (r) { return r.cells[1].textContent; });
          out.failedBackground = getComputedStyle(document.querySelector("tr.failed td.name")).backgroundColor;
          out.plainBackground = getComputedStyle(document.querySelector("tr:not(.failed) td.name")).backgroundColor;
          out.counts = Array.prototype.map.call(rows, function (r) {
            var n = function (level) { var e = r.querySelector(".count." + (level === "flags" ? "flag-count" : level)); return e ? parseInt(e.textContent, 10) : 0; };
            return r.cells[1].textContent + " fail=" + n("fail") + " caution=" + n("caution") + " pass=" + n("pass") + " flags=" + n("flags");
          });
          out.detailsOpen = document.querySelectorAll("details[open]").length;
          out.thumbnails = Array.prototype.filter.call(document.querySelectorAll("td.thumb img"), function (i) { return i.complete && i.naturalWidth === \(Int((150 * FigureRenderer.defaultScale).rounded())); }).length;
          out.overlay = document.querySelector("figure.overlay img").naturalWidth;
          var heads = document.querySelectorAll("#datasets th"), fsc = -1;
          Array.prototype.forEach.call(heads, function (th, i) { if (th.textContent.indexOf("FSC resolution") === 0) fsc = i; });
          out.limits = Array.prototype.map.call(document.querySelectorAll("td[data-limit]"), function (c) { return c.textContent; });
          var order = function () { return Array.prototype.map.call(document.querySelectorAll("#datasets tbody tr"), function (r) { return r.cells[1].textContent; }); };
          heads[fsc].click(); out.ascending = order();
          heads[fsc].click(); out.descending = order();
          out.errors = window.errors;
          document.body.setAttribute("data-result", JSON.stringify(out));
        });
        </script></body>
        """
        let probed = html.replacingOccurrences(of: "<head>", with: catcher).replacingOccurrences(of: "</body>", with: probe)
        let copy = batch.layout.root + "/probed.html"
        try Data(probed.utf8).write(to: URL(fileURLWithPath: copy))
        let dom = BrowserProbe.dumpDOM(copy)
        let attribute = try #require(dom.firstMatch(of: #/data-result="([^"]*)"/#), "no result: \(dom.suffix(300))").output.1
        let json = String(attribute).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])

        let datasets = batch.datasets
        #expect(out["rows"] as? Int == 60)
        #expect(out["hint"] as? String == " Click a column header to sort.", "the page's script ran")
        #expect(out["errors"] as? [String] == [], "\(out["errors"] ?? "")")
        #expect(out["failed"] as? [String] == datasets.filter { $0.taskFailed || $0.postprocessLevel == .fail }.map(\.name))
        #expect(out["failedBackground"] as? String == "rgb(253, 228, 223)" && out["plainBackground"] as? String != "rgb(253, 228, 223)",
                "\(out["failedBackground"] ?? "") / \(out["plainBackground"] ?? "")")
        #expect(out["counts"] as? [String] == datasets.map { "\($0.name) " + Self.expectedCounts($0) })
        #expect(out["detailsOpen"] as? Int == 0, "details are on demand")
        #expect(out["thumbnails"] as? Int == 54 && out["overlay"] as? Int == Int((600 * FigureRenderer.defaultScale).rounded()))
        let limited = datasets.filter { $0.nyquistLimited && !$0.taskFailed }
        #expect(out["limits"] as? [String] == limited.map { String(format: "≤ %.2f Å (Nyquist)", 2 * $0.pixel) })

        // Ascending: by number, an upper limit before a measurement of the same number (ds12's
        // "≤ 2.00" before ds15's 2.00), datasets without a number last; descending reverses the
        // numbered ones and keeps those last.
        let numbered = datasets.filter { !$0.taskFailed }.sorted { ($0.resolution, $0.nyquistLimited ? -1 : 0) < ($1.resolution, $1.nyquistLimited ? -1 : 0) }
        let without = datasets.filter(\.taskFailed).map(\.name)
        let ascending = try #require(out["ascending"] as? [String]), descending = try #require(out["descending"] as? [String])
        #expect(Array(ascending.prefix(54)) == numbered.map(\.name))
        #expect(Set(ascending.suffix(6)) == Set(without) && Set(descending.suffix(6)) == Set(without))
        // Equal keys (two limits of the same pixel size) keep manifest order either way.
        let downward = datasets.filter { !$0.taskFailed }.sorted { ($0.resolution, $0.nyquistLimited ? -1 : 0) > ($1.resolution, $1.nyquistLimited ? -1 : 0) }
        #expect(Array(descending.prefix(54)) == downward.map(\.name))
        // ds12 and ds42 (both 1.00 Å pixels) are limited at 2.00 Å, ds15 measures 2.00 Å.
        let fifteen = try #require(ascending.firstIndex(of: "ds15"))
        #expect(Array(ascending[(fifteen - 2)...fifteen]) == ["ds12", "ds42", "ds15"], "the limits ≤ 2.00 Å sort just before the measured 2.00 Å")
    }

    @Test("the overlay figure: thin lines coloured by resolution, limited curves dashed, no legend of dataset names; PNG, SVG and PDF render")
    func overlayFigure() throws {
        let curves = (0..<60).map { i in
            FSCOverlayFigure.Curve(name: "dataset-\(i)", frequency: (0...40).map { Double($0) / 80 }, fsc: (0...40).map { 1 / (1 + exp((Double($0) / 80 - 0.3) / 0.03)) },
                                   resolution: 2.5 + Double(i) / 10, nyquistLimited: i % 7 == 0)
        }
        let figure = FSCOverlayFigure(title: "Final FSC of every dataset", curves: curves)
        #expect(figure.resolutionRange == 2.5...8.4)
        let finest = figure.style(of: curves[0]), coarsest = figure.style(of: curves[59])
        #expect(finest.color == ColorMap.viridis.color(at: 0).withAlpha(0.7) && coarsest.color == ColorMap.viridis.color(at: 1).withAlpha(0.7))
        #expect(finest.width < 1 && finest.dash == [3, 2] && coarsest.dash.isEmpty)
        let png = try RasterImage(png: FigureRenderer.png(figure))
        #expect(png.width == Int((600 * FigureRenderer.defaultScale).rounded()) && png.height == Int((380 * FigureRenderer.defaultScale).rounded()) && png.nonBackgroundFraction > 0.05)
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        try FigureRenderer.pdf(figure).write(to: URL(fileURLWithPath: dir.file("o.pdf")))
        if let text = ExternalTool.run("pdftotext", [dir.file("o.pdf"), "-"])?.stdout {
            #expect(text.contains("0.143") && text.contains("Final FSC of every dataset (60; dashed: 9 Nyquist-limited)") && text.contains("Resolution at 0.143"))
            #expect(!text.contains("dataset-"), "no legend naming 60 datasets")
        } else {
            print("skipping the PDF text check: no pdftotext")
        }
        #expect(try FigureRenderer.svg(figure).count > 1000)
    }
}
