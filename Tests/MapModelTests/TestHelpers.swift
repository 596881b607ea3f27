import Foundation
import MapModel
import MapbookCore
import Testing

/// Whether `a` is within `rel` relative (or `abs` absolute) of `b`.
func close(_ a: Double, _ b: Double, rel: Double = 1e-4, abs absTol: Double = 1e-7) -> Bool {
    Swift.abs(a - b) <= Swift.max(absTol, rel * Swift.abs(b))
}

/// Whether every component of `a` is close to the one in `b`.
func close(_ a: SIMD3<Double>, _ b: SIMD3<Double>, rel: Double = 1e-4, abs absTol: Double = 1e-7) -> Bool {
    (0..<3).allSatisfy { close(a[$0], b[$0], rel: rel, abs: absTol) }
}

/// Runs `body`, which must throw a `MapbookError`, and returns it (nil, with a recorded
/// failure, when it throws something else or nothing).
func mapbookError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> MapbookError? {
    do {
        try body()
        Issue.record("expected a MapbookError, but nothing was thrown", sourceLocation: sourceLocation)
    } catch let e as MapbookError {
        return e
    } catch {
        Issue.record("expected a MapbookError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Checks that reading `path` fails with one line naming the file and containing every phrase.
func expectReadError(_ path: String, _ phrases: String..., sourceLocation: SourceLocation = #_sourceLocation) {
    guard let e = mapbookError({ _ = try MRCFile.read(path: path) }, sourceLocation: sourceLocation) else { return }
    let text = e.description
    #expect(text.hasPrefix(path + ": "), "error should start with the path: \(text)", sourceLocation: sourceLocation)
    #expect(!text.contains("\n"), "error should be one line: \(text)", sourceLocation: sourceLocation)
    for phrase in phrases {
        #expect(text.contains(phrase), "\"\(phrase)\" missing from: \(text)", sourceLocation: sourceLocation)
    }
}
