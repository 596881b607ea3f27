import Foundation
import Testing
import TestSupport

/// A sequence file that is a folder or a FIFO is named as such in one line, and never blocks.
@Suite("sequence files that are not files")
struct SequenceInputTests {
    @Test("sharpen and density-modify refuse a folder or a FIFO as --sequence")
    func notRegular() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try RawMap(seed: 1).write(to: tmp.file("h1.mrc"))
        try RawMap(seed: 2).write(to: tmp.file("h2.mrc"))
        try FileManager.default.createDirectory(atPath: tmp.file("seq"), withIntermediateDirectories: true)
        #expect(mkfifo(tmp.file("seq.fifo"), 0o644) == 0)
        for (sequence, phrase) in [(tmp.file("seq"), "is a folder, not a sequence file"), (tmp.file("seq.fifo"), "is not a regular file (a FIFO or pipe)")] {
            for args in [["sharpen", tmp.file("h1.mrc"), "--resolution", "6", "--sequence", sequence, "-o", tmp.file("out"), "--quiet"],
                         ["density-modify", tmp.file("h1.mrc"), tmp.file("h2.mrc"), "--sequence", sequence, "-o", tmp.file("out"), "--quiet"]] {
                let (r, timedOut) = try CLI.run(args, timeout: MalformedMapTests.timeout)
                #expect(!timedOut && r.status != 0, "\(args[0]) \(sequence)")
                #expect(r.stderr == "mapbook: error: \(sequence): \(phrase)\n" || (r.stderr.hasPrefix("mapbook: error: \(sequence): \(phrase)") && r.stderr.split(separator: "\n").count == 1), "\(args[0]): \(r.stderr)")
                #expect(!FileManager.default.fileExists(atPath: tmp.file("out")))
            }
        }
    }
}
