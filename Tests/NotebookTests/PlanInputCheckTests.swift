import Foundation
import Testing
import MapbookCore
import TestSupport
@testable import Notebook
@testable import NotebookCells

/// Duplicate keys anywhere in a plan, and dataset files that cannot be read, are refused at
/// their place in the plan.
@Suite("Plan checks: duplicate keys and dataset files")
struct PlanInputCheckTests {
    func error(_ text: String) -> String {
        do {
            _ = try PlanParser.parse(text, path: "plan.yaml")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test("a duplicate key is reported at the repeat, with the key and where it was first given", arguments: [
        ("title: a\ntitle: b\ndataset: {half_maps: [a, b]}\ncells: []\n", "plan.yaml:2:1: key 'title' is given twice in one mapping (first at line 1, column 1)"),
        ("dataset:\n  half_maps: [a, b]\n  mask: m\n  mask: n\ncells: []\n", "plan.yaml:4:3: key 'mask' is given twice"),
        ("dataset: {half_maps: [a, b]}\ncells:\n  - kind: fsc\n    seed: 1\n    title: x\n    seed: 2\n", "plan.yaml:6:5: key 'seed' is given twice in one mapping (first at line 4, column 5)"),
        ("dataset: {half_maps: [a, b]}\ncells:\n  - {kind: fsc, seed: 1, seed: 2}\n", "plan.yaml:3:26: key 'seed' is given twice"),
        ("dataset: {half_maps: [a, b]}\ncells:\n  - kind: fsc\n    thresholds: [0.5]\n  - kind: fsc\n    id: other\n    id: again\n", "plan.yaml:7:5: key 'id' is given twice"),
    ])
    func duplicateKeys(text: String, expected: String) {
        let e = error(text)
        #expect(e.hasPrefix(expected), "\(e)")
        #expect(!e.contains("\n"))
    }

    @Test("dataset files: missing, a folder or a FIFO is refused at the path in the plan; present files pass")
    func datasetFiles() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("maps"), withIntermediateDirectories: true)
        for f in ["h1.mrc", "h2.mrc"] { try Data([1]).write(to: URL(fileURLWithPath: dir.file("maps/" + f))) }
        #expect(mkfifo(dir.file("maps/fifo.mrc"), 0o644) == 0)
        func check(_ halves: String, mask: String? = nil) -> String {
            let text = "dataset:\n  half_maps: \(halves)\n" + (mask.map { "  mask: \($0)\n" } ?? "") + "cells:\n  - kind: fsc\n"
            do {
                try PlanParser.parse(text, path: dir.file("plan.yaml")).checkDatasetFiles()
                return "ok"
            } catch {
                return "\(error)"
            }
        }
        #expect(check("[maps/h1.mrc, maps/h2.mrc]") == "ok")
        #expect(check("[maps/h1.mrc, maps/h3.mrc]") == dir.file("plan.yaml") + ":2:28: dataset half_map_2: 'maps/h3.mrc' (\(dir.file("maps/h3.mrc"))) not found")
        #expect(check("[maps, maps/h2.mrc]").hasPrefix(dir.file("plan.yaml") + ":2:15: dataset half_map_1: 'maps' "))
        #expect(check("[maps, maps/h2.mrc]").hasSuffix("is a folder, not a map file"))
        #expect(check("[maps/fifo.mrc, maps/h2.mrc]").hasSuffix("is not a regular file (a FIFO or pipe), so not a map file"))
        #expect(check("[maps/h1.mrc, maps/h2.mrc]", mask: "maps/none.mrc").hasPrefix(dir.file("plan.yaml") + ":3:9: dataset mask: "))
    }
}
