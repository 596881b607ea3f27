import Foundation
import Testing
import TestSupport

/// Every file of `MalformedMapCorpus` goes through `header`, `validate`, `fsc` (as the first
/// half, with a good second half) and `postprocess` (as the second half), and each refuses it:
/// a nonzero exit, one line on stderr naming the file (validate may explain over several
/// lines, each naming the file), and nothing written.
@Suite("malformed maps: every command refuses them in one line")
struct MalformedMapTests {
    /// Generous for debug builds on a shared machine; a hang (a FIFO opened for reading) is
    /// what it catches.
    static let timeout: TimeInterval = 120

    @Test("the corpus's intact maps pass header, validate, fsc and postprocess")
    func intactBaseline() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try RawMap(seed: 1).write(to: tmp.file("a.mrc"))
        try RawMap(seed: 2).write(to: tmp.file("b.mrc"))
        try Data(try Gzip.compress(RawMap(seed: 2).bytes)).write(to: URL(fileURLWithPath: tmp.file("b.mrc.gz")))
        for args in [["header", tmp.file("a.mrc")], ["validate", tmp.file("a.mrc"), tmp.file("b.mrc.gz")],
                     ["fsc", tmp.file("a.mrc"), tmp.file("b.mrc.gz"), "--json", tmp.file("fsc.json"), "--quiet"],
                     ["postprocess", tmp.file("a.mrc"), tmp.file("b.mrc"), "--bfactor", "-50", "-o", tmp.file("out"), "--quiet"]] {
            let (r, timedOut) = try CLI.run(args, timeout: Self.timeout)
            #expect(!timedOut && r.status == 0, "\(args[0]): \(r.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: tmp.file("fsc.json")))
        #expect(FileManager.default.fileExists(atPath: tmp.file("out/postprocess.mrc")))
    }

    @Test("refused by header, validate, fsc and postprocess", arguments: MalformedMapCorpus.all)
    func refused(_ corpusCase: MalformedMapCorpus.Case) throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let good = tmp.file("good.mrc")
        try RawMap(seed: 2).write(to: good)
        let bad = corpusCase.path(in: tmp.path)
        try corpusCase.make(bad)

        let header = try CLI.run(["header", bad], timeout: Self.timeout)
        expectRefusal(header, of: bad, corpusCase, command: "header")

        let (validate, validateTimedOut) = try CLI.run(["validate", bad], timeout: Self.timeout)
        #expect(!validateTimedOut, "validate hung on \(corpusCase)")
        #expect(validate.status != 0, "validate accepted \(corpusCase): \(validate.stdout)")
        let explanation = validate.stdout + validate.stderr
        let lines = explanation.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.contains(bad) }, "validate must name the file on every line: \(explanation)")
        #expect(lines.contains { $0.contains("error") && corpusCase.expect.contains(where: $0.contains) }, "validate on \(corpusCase): \(explanation)")

        let json = tmp.file("fsc.json")
        let fsc = try CLI.run(["fsc", bad, good, "--json", json, "--quiet"], timeout: Self.timeout)
        expectRefusal(fsc, of: bad, corpusCase, command: "fsc")
        #expect(!FileManager.default.fileExists(atPath: json), "fsc wrote --json for \(corpusCase)")

        let out = tmp.file("postprocess-out")
        let postprocess = try CLI.run(["postprocess", good, bad, "-o", out, "--quiet"], timeout: Self.timeout)
        expectRefusal(postprocess, of: bad, corpusCase, command: "postprocess")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        #expect(left.isEmpty, "postprocess left \(left) for \(corpusCase)")
    }

    /// Nonzero exit, no hang, and exactly one stderr line that names `path` and says one of
    /// the case's phrases.
    func expectRefusal(_ run: (result: CLI.Result, timedOut: Bool), of path: String, _ c: MalformedMapCorpus.Case,
                       command: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let (r, timedOut) = run
        #expect(!timedOut, "\(command) hung on \(c)", sourceLocation: sourceLocation)
        #expect(r.status != 0, "\(command) accepted \(c)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1 && r.stderr.hasSuffix("\n"), "\(command) on \(c): stderr must be one line: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("mapbook: error: ") && r.stderr.contains(path), "\(command) on \(c) must name \(path): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(c.expect.contains(where: r.stderr.contains), "\(command) on \(c): expected one of \(c.expect): \(r.stderr)", sourceLocation: sourceLocation)
    }
}
