import Foundation
import Testing
import TestSupport

/// Every manifest of `MalformedManifestCorpus` is refused by `mapbook batch … --dry-run` (and
/// so before any submission or run): exit status 1, one stderr line naming the manifest and
/// the line (`m.txt:3: problem`, or `m.txt:3:7:` where the column is known), and no batch folder.
@Suite("malformed manifests: mapbook batch refuses them in one located line")
struct MalformedManifestTests {
    /// The folder every case starts from: a template, two dataset folders, a plan of its own.
    static func fixture(_ tmp: TemporaryDirectory) throws {
        for d in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: tmp.file(d), withIntermediateDirectories: true)
            try RawMap(seed: 1).write(to: tmp.file("\(d)/half1.mrc"))
            try RawMap(seed: 2).write(to: tmp.file("\(d)/half2.mrc"))
        }
        try Data("dataset:\n  half_maps: [half1.mrc, half2.mrc]\ncells:\n  - kind: fsc\n".utf8).write(to: URL(fileURLWithPath: tmp.file("t.yaml")))
        try Data("dataset:\n  name: own\n  half_maps: [half1.mrc, half2.mrc]\ncells:\n  - kind: fsc\n".utf8).write(to: URL(fileURLWithPath: tmp.file("a/own.yaml")))
    }

    @Test("the fixture's own manifest is accepted")
    func intactBaseline() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try Self.fixture(tmp)
        try Data("template t.yaml\ndataset a\ndataset b\nplan a/own.yaml\n".utf8).write(to: URL(fileURLWithPath: tmp.file("m.txt")))
        let (r, timedOut) = try CLI.run(["batch", tmp.file("m.txt"), "--dry-run"], timeout: MalformedMapTests.timeout)
        #expect(!timedOut && r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("#SBATCH --array=0-2"), "\(r.stdout)")
    }

    @Test("refused with manifest:line and nothing written", arguments: MalformedManifestCorpus.all)
    func refused(_ c: MalformedManifestCorpus.Case) throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try Self.fixture(tmp)
        let manifest = try c.make(tmp.path)
        let (r, timedOut) = try CLI.run(["batch", manifest, "--dry-run"], timeout: MalformedMapTests.timeout)
        #expect(!timedOut, "batch hung on \(c)")
        #expect(r.status == 1, "\(c): status \(r.status), \(r.stderr)")
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1 && r.stderr.hasSuffix("\n"), "\(c): stderr must be one line: \(r.stderr)")
        // manifest:LINE: or manifest:LINE:COLUMN: when a line is known.
        let place = c.line.map { "\(manifest):\($0):" } ?? "\(manifest): "
        #expect(r.stderr.hasPrefix("mapbook: error: " + place), "\(c): expected at \(place): \(r.stderr)")
        #expect(r.stderr.contains(c.expect), "\(c): expected '\(c.expect)': \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("batch")), "\(c): a batch folder was made")
    }
}
