import Foundation
import Testing
import MapbookCore
import TestSupport
import NotebookTestSupport
@testable import Notebook
@testable import NotebookCells

@Suite("Benchmark table (bench/results.tsv)")
struct BenchmarkResultsTests {
    static let header = "work\tN\tmapbook_s\tmapbook_peak_mib\tpeer\tpeer_s\tpeer_mib\ttransforms\tfloor_s"

    @Test("synthetic times t = c·N^k give k = 2 and 3 exactly, for mapbook and the peer; facts and notes are kept in order")
    func exponents() throws {
        let r = try BenchmarkResults.read(path: SharedData.fixture("bench/powers.tsv"))
        #expect(r.works == ["square", "cube"] && r.sizes == [32, 64, 128] && r.rows.count == 6)
        #expect(abs(try #require(r.growthExponent("square", .mapbook)) - 2) < 1e-12)
        #expect(abs(try #require(r.growthExponent("cube", .mapbook)) - 3) < 1e-12)
        #expect(abs(try #require(r.growthExponent("square", .peer)) - 3) < 1e-12)
        #expect(r.growthExponent("cube", .peer) == nil, "no peer was run")
        #expect(r.facts.map(\.key) == ["date", "commit", "threads", "note"] && r.fact("commit") == "abc1234")
        // One size is not a fit.
        let one = BenchmarkResults(facts: [], rows: [r.rows[0]])
        #expect(one.growthExponent("square", .mapbook) == nil)
    }

    @Test("ratios: peer / mapbook, mapbook / floor, and peak over one N³ float32 map")
    func ratios() throws {
        let r = try BenchmarkResults.read(path: SharedData.fixture("bench/powers.tsv"))
        for row in r.rows(of: "square") {
            let n = Double(row.size)
            // peer 2e-6·N³ over mapbook 1e-3·N²: 2e-3·N; the floor is half the time; 6 maps.
            #expect(abs(try #require(row.peerRatio) - 2e-3 * n) < 1e-9, "N = \(row.size)")
            #expect(abs(try #require(row.floorRatio) - 2) < 1e-12)
            #expect(abs(try #require(row.peakPerMap) - 6) < 1e-12)
            #expect(row.transforms == 9 && row.peerName == "peer_tool" && row.peer?.peakMiB == 100)
        }
        for row in r.rows(of: "cube") {
            #expect(row.peerRatio == nil && row.floorRatio == nil && row.peer == nil && row.transforms == nil)
            #expect(abs(try #require(row.peakPerMap) - 10) < 1e-12)
        }
        // A failed run has a row but no time, so no ratio.
        let failed = try BenchmarkResults.parse("\(Self.header)\nw\t64\tfailed\t\tp\tfailed\t\t\t1\n", path: "f.tsv").rows[0]
        #expect(failed.mapbook.seconds == nil && failed.peer?.seconds == nil && failed.peerRatio == nil && failed.floorRatio == nil)
        #expect(BenchmarkCell.mainRow(failed) == ["w", "64", "failed", "", "", "p", "failed", "", "", "", "1.00", ""])
    }

    @Test("the committed bench/results.tsv gives bench/results.md's table and exponents line for line")
    func committedRun() throws {
        let root = SharedData.packageRoot.appendingPathComponent("bench").path
        let results = try BenchmarkResults.read(path: root + "/results.tsv")
        let markdown = try String(contentsOfFile: root + "/results.md", encoding: .utf8).components(separatedBy: "\n")
        let mainLines = markdown.filter { $0.hasPrefix("| ") && $0.components(separatedBy: "|").count == 14 }.dropFirst()
        let rows = results.orderedRows.map(BenchmarkCell.mainRow)
        #expect(rows.count == mainLines.count && rows.count == 28)
        for (row, line) in zip(rows, mainLines) {
            #expect("| " + row.joined(separator: " | ") + " |" == line)
        }
        for w in results.works {
            let expected = try #require(markdown.first { $0.hasPrefix("| \(w) | ") && $0.components(separatedBy: "|").count == 5 })
            let k = [BenchmarkCell.exponentText(results.growthExponent(w, .mapbook)), BenchmarkCell.exponentText(results.growthExponent(w, .peer))]
            #expect(expected == "| \(w) | \(k[0]) | \(k[1]) |")
        }
    }

    /// The error `text` gives, as the CLI prints it.
    static func problem(_ text: String) -> String {
        do { _ = try BenchmarkResults.parse(text, path: "bad.tsv"); return "accepted" } catch { return "\(error)" }
    }

    @Test("every malformed table is one error naming the file and line", arguments: [
        ("work\tN\n", "bad.tsv:1: the header has no column 'mapbook_s'"),
        ("\(header)\nw\t64\tfast\t1\t\t\t\t\t\n", "bad.tsv:2: mapbook_s 'fast' is not a number"),
        ("\(header)\nw\t64\tnan\t1\t\t\t\t\t\n", "bad.tsv:2: mapbook_s 'nan' is not a number"),
        ("\(header)\nw\t64\tNaN\t1\t\t\t\t\t\n", "bad.tsv:2: mapbook_s 'NaN' is not a number"),
        ("\(header)\nw\t64\tinf\t1\t\t\t\t\t\n", "bad.tsv:2: mapbook_s 'inf' is not a number"),
        ("\(header)\nw\t64\t1e999\t1\t\t\t\t\t\n", "bad.tsv:2: mapbook_s '1e999' is not a number"),
        ("\(header)\nw\t64\t-0.5\t1\t\t\t\t\t\n", "bad.tsv:2: mapbook_s -0.5 is negative"),
        ("\(header)\nw\t64\t1\t1\tp\t-2\t\t\t\n", "bad.tsv:2: peer_s -2 is negative"),
        ("\(header)\nw\t64\t1\t1\t\t\t\t\tnan\n", "bad.tsv:2: floor_s 'nan' is not a number"),
        ("# date: x\n\(header)\nw\t64\t1\t1\t\t\t\t\t\nv\t64\t1\t1\t\t\t\t\t\nw\t64\t2\t1\t\t\t\t\t\n", "bad.tsv:5: 'w' at N = 64 is given twice (first on line 3)"),
        ("\(header)\nw\t64\t1\n", "bad.tsv:2: 3 tab-separated fields, but the header names 9 columns"),
        ("\(header)\nw\t6.5\t1\t1\t\t\t\t\t\n", "bad.tsv:2: N '6.5' is not a box edge"),
        ("\(header)\n\t64\t1\t1\t\t\t\t\t\n", "bad.tsv:2: the work is empty"),
        ("\(header)\nw\t64\t\t1\t\t\t\t\t\n", "bad.tsv:2: mapbook_s is empty"),
        ("\(header)\nw\t64\t1\t1\t\t3\t\t\t\n", "bad.tsv:2: peer_s is given but the peer column is empty"),
        ("\(header)\nw\t64\t1\t1\tp\t\t\t\t\n", "bad.tsv:2: peer_s is empty for peer 'p'"),
        ("\(header)\nw\t64\t1\t1\t\t\t\t2.5\t\n", "bad.tsv:2: transforms '2.5' is not a count"),
        ("\(header)\twork\n", "bad.tsv:1: the header names column 'work' twice"),
        ("\(header)\n", "bad.tsv: the benchmark table has no rows"),
        ("# only facts: here\n", "bad.tsv: the benchmark table has no header line"),
    ])
    func malformed(text: String, expected: String) {
        let message = Self.problem(text)
        #expect(message.hasPrefix(expected), "\(message)")
        #expect(!message.contains("\n"))
    }

    @Test("a file that cannot be read is named; a plan whose dataset has only a benchmark table parses and runs the cell")
    func planWithoutMaps() throws {
        let folder = TemporaryDirectory()
        defer { folder.cleanup() }
        #expect(throws: MapbookError.self) { try BenchmarkResults.read(path: folder.file("missing.tsv")) }
        let plan = try PlanParser.parse("""
        title: bench
        dataset:
          benchmark: results.tsv
        cells:
          - kind: benchmark
        """, path: folder.file("report.yaml"))
        #expect(plan.dataset.halfMaps == nil && plan.dataset.benchmark == "results.tsv")
        #expect(plan.inputFiles.contains(folder.file("results.tsv")))
        // The dataset check names the missing table at its line, before any work.
        #expect(throws: MapbookError.self) { try plan.checkDatasetFiles() }
        do { try plan.checkDatasetFiles() } catch { #expect("\(error)".contains("report.yaml:3:14: dataset benchmark: 'results.tsv'"), "\(error)") }

        try FileManager.default.copyItem(atPath: SharedData.fixture("bench/powers.tsv"), toPath: folder.file("results.tsv"))
        try plan.checkDatasetFiles()
        let run = try NotebookRunner(plan: plan, options: RunOptions(cacheDirectory: folder.file("cache"), mapbookVersion: "test")).run()
        let cell = try #require(run.cells.first)
        #expect(cell.succeeded, "\(cell.message ?? "")")
        let p = try #require(cell.presentation)
        #expect(p.tables.map(\.title) == ["Wall time, peak memory, peer and FFT floor", "Growth exponent"])
        #expect(p.tables[1].rows == [["square", "2.00", "3.00"], ["cube", "3.00", "—"]])
        #expect(p.glance.map(\.label) == ["Benchmark date", "Benchmark commit", "Benchmark threads"])
        #expect(p.tables[0].note?.hasSuffix("synthetic") == true, "notes go under the table")
        // A bad table fails the cell with the file and line, and nothing else.
        try Data("\(Self.header)\nw\t64\tnan\t1\t\t\t\t\t\n".utf8).write(to: URL(fileURLWithPath: folder.file("results.tsv")))
        let bad = try NotebookRunner(plan: plan, options: RunOptions(cacheDirectory: folder.file("cache"), mapbookVersion: "test")).run()
        #expect(bad.cells.first?.status == .failed)
        #expect(bad.cells.first?.message == "\(folder.file("results.tsv")):2: mapbook_s 'nan' is not a number")
    }

    @Test("a benchmark cell needs the dataset's benchmark table: without it the plan is refused at the cell")
    func needsTheTable() {
        #expect(throws: MapbookError.self) {
            try PlanParser.parse("dataset:\n  half_maps: [a.mrc, b.mrc]\ncells:\n  - kind: benchmark\n", path: "/tmp/p.yaml")
        }
        do {
            _ = try PlanParser.parse("dataset:\n  half_maps: [a.mrc, b.mrc]\ncells:\n  - kind: benchmark\n", path: "/tmp/p.yaml")
        } catch {
            #expect("\(error)".contains("results: 'dataset.benchmark' is not set in the dataset block; add benchmark there"), "\(error)")
        }
    }
}
