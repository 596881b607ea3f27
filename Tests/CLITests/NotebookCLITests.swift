import Foundation
import Testing
import TestSupport
@testable import mapbook

@Suite("mapbook run, init and demo")
struct NotebookCLITests {
    func makePair(_ tmp: TemporaryDirectory) throws {
        let made = try CLI.run(["synthetic-pair", "--size", "24", "--voxel", "2", "--resolution", "8", "-o", tmp.file("maps"), "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
    }

    @Test("init writes a plan that runs; a second run takes every cell from the cache")
    func initAndRun() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try makePair(tmp)
        let plan = tmp.file("plans/pair.yaml")
        try FileManager.default.createDirectory(atPath: tmp.file("plans"), withIntermediateDirectories: true)
        let made = try CLI.run(["init", tmp.file("maps/half1.mrc"), tmp.file("maps/half2.mrc"), "--symmetry", "C2", "-o", plan])
        #expect(made.status == 0, "\(made.stderr)")
        let text = try String(contentsOfFile: plan, encoding: .utf8)
        #expect(text.contains("half_maps: [\"../maps/half1.mrc\", \"../maps/half2.mrc\"]"))
        #expect(try CLI.run(["init", tmp.file("maps/half1.mrc"), tmp.file("maps/half2.mrc"), "-o", plan]).status != 0, "init must not overwrite a plan")

        let first = try CLI.run(["run", plan, "-o", tmp.file("report"), "--threads", "2"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Cells: 4 run, 0 from cache, 0 failed, 0 skipped"), "\(first.stdout)")
        for name in ["report.html", "report.pdf", "report.ipynb", "fsc.xml", "provenance.json"] {
            #expect(FileManager.default.fileExists(atPath: tmp.file("report/" + name)), "\(name) missing")
        }
        #expect(first.stderr.contains("[2/4] postprocess"))   // progress per cell, on stderr
        let second = try CLI.run(["run", plan, "-o", tmp.file("report"), "--formats", "html", "--quiet"])
        #expect(second.status == 0)
        #expect(second.stdout.contains("Cells: 0 run, 4 from cache"), "\(second.stdout)")
        #expect(second.stderr.isEmpty)
    }

    @Test("a plan error is one line naming file:line:column, exit status 1, and no report")
    func planError() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try Data("dataset: {half_maps: [a.mrc, b.mrc]}\ncells:\n  - kind: fsk\n".utf8).write(to: URL(fileURLWithPath: tmp.file("bad.yaml")))
        let r = try CLI.run(["run", tmp.file("bad.yaml"), "-o", tmp.file("out")])
        #expect(r.status == 1)
        #expect(r.stderr == "mapbook: error: \(tmp.file("bad.yaml")):3:11: unknown cell kind 'fsk'; allowed kinds: benchmark, compare, composite, density_modify, fsc, halfmap_sharpen, local_resolution, local_sharpen, map_box, model_fit, montage, postprocess, sharpen, truth, views (or a markdown cell)\n")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("out")))
        let formats = try CLI.run(["run", tmp.file("bad.yaml"), "--formats", "html,docx"])
        #expect(formats.status != 0 && formats.stderr.contains("unknown format 'docx'"))
    }

    @Test("a failing cell still gives a report, and exit status 2")
    func failingCell() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try makePair(tmp)
        try Data("""
        dataset: {half_maps: [maps/half1.mrc, maps/truth.mrc], mask: maps/half2.mrc}
        cells:
          - {kind: fsc, mask: none}
          - {kind: postprocess, randomize_at: 4.0}
        """.utf8).write(to: URL(fileURLWithPath: tmp.file("plan.yaml")))
        let r = try CLI.run(["run", tmp.file("plan.yaml"), "-o", tmp.file("out"), "--quiet"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stdout.contains("1 run, 0 from cache, 1 failed"))
        #expect(r.stderr.contains("cell 'postprocess' failed") && r.stderr.contains("mask values must lie in [0, 1]"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: tmp.file("out/report.html")))
    }

    @Test("the demo plan compiled into mapbook is fixtures/demo/plan.yaml")
    func demoPlan() throws {
        let file = try String(contentsOfFile: SharedData.fixture("demo/plan.yaml"), encoding: .utf8)
        #expect(DemoPlan.text + "\n" == file, "run: regenerate Sources/mapbook/DemoPlan.swift from fixtures/demo/plan.yaml")
    }
}

@Suite("mapbook demo from nothing")
struct DemoFromNothingTests {
    @Test("in an empty folder, demo makes the example dataset and the plan, runs every cell and writes a report that re-runs")
    func emptyRoot() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let r = try CLI.run(["demo", "--root", tmp.path, "--quiet", "--formats", "html,ipynb"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Cells: 15 run, 0 from cache, 0 failed, 0 skipped"), "\(r.stdout)")
        for name in ["half1.mrc", "half2.mrc", "mask.mrc", "model.pdb", "sequence.fasta", "truth.mrc"] {
            #expect(FileManager.default.fileExists(atPath: tmp.file("fixtures/example/" + name)), "\(name) missing")
        }
        let fasta = try String(contentsOfFile: tmp.file("fixtures/example/sequence.fasta"), encoding: .utf8)
        #expect(fasta.hasPrefix(">chain ") && fasta.filter(\.isUppercase).count >= 4 * 24)
        #expect(try String(contentsOfFile: tmp.file("fixtures/demo/plan.yaml"), encoding: .utf8).contains("kind: model_fit"))
        // The same example again: everything from the cache.
        let again = try CLI.run(["demo", "--root", tmp.path, "--quiet", "--formats", "html"])
        #expect(again.stdout.contains("Cells: 0 run, 15 from cache"), "\(again.stdout)")
    }
}

@Suite("README quick start")
struct QuickStartTests {
    @Test("the README's quick start commands run as written on a small simulated dataset")
    func quickStart() throws {
        let readme = try String(contentsOfFile: SharedData.packageRoot.appendingPathComponent("README.md").path, encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Quick start: your own dataset").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let commands = block.split(separator: "\n").map(String.init).filter { $0.hasPrefix("mapbook ") }
        #expect(commands.count == 2, "\(commands)")
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let sim = try CLI.run(["simulate", "--size", "32", "--voxel", "2", "--resolution", "6", "--helix-residues", "12", "-o", tmp.path, "--quiet"])
        #expect(sim.status == 0, "\(sim.stderr)")
        try Data(">chain A\nLEKALEKALEKALEKALEKALEKA\n".utf8).write(to: URL(fileURLWithPath: tmp.file("seq.fasta")))
        for command in commands {
            // As a user types it in the data folder: words, the comment cut off.
            let words = command.components(separatedBy: "#")[0].split(separator: " ").map(String.init).dropFirst()
            let r = try CLI.run(Array(words).map { w in ["half1.mrc", "half2.mrc", "mask.mrc", "seq.fasta", "model.pdb", "mydata.yaml", "reports/mydata"].contains(w) ? tmp.file(w) : w }
                                + (words.first == "run" ? ["--quiet"] : []))
            #expect(r.status == 0, "\(command): \(r.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: tmp.file("reports/mydata/report.html")))
        #expect(FileManager.default.fileExists(atPath: tmp.file("reports/mydata/report.ipynb")))
    }
}

@Suite("Sharpening harness")
struct SharpeningHarnessTests {
    @Test("the harness plan runs every method and density modification on a small simulated dataset and scores each against the truth")
    func smallDesign() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        // bench/sharpening_harness.sh's radial design, at CI size.
        let sim = try CLI.run(["simulate", "--size", "40", "--voxel", "1.5", "--resolution", "4.5", "--local-pattern", "radial",
                               "--blur", "bfactor", "--sharp-bfactor", "20", "--blurred-bfactor", "150", "--seed", "1", "-o", tmp.path, "--quiet"])
        #expect(sim.status == 0, "\(sim.stderr)")
        try FileManager.default.copyItem(atPath: SharedData.packageRoot.appendingPathComponent("fixtures/harness/plan.yaml").path, toPath: tmp.file("plan.yaml"))
        let run = try CLI.run(["run", tmp.file("plan.yaml"), "-o", tmp.file("report"), "--formats", "html", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let table = try String(contentsOfFile: tmp.file("report/data/truth_truth.tsv"), encoding: .utf8)
        let rows = table.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.map { $0[0] } == ["none", "RELION auto-B", "auto-sharpen (adjusted SA)", "auto-sharpen (kurtosis)", "half-map (sharpen cell)",
                                       "half-map global", "half-map local", "half-map anisotropic", "half-map local (sharpen cell)", "local cubes (adjusted SA)",
                                       "LocalDeblur one round", "LocalDeblur automatic",
                                       "density modification", "recommended"])
        for row in rows {
            let cc = try #require(Double(row[2]), "\(row)")
            #expect(cc > 0 && cc <= 1, "\(row[0]): \(cc)")
            // Both halves of the radial design are scored.
            #expect(Double(row[3]) != nil && Double(row[4]) != nil, "\(row)")
        }
        // Issue 16's targets at CI size: the recommended map (chosen from the half maps alone)
        // within 0.01 of the best method; half-map local sharpening at least as good as
        // auto-sharpen; the half-map sharpening modes and density modification not below the
        // unsharpened map. (The phenix- and xmipp-style methods still are, on some designs:
        // bench/sharpening_harness_results.md.)
        let cc = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], Double($0[2])!) })
        let best = cc.values.max()!
        print("harness at 40³: " + rows.map { "\($0[0]) \($0[2])" }.joined(separator: ", "))
        #expect(cc["recommended"]! >= best - 0.01)
        #expect(cc["half-map local"]! >= cc["auto-sharpen (adjusted SA)"]!)
        for method in ["half-map global", "half-map local", "half-map anisotropic", "recommended", "density modification"] {
            let value = cc[method]!
            #expect(value >= cc["none"]!, "\(method) scores below the unsharpened map: \(value) < \(cc["none"]!)")
        }
        // Density modification gains over the average at the 0.5 crossing of the whole-box FSC with the truth.
        let shells = try String(contentsOfFile: tmp.file("report/data/truth_truth_shells.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let header = shells[0]
        let none = try #require(header.firstIndex(of: "box: none")), dm = try #require(header.firstIndex(of: "box: density modification"))
        for line in shells.dropFirst().dropFirst() {
            guard let a = Double(line[none]), let b = Double(line[dm]) else { continue }
            #expect(b >= a - 0.02, "shell \(line[0]): density modification \(b) against the average's \(a)")
        }
    }
}
