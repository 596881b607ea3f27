import Foundation
import Testing
import TestSupport

/// Reliability: outputs never replace inputs, pairs that are not two half maps, models and
/// sequences that do not fit, concurrent runs and leftovers of killed runs.
@Suite("mapbook never loses an input")
struct InputSafetyCLITests {
    static func pair(_ tmp: TemporaryDirectory, into folder: String) throws {
        let made = try CLI.run(["synthetic-pair", "--size", "24", "--voxel", "2", "--resolution", "8", "-o", tmp.file(folder), "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
    }

    static func contents(_ path: String) -> [String] {
        ((try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []).sorted()
    }

    @Test("a report into the folder that holds the plan's inputs under data/, maps/ or figures/ is refused, and the inputs survive")
    func reportOverInputs() throws {
        for folder in ["data", "maps", "figures", "cache"] {
            let tmp = TemporaryDirectory()
            defer { tmp.cleanup() }
            try Self.pair(tmp, into: "out/\(folder)")
            try Data("dataset: {half_maps: [\(folder)/half1.mrc, \(folder)/half2.mrc]}\ncells:\n  - kind: fsc\n".utf8)
                .write(to: URL(fileURLWithPath: tmp.file("out/plan.yaml")))
            let before = Self.contents(tmp.file("out"))
            let r = try CLI.run(["run", tmp.file("out/plan.yaml"), "-o", tmp.file("out"), "--quiet"])
            #expect(r.status == 1, "\(folder): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("overwrite") && r.stderr.contains("\(folder)/half1.mrc"), "\(r.stderr)")
            #expect(Self.contents(tmp.file("out")) == before, "nothing may be written or removed")
        }
    }

    @Test("a plan file where the report goes (report.html) is refused")
    func planAsReportFile() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try Self.pair(tmp, into: "maps")
        try FileManager.default.createDirectory(atPath: tmp.file("out"), withIntermediateDirectories: true)
        try Data("dataset: {half_maps: [../maps/half1.mrc, ../maps/half2.mrc]}\ncells:\n  - kind: fsc\n".utf8)
            .write(to: URL(fileURLWithPath: tmp.file("out/summary.json")))
        let r = try CLI.run(["run", tmp.file("out/summary.json"), "-o", tmp.file("out"), "--quiet"])
        #expect(r.status == 1 && r.stderr.contains("overwrite"), "\(r.stderr)")
    }

    @Test("single-file outputs need --force to replace a file, and never replace an input even with it")
    func singleFiles() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try Self.pair(tmp, into: "pair")
        let h1 = tmp.file("pair/half1.mrc"), h2 = tmp.file("pair/half2.mrc")
        try Data("keep".utf8).write(to: URL(fileURLWithPath: tmp.file("old.json")))
        let json = try CLI.run(["fsc", h1, h2, "--json", tmp.file("old.json"), "--quiet"])
        #expect(json.status != 0 && json.stderr.contains("exists"), "\(json.stderr)")
        #expect(try String(contentsOfFile: tmp.file("old.json"), encoding: .utf8) == "keep")
        let forced = try CLI.run(["fsc", h1, h2, "--json", tmp.file("old.json"), "--force", "--quiet"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let again = try CLI.run(["synthetic-pair", "--size", "24", "--voxel", "2", "--resolution", "8", "-o", tmp.file("pair"), "--quiet"])
        #expect(again.status != 0 && again.stderr.contains("exists"), "\(again.stderr)")
        // init: -o naming a half map is refused even with --force.
        let before = try Data(contentsOf: URL(fileURLWithPath: h1))
        let initOver = try CLI.run(["init", h1, h2, "-o", h1, "--force"])
        #expect(initOver.status != 0 && initOver.stderr.contains("overwrite"), "\(initOver.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: h1)) == before)
    }

    @Test("the same file twice, or bit-identical halves, are refused with the reason")
    func identicalHalves() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try Self.pair(tmp, into: "pair")
        let h1 = tmp.file("pair/half1.mrc")
        try FileManager.default.copyItem(atPath: h1, toPath: tmp.file("copy.mrc"))
        for second in [h1, tmp.file("pair/../pair/half1.mrc"), tmp.file("copy.mrc")] {
            for command in [["fsc", h1, second], ["postprocess", h1, second, "-o", tmp.file("pp")]] {
                let r = try CLI.run(command + ["--quiet"])
                #expect(r.status == 1, "\(command)")
                #expect(r.stderr.split(separator: "\n").count == 1 && (r.stderr.contains("same file") || r.stderr.contains("same voxels")), "\(r.stderr)")
                #expect(!FileManager.default.fileExists(atPath: tmp.file("pp")))
            }
        }
    }

    @Test("a model outside the map's box, and a PDB or plain text given as the sequence, are one-line errors")
    func modelAndSequence() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try Self.pair(tmp, into: "pair")
        let far = "ATOM      1  CA  ALA A   1     900.000 900.000 900.000  1.00 20.00           C\nEND\n"
        try Data(far.utf8).write(to: URL(fileURLWithPath: tmp.file("far.pdb")))
        let fsc = try CLI.run(["fsc", tmp.file("pair/half1.mrc"), "--model", tmp.file("far.pdb"), "--quiet"])
        #expect(fsc.status == 1 && fsc.stderr.contains("far.pdb") && fsc.stderr.contains("no atom of the model lies inside"), "\(fsc.stderr)")
        #expect(!fsc.stdout.contains("nan"))
        try Data("MKVLAAGIVALLLAAG\n".utf8).write(to: URL(fileURLWithPath: tmp.file("plain.txt")))
        for (sequence, mention) in [(tmp.file("far.pdb"), "atomic model"), (tmp.file("plain.txt"), "not FASTA"), (tmp.file("pair"), "folder")] {
            for command in [["density-modify", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "--sequence", sequence, "-o", tmp.file("dm")],
                            ["sharpen", tmp.file("pair/half1.mrc"), "--resolution", "8", "--sequence", sequence, "-o", tmp.file("sh")]] {
                let r = try CLI.run(command + ["--quiet"])
                #expect(r.status == 1, "\(command)")
                #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mention), "\(command[0]): \(r.stderr)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.file("dm")) && !FileManager.default.fileExists(atPath: tmp.file("sh")))
    }

    @Test("a FIFO in a plan is refused before hashing; leftovers of a killed run are cleared; a locked folder is refused")
    func fifoLeftoversLock() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try Self.pair(tmp, into: "maps")
        #expect(mkfifo(tmp.file("maps/fifo.mrc"), 0o644) == 0)
        try Data("dataset: {half_maps: [maps/half1.mrc, maps/fifo.mrc]}\ncells:\n  - kind: fsc\n".utf8)
            .write(to: URL(fileURLWithPath: tmp.file("fifo.yaml")))
        let fifo = try CLI.run(["run", tmp.file("fifo.yaml"), "-o", tmp.file("r1"), "--quiet", "--formats", "html"])
        // Refused when the plan is read, at the line that names it, before anything is hashed.
        #expect(fifo.status == 1 && fifo.stderr.contains("fifo.yaml:1:") && fifo.stderr.contains("FIFO"), "\(fifo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("r1")))

        try Data("dataset: {half_maps: [maps/half1.mrc, maps/half2.mrc]}\ncells:\n  - kind: fsc\n".utf8)
            .write(to: URL(fileURLWithPath: tmp.file("plan.yaml")))
        let dead = 4_194_304 + 23   // above the kernel's pid_max: never a running process
        try FileManager.default.createDirectory(atPath: tmp.file("r2/.mapbook-staging-\(dead)/figures"), withIntermediateDirectories: true)
        let run = try CLI.run(["run", tmp.file("plan.yaml"), "-o", tmp.file("r2"), "--quiet", "--formats", "html"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("r2/.mapbook-staging-\(dead)")))

        // Hold the folder's lock from here (the test process), as a running mapbook would.
        let fd = open(tmp.file("r2/.mapbook.lock"), O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        let second = try CLI.run(["run", tmp.file("plan.yaml"), "-o", tmp.file("r2"), "--quiet", "--formats", "html"])
        #expect(second.status == 1 && second.stderr.contains("another mapbook run"), "\(second.stderr)")
    }
}

@Suite("Memory is estimated before large work")
struct MemoryCheckCLITests {
    @Test("every command and cell refuses work that does not fit, in one line with both numbers in GiB; a truncated file is reported as truncated")
    func refusals() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try InputSafetyCLITests.pair(tmp, into: "pair")
        let h1 = tmp.file("pair/half1.mrc"), h2 = tmp.file("pair/half2.mrc")
        let tiny = ["MAPBOOK_MAX_MEMORY": "0.01"]   // 10 MiB: less than any work needs
        let commands: [[String]] = [
            ["fsc", h1, h2], ["postprocess", h1, h2, "-o", tmp.file("o1")], ["sharpen", h1, "--resolution", "8", "-o", tmp.file("o2")],
            ["local-resolution", h1, h2, "-o", tmp.file("o3")], ["density-modify", h1, h2, "--solvent-fraction", "0.5", "-o", tmp.file("o4")],
            ["symmetry", h1], ["simulate", "--size", "64", "-o", tmp.file("o5")],
        ]
        for command in commands {
            let r = try CLI.run(command + ["--quiet"], environment: tiny)
            #expect(r.status == 1, "\(command[0]): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("GiB of memory, but only 0.01 GiB"), "\(command[0]): \(r.stderr)")
        }
        for folder in ["o1", "o2", "o3", "o4", "o5"] { #expect(!FileManager.default.fileExists(atPath: tmp.file(folder)), "\(folder)") }
        let allowed = try CLI.run(["fsc", h1, h2, "--quiet", "--max-memory", "64"], environment: tiny)
        #expect(allowed.status == 0, "the override allows it: \(allowed.stderr)")

        // A plan is refused before any cell runs, from the cells' own estimates: one line naming
        // the cell, exit 1, no report.
        try Data("dataset: {half_maps: [pair/half1.mrc, pair/half2.mrc]}\ncells:\n  - kind: fsc\n".utf8).write(to: URL(fileURLWithPath: tmp.file("plan.yaml")))
        let run = try CLI.run(["run", tmp.file("plan.yaml"), "-o", tmp.file("report"), "--quiet", "--formats", "html"], environment: tiny)
        #expect(run.status == 1 && run.stderr.split(separator: "\n").count == 1 && run.stderr.contains("cell 'fsc'") && run.stderr.contains("GiB of memory"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("report")))

        // A header that promises a 1024³ box over a small file: truncated, not "needs 12 GiB".
        var bytes = try Data(contentsOf: URL(fileURLWithPath: h1))
        for field in 0..<3 { bytes.replaceSubrange(4 * field..<4 * field + 4, with: withUnsafeBytes(of: Int32(1024).littleEndian) { Data($0) }) }
        try bytes.write(to: URL(fileURLWithPath: tmp.file("big.mrc")))
        let truncated = try CLI.run(["local-resolution", tmp.file("big.mrc"), h2, "-o", tmp.file("o6"), "--quiet"])
        #expect(truncated.status == 1 && truncated.stderr.contains("truncated") && !truncated.stderr.contains("memory"), "\(truncated.stderr)")
    }

    @Test("--threads above the core count is capped, with a note")
    func threadsCap() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try InputSafetyCLITests.pair(tmp, into: "pair")
        let r = try CLI.run(["fsc", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "--threads", "4096"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("note: --threads 4096 is more than the"), "\(r.stderr)")
    }
}
