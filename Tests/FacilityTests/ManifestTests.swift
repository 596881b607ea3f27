import Foundation
import Testing
import MapbookCore
import TestSupport
@testable import Facility

@Suite("Batch manifest")
struct ManifestTests {
    /// A folder with a template, a plan and two dataset folders (the files only need to exist).
    static func folder() throws -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        for d in ["a", "b", "c d"] { try FileManager.default.createDirectory(atPath: dir.file(d), withIntermediateDirectories: true) }
        try Data("dataset:\n  half_maps: [half1.mrc, half2.mrc]\ncells:\n  - kind: fsc\n".utf8).write(to: URL(fileURLWithPath: dir.file("t.yaml")))
        try Data("dataset:\n  name: own\n  half_maps: [x1.mrc, x2.mrc]\ncells:\n  - kind: fsc\n".utf8).write(to: URL(fileURLWithPath: dir.file("a/plan.yaml")))
        return dir
    }

    @Test("plans, template datasets, names, comments, tabs and paths relative to the manifest")
    func parses() throws {
        let dir = try Self.folder()
        defer { dir.cleanup() }
        let m = try BatchManifest.parse("""
        # comment line

        plan a/plan.yaml
        plan a/plan.yaml   again   # same plan, other name
        template t.yaml
        dataset b
        dataset\tc d\tspaced
        """, path: dir.file("m.txt"))
        #expect(m.entries.map(\.name) == ["own", "again", "b", "spaced"])
        #expect(m.entries.map(\.line) == [3, 4, 6, 7])
        #expect(m.entries[2].planPath.hasSuffix("/t.yaml"))
        #expect(m.entries[3].datasetDirectory?.hasSuffix("/c d") == true)
        // A template dataset's relative paths resolve in its folder, and it is named by the line.
        let plan = try m.entries[2].loadPlan()
        #expect(plan.datasetName == "b")
        #expect(m.entries[2].datasetFiles(plan).map(\.path) == [dir.file("b/half1.mrc"), dir.file("b/half2.mrc")].map { URL(fileURLWithPath: $0).standardizedFileURL.path })
    }

    @Test("a malformed line is one error naming the manifest and the line", arguments: [
        ("plan a/plan.yaml\nfrobnicate x\n", "m.txt:2: unknown keyword 'frobnicate'"),
        ("plan\n", "m.txt:1: 'plan' takes one or two fields"),
        ("plan a/plan.yaml x y\n", "m.txt:1: 'plan' takes one or two fields"),
        ("\n\nplan missing.yaml\n", "m.txt:3: plan missing.yaml not found"),
        ("dataset a\n", "m.txt:1: a 'dataset' line needs a 'template PLAN' line above it"),
        ("template t.yaml\ndataset nowhere\n", "m.txt:2: dataset folder nowhere not found"),
        ("template t.yaml\ndataset a\ndataset b a\n", "m.txt:3: dataset name 'a' is already used on line 2"),
        ("template t.yaml\ndataset a bad/name\n", "m.txt:2: dataset name 'bad/name' cannot name a folder"),
        ("# nothing\n", "m.txt: the manifest lists no datasets"),
    ])
    func malformed(text: String, expected: String) throws {
        let dir = try Self.folder()
        defer { dir.cleanup() }
        let error = #expect(throws: MapbookError.self) { try BatchManifest.parse(text, path: dir.file("m.txt")) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.hasPrefix(dir.file(expected)), "\(message)")
        #expect(!message.contains("\n"))
    }

    @Test("a plan that does not parse is reported at its manifest line, with the plan's own position")
    func badPlan() throws {
        let dir = try Self.folder()
        defer { dir.cleanup() }
        try Data("dataset:\n  half_maps: [h1.mrc, h2.mrc]\ncells:\n  - kind: fcs\n".utf8).write(to: URL(fileURLWithPath: dir.file("bad.yaml")))
        try Data("template t.yaml\ndataset a\ntemplate bad.yaml\ndataset b\n".utf8).write(to: URL(fileURLWithPath: dir.file("m.txt")))
        let error = #expect(throws: MapbookError.self) { try BatchManifest.load(path: dir.file("m.txt")) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.hasPrefix(dir.file("m.txt") + ":4: "), "\(message)")
        #expect(message.contains("bad.yaml:4:"), "\(message)")
    }
}
