import Foundation
import Testing
import MapbookCore
import Notebook
import NotebookCells
import NotebookReport
import TestSupport
@testable import Facility

@Suite("Local batches and the facility index", .serialized)
struct LocalBatchTests {
    static func options() -> BatchTask.Options {
        var o = BatchTask.Options(mapbookVersion: "test")
        o.formats = [.html]
        return o
    }

    @Test("every dataset gets a report; the index lists each with the numbers of its report; a second run reuses every cell")
    func batchAndIndex() throws {
        let f = try FacilityFixture()
        defer { f.cleanup() }
        let manifest = try BatchManifest.load(path: f.file("manifest.txt"))
        let layout = BatchLayout(root: f.file("out"))
        let first = try LocalBatch.run(manifest, layout: layout, jobs: 2, launcher: .inProcess(Self.options()), mapbookVersion: "test")
        #expect(first.map(\.dataset) == ["alpha", "beta", "gamma"])
        #expect(first.allSatisfy { $0.state == .completed }, "\(first.map { $0.message ?? "" })")
        #expect(first.allSatisfy { ($0.cellsExecuted ?? 0) == 2 && $0.cellsCached == 0 })

        let index = try f.json("out/index.json")
        let rows = try #require(index["datasets"] as? [[String: Any]])
        #expect(rows.map { $0["dataset"] as? String } == ["alpha", "beta", "gamma"])
        func value(_ row: [String: Any], _ column: String) -> Double? { (row[column] as? [String: Any])?["value"] as? Double }
        func close(_ a: Double?, _ b: Double?) -> Bool {
            guard let a, let b else { return false }
            return abs(a - b) <= 1e-9 * max(1, abs(b))
        }
        func display(_ row: [String: Any], _ column: String) -> String? { (row[column] as? [String: Any])?["display"] as? String }
        let csv = try String(contentsOfFile: f.file("out/index.csv"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(csv[0].prefix(10) == ["dataset", "state", "date", "pixel_size_A", "box", "symmetry", "fsc_resolution_A", "fsc_resolution_A_limit",
                                      "bfactor_A2", "local_resolution_median_A"])
        let (resolutionColumn, bColumn, medianColumn) = (6, 8, 9)
        let html = try String(contentsOfFile: f.file("out/index.html"), encoding: .utf8)
        for (i, row) in rows.enumerated() {
            let name = row["dataset"] as! String
            #expect(row["report"] as? String == "\(name)/report.html")
            #expect(FileManager.default.fileExists(atPath: f.file("out/\(name)/report.html")))
            #expect(html.contains("<a href=\"\(name)/report.html\">\(name)</a>"))
            // The report's own numbers: summary.json and the provenance beside report.html.
            let summary = try CanonicalJSON.decode(RunSummary.self, from: Data(contentsOf: URL(fileURLWithPath: f.file("out/\(name)/summary.json"))))
            let provenance = try f.json("out/\(name)/provenance.json")
            let cells = try #require(provenance["cells"] as? [[String: Any]])
            #expect(cells.map { $0["id"] as? String } == summary.cells.map(\.id))
            #expect(cells.allSatisfy { $0["status"] as? String == "executed" })
            let byID = Dictionary(uniqueKeysWithValues: summary.cells.map { ($0.id, $0) })
            if name == "gamma" {
                // No post-processing: resolution from the fsc cell, B and sharpening n/a, local resolution present.
                #expect(close(value(row, "fscResolution"), byID["fsc"]!.numbers["resolution"]!.value))
                #expect(display(row, "bfactor") == "n/a" && value(row, "bfactor") == nil)
                #expect(display(row, "sharpening") == "n/a")
                let median = try #require(byID["local_resolution"]?.numbers["median"]?.value)
                #expect(close(value(row, "localResolutionMedian"), median))
                #expect(csv[i + 1][medianColumn] == String(format: "%.4f", median))
                #expect(csv[i + 1][bColumn] == "")
            } else {
                let pp = byID["postprocess"]!
                #expect(close(value(row, "fscResolution"), pp.numbers["resolution"]!.value))
                #expect(close(value(row, "bfactor"), pp.numbers["bfactor"]!.value))
                #expect(display(row, "localResolutionMedian") == "n/a")
                #expect(display(row, "sharpening") == "global B (auto)")
                #expect(csv[i + 1][resolutionColumn] == String(format: "%.4f", pp.numbers["resolution"]!.value))
                #expect(csv[i + 1][bColumn] == String(format: "%.4f", pp.numbers["bfactor"]!.value))
                // The post-processing report JSON in data/ agrees too.
                let report = try f.json("out/\(name)/data/postprocess_report.json")
                #expect(close(value(row, "fscResolution"), (report["resolution"] as? [String: Any])?["shellResolution"] as? Double))
                #expect(close(value(row, "bfactor"), report["appliedBFactor"] as? Double))
            }
            #expect(display(row, "densityModificationGain") == "n/a")
            #expect(row["flags"] as? [String] == summary.flags)
            // The dataset's facts come from the maps' headers and the plan; the thumbnail and the FSC table exist.
            #expect(csv[i + 1][3] == "2.0000" && csv[i + 1][4] == "32x32x32" && csv[i + 1][5] == "C1")
            let thumbnail = try #require(row["thumbnail"] as? String)
            #expect(FileManager.default.fileExists(atPath: f.file("out/" + thumbnail)))
            #expect(FileManager.default.fileExists(atPath: f.file("out/" + (try #require(row["fscCurve"] as? String)))))
            #expect(summary.cells.allSatisfy { $0.verdicts != nil })
        }
        #expect(html.contains("<script>") && html.contains("aria-sort"))
        #expect(html.contains("Sorting by column needs JavaScript"))   // the page without scripts says so

        // Unchanged batch: every cell comes from the cache; the reports are rewritten.
        let second = try LocalBatch.run(manifest, layout: layout, jobs: 3, launcher: .inProcess(Self.options()), mapbookVersion: "test")
        #expect(second.allSatisfy { $0.state == .completed && $0.cellsExecuted == 0 && $0.cellsCached == 2 })
        for name in ["alpha", "beta", "gamma"] {
            let cells = try #require(try f.json("out/\(name)/provenance.json")["cells"] as? [[String: Any]])
            #expect(cells.allSatisfy { $0["status"] as? String == "cached" })
        }
        let again = try #require(try f.json("out/index.json")["datasets"] as? [[String: Any]])
        #expect(zip(again, rows).allSatisfy { close(value($0, "fscResolution"), value($1, "fscResolution")) })
    }

    @Test("a dataset whose task fails keeps its previous report, and the index says so")
    func failureKeepsPreviousReport() throws {
        let f = try FacilityFixture()
        defer { f.cleanup() }
        try f.write("template  template.yaml\ndataset   alpha\n", to: "one.txt")
        let manifest = try BatchManifest.load(path: f.file("one.txt"))
        let layout = BatchLayout(root: f.file("out1"))
        try LocalBatch.run(manifest, layout: layout, jobs: 1, launcher: .inProcess(Self.options()), mapbookVersion: "test")
        let before = try Data(contentsOf: URL(fileURLWithPath: f.file("out1/alpha/report.html")))
        // The template breaks: the task fails before any report is written.
        try f.write(FacilityFixture.template.replacingOccurrences(of: "kind: fsc", with: "kind: fcs"), to: "template.yaml")
        let statuses = try LocalBatch.run(manifest, layout: layout, jobs: 1, launcher: .inProcess(Self.options()), mapbookVersion: "test")
        #expect(statuses.first?.hasReport == false)
        #expect(try Data(contentsOf: URL(fileURLWithPath: f.file("out1/alpha/report.html"))) == before)
        let status = try #require(TaskStatus.read(layout.status("alpha")))
        #expect(status.state == .failed)
        #expect(status.message?.contains("template.yaml:5:") == true, "\(status.message ?? "")")
        let row = try #require((try f.json("out1/index.json")["datasets"] as? [[String: Any]])?.first)
        #expect(row["reportIsPrevious"] as? Bool == true)
        #expect(row["state"] as? String == "failed")
        #expect(row["report"] as? String == "alpha/report.html")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: f.file("out1/alpha"))).contains { $0.hasPrefix(".mapbook-staging") })
    }

    @Test("a status file is replaced whole; stale staging folders of a killed task are cleared")
    func staleStaging() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("r/.mapbook-staging-999/figures"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("r/.old-figures-998"), withIntermediateDirectories: true)
        StagingLeftovers.remove(in: dir.file("r"), allWriters: true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("r")) == ["figures"])   // the interrupted swap is undone
    }

    @Test("a dataset whose inputs lie in its own report folder (data/) fails with the reason; its inputs survive")
    func inputsInReportFolder() throws {
        let f = try FacilityFixture()
        defer { f.cleanup() }
        try FileManager.default.createDirectory(atPath: f.file("out/gamma"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: f.file("gamma"), toPath: f.file("out/gamma/data"))
        try f.write("plan out/gamma/data/plan.yaml\n", to: "inside.txt")
        let before = try FileManager.default.subpathsOfDirectory(atPath: f.file("out/gamma/data")).sorted()
        let manifest = try BatchManifest.load(path: f.file("inside.txt"))
        let statuses = try LocalBatch.run(manifest, layout: BatchLayout(root: f.file("out")), jobs: 1, launcher: .inProcess(Self.options()), mapbookVersion: "test")
        #expect(statuses.first?.state == .failed)
        #expect(statuses.first?.message?.contains("overwrite") == true, "\(statuses.first?.message ?? "")")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: f.file("out/gamma/data")).sorted() == before)
        #expect(!FileManager.default.fileExists(atPath: f.file("out/gamma/report.html")))
    }
}
