import Foundation
import Testing
import TestSupport

/// Every plan of `MalformedPlanCorpus` is refused by `mapbook run` before it writes anything:
/// exit status 1 and one stderr line `mapbook: error: plan.yaml:LINE:COLUMN: problem` (just
/// `plan.yaml: problem` for a fault of the whole file).
@Suite("malformed plans: mapbook run refuses them in one located line")
struct MalformedPlanTests {
    @Test("refused with file:line:column and no output", arguments: MalformedPlanCorpus.all)
    func refused(_ c: MalformedPlanCorpus.Case) throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try FileManager.default.createDirectory(atPath: tmp.file("maps"), withIntermediateDirectories: true)
        try RawMap(seed: 1).write(to: tmp.file("maps/half1.mrc"))
        try RawMap(seed: 2).write(to: tmp.file("maps/half2.mrc"))
        let plan = try c.make(tmp.path)
        let out = tmp.file("report")
        let (r, timedOut) = try CLI.run(["run", plan, "-o", out, "--formats", "html", "--quiet"], timeout: MalformedMapTests.timeout)
        #expect(!timedOut, "run hung on \(c)")
        #expect(r.status == 1, "\(c): status \(r.status), \(r.stderr)")
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1 && r.stderr.hasSuffix("\n"), "\(c): stderr must be one line: \(r.stderr)")
        let place = c.at.isEmpty ? plan + ": " : plan + ":" + c.at + ": "
        #expect(r.stderr.hasPrefix("mapbook: error: " + place), "\(c): expected at \(place): \(r.stderr)")
        #expect(r.stderr.contains(c.expect), "\(c): expected '\(c.expect)': \(r.stderr)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        #expect(left.isEmpty, "\(c): run left \(left)")
    }
}
