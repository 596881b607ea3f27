import Foundation
import Testing
import MapbookCore
import TestSupport
@testable import Facility

/// Dataset names become folders beside the batch's own; the manifest refuses names that
/// would collide with them or escape the output folder.
@Suite("Batch manifest: dataset names")
struct ManifestNameTests {
    @Test("the batch's own folder and file names are refused, in any case", arguments: BatchManifest.reservedNames + ["STATUS", "Index.Html"])
    func reserved(name: String) throws {
        let dir = try ManifestTests.folder()
        defer { dir.cleanup() }
        let error = #expect(throws: MapbookError.self) { try BatchManifest.parse("template t.yaml\ndataset a \(name)\n", path: dir.file("m.txt")) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.hasPrefix(dir.file("m.txt") + ":2: dataset name '\(name)' is taken by the batch's own status, slurm, cache, index.html, index.json, index.csv"), "\(message)")
    }

    @Test("names that are not one plain folder name are refused", arguments: ["..", ".", ".hidden", "x/y", "../up", "\"\"", "a b"])
    func unsafe(name: String) throws {
        let dir = try ManifestTests.folder()
        defer { dir.cleanup() }
        let error = #expect(throws: MapbookError.self) { try BatchManifest.parse("template t.yaml\ndataset\ta\t\(name)\n", path: dir.file("m.txt")) }
        #expect(error.map { "\($0)" }?.hasPrefix(dir.file("m.txt") + ":2: dataset name '\(name)' cannot name a folder") == true, "\(String(describing: error))")
    }

    @Test("a dataset folder that is a file, or a plan that is a folder, is named as such")
    func wrongKinds() throws {
        let dir = try ManifestTests.folder()
        defer { dir.cleanup() }
        let file = #expect(throws: MapbookError.self) { try BatchManifest.parse("template t.yaml\ndataset t.yaml\n", path: dir.file("m.txt")) }
        #expect(file.map { "\($0)" } == dir.file("m.txt") + ":2: dataset folder t.yaml is a file, not a folder")
        let folder = #expect(throws: MapbookError.self) { try BatchManifest.parse("plan a\n", path: dir.file("m.txt")) }
        #expect(folder.map { "\($0)" } == dir.file("m.txt") + ":1: plan a is a folder, not a plan file")
    }
}
