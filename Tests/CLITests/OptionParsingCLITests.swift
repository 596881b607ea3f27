import Foundation
import Testing
import TestSupport

/// Options read as their help says: negative numbers, the checks the help promises, and what
/// `--dry-run` leaves behind.
@Suite("mapbook options: negative values, help and checks agree, --dry-run")
struct OptionParsingCLITests {
    @Test("negative values are read as values for every option that accepts them")
    func negativeValues() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try InputSafetyCLITests.pair(tmp, into: "pair")
        let h1 = tmp.file("pair/half1.mrc"), h2 = tmp.file("pair/half2.mrc")
        let cases: [[String]] = [
            ["postprocess", h1, h2, "--bfactor", "-100", "--mask-extend", "-1", "--auto-mask", "-o", tmp.file("pp")],
            ["sharpen", h1, "--resolution", "8", "--bfactor", "-40", "--box", "whole", "-o", tmp.file("sh")],
            ["sharpen", h1, "--resolution", "8", "--search-b-min", "-150", "--search-b-max", "-20", "--box", "whole", "-o", tmp.file("sh2")],
            ["model-map", SharedData.fixture("phantom/model.pdb"), "--like", h1, "--bfactor", "-5", "-o", tmp.file("mm.mrc")],
        ]
        for args in cases {
            let r = try CLI.run(args + ["--quiet"])
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        // A negative value where only positive ones make sense reaches the check, not the parser.
        let threads = try CLI.run(["fsc", h1, h2, "--threads", "-2"])
        #expect(threads.status != 0 && threads.stderr.contains("--threads must be at least 1"), "\(threads.stderr)")
    }

    @Test("the minimum the help gives for --step is the one the check applies, in the command and the plan")
    func stepMinimum() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try InputSafetyCLITests.pair(tmp, into: "pair")
        let help = try CLI.run(["local-resolution", "--help"])
        #expect(help.stdout.contains("--step <a number>"), "\(help.stdout)")
        // The listing (not wrapped, unlike --help) gives the declared range the check applies.
        let listing = try CLI.run(["parameters", "local-resolution"])
        #expect(listing.stdout.contains("  --step\n      MonoRes: step between trial resolutions (Å; default: 0.5; range: ≥ 0.25)"), "\(listing.stdout)")
        let fine = try CLI.run(["local-resolution", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "--step", "0.1", "-o", tmp.file("lr")])
        #expect(fine.status != 0 && fine.stderr.contains("--step 0.1 must be at least 0.25"), "\(fine.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("lr")))
        try Data("dataset: {half_maps: [pair/half1.mrc, pair/half2.mrc]}\ncells:\n  - {kind: local_resolution, step: 0.1}\n".utf8)
            .write(to: URL(fileURLWithPath: tmp.file("plan.yaml")))
        let plan = try CLI.run(["run", tmp.file("plan.yaml"), "-o", tmp.file("r")])
        #expect(plan.status == 1 && plan.stderr.contains("step 0.1 must be at least 0.25"), "\(plan.stderr)")
    }

    @Test("batch run --dry-run writes both scripts, as its help says, and submits nothing")
    func dryRun() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try InputSafetyCLITests.pair(tmp, into: "a")
        try Data("dataset:\n  half_maps: [half1.mrc, half2.mrc]\ncells:\n  - kind: fsc\n".utf8).write(to: URL(fileURLWithPath: tmp.file("t.yaml")))
        try Data("template t.yaml\ndataset a\n".utf8).write(to: URL(fileURLWithPath: tmp.file("m.txt")))
        let help = try CLI.run(["batch", "run", "--help"])
        #expect(help.stdout.contains("write the scripts"))
        let r = try CLI.run(["batch", "run", tmp.file("m.txt"), "--dry-run"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("#SBATCH --array=0%4") && r.stdout.contains("nothing was submitted"), "\(r.stdout)")
        for name in ["array.sbatch", "aggregate.sbatch"] {
            #expect(FileManager.default.fileExists(atPath: tmp.file("batch/slurm/" + name)), "\(name) missing")
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.file("batch/slurm/submissions.json")))
    }
}

@Suite("Errors are one line, progress or not")
struct OneLineErrorCLITests {
    @Test("without --quiet, a bad input, a bad option or a failed check prints exactly one line; a run that succeeds keeps its progress")
    func oneLine() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try InputSafetyCLITests.pair(tmp, into: "pair")
        let h1 = tmp.file("pair/half1.mrc"), h2 = tmp.file("pair/half2.mrc")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: h2))
        bytes.removeLast(100)
        try bytes.write(to: URL(fileURLWithPath: tmp.file("short.mrc")))
        let cases: [[String]] = [
            ["fsc", h1, tmp.file("short.mrc")], ["postprocess", h1, tmp.file("short.mrc"), "-o", tmp.file("pp")],
            ["fsc", h1, h1], ["fsc", h1, h2, "--threads", "0"], ["fsc", h1, h2, "--no-such-option"],
            ["local-resolution", h1, h2, "--step", "0.01", "-o", tmp.file("lr")], ["fsc", h1, h2, "--json", h1],
            // Single-file outputs that cannot be written are refused before the work.
            ["fsc", h1, h2, "--json", ""], ["fsc", h1, h2, "--json", tmp.file("no/such/folder/f.json")],
            ["init", h1, h2, "-o", tmp.file("pair")], ["init", h1, h2, "-o", tmp.file("pair"), "--force"],
        ]
        for args in cases {
            let r = try CLI.run(args)
            #expect(r.status != 0, "\(args)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("mapbook: error: "), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(args): nothing is computed for an output that cannot be written: \(r.stdout.prefix(200))")
        }
        let ok = try CLI.run(["postprocess", h1, h2, "--auto-mask", "-o", tmp.file("out")])
        #expect(ok.status == 0 && ok.stderr.contains("Memory: postprocess needs about"), "\(ok.stderr)")
    }
}
