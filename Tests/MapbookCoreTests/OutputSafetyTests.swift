import Foundation
import Testing
import TestSupport
@testable import MapbookCore

@Suite("Outputs never replace inputs; leftovers and locks")
struct OutputSafetyTests {
    @Test("an output that names an input, through another spelling, a symlink or a hard link, is refused naming both")
    func sameFileSpellings() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        try Data("map".utf8).write(to: URL(fileURLWithPath: dir.file("half1.mrc")))
        try FileManager.default.createDirectory(atPath: dir.file("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.file("alias.mrc"), withDestinationPath: dir.file("half1.mrc"))
        #expect(link(dir.file("half1.mrc"), dir.file("hard.mrc")) == 0)
        for output in [dir.file("half1.mrc"), dir.file("sub/../half1.mrc"), dir.file("alias.mrc"), dir.file("hard.mrc")] {
            let error = #expect(throws: MapbookError.self) { try OutputSafety.checkFile(output, inputs: [dir.file("half1.mrc")]) }
            #expect(error?.path == output)
            #expect(error?.problem.contains(dir.file("half1.mrc")) == true)
        }
        try OutputSafety.checkFile(dir.file("sub/out.mrc"), inputs: [dir.file("half1.mrc")])
        #expect(try String(contentsOfFile: dir.file("half1.mrc"), encoding: .utf8) == "map")
    }

    @Test("a single-file output does not replace an existing file without force, nor ever an input")
    func newFile() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.file("old.json")))
        #expect(throws: MapbookError.self) { try OutputSafety.checkNewFile(dir.file("old.json"), inputs: [], replaceExisting: false) }
        try OutputSafety.checkNewFile(dir.file("old.json"), inputs: [], replaceExisting: true)
        #expect(throws: MapbookError.self) { try OutputSafety.checkNewFile(dir.file("old.json"), inputs: [dir.file("old.json")], replaceExisting: true) }
        #expect(throws: MapbookError.self) { try OutputSafety.checkNewFile(dir.path, inputs: [], replaceExisting: true) }
        try OutputSafety.checkNewFile(dir.file("new.json"), inputs: [], replaceExisting: false)
    }

    @Test("a folder that will be replaced whole is refused when it holds an input")
    func folders() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        #expect(throws: MapbookError.self) { try OutputSafety.checkFolder(dir.file("out/data"), inputs: [dir.file("out/data/h1.mrc")]) }
        #expect(throws: MapbookError.self) { try OutputSafety.checkFolder(dir.file("out/data"), inputs: [dir.file("out/data/deep/h1.mrc")]) }
        try OutputSafety.checkFolder(dir.file("out/data"), inputs: [dir.file("out/database/h1.mrc"), dir.file("out/h1.mrc")])
    }

    @Test("an output bundle refuses, before any work, an output name that is an input")
    func bundleChecksFirst() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("out"), withIntermediateDirectories: true)
        try Data("half".utf8).write(to: URL(fileURLWithPath: dir.file("out/postprocess.mrc")))
        #expect(throws: MapbookError.self) {
            _ = try OutputBundle(directory: dir.file("out"), inputs: [dir.file("out/postprocess.mrc")], outputs: ["postprocess.mrc"])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("out")) == ["postprocess.mrc"])
    }

    @Test("errors raised while staging name the final path, never the staging folder")
    func stagingPathsHidden() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let bundle = try OutputBundle(directory: dir.file("out"))
        let error = #expect(throws: MapbookError.self) {
            try bundle.add("a.mrc") { staged in throw MapbookError("disk full while writing \(staged)", path: staged) }
        }
        #expect(error?.path == dir.file("out/a.mrc"))
        #expect(error?.description.contains(".mapbook-staging") == false)
        bundle.discard()
    }

    @Test("leftovers of dead processes are removed, an interrupted swap is undone, a live writer's staging stays")
    func leftovers() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let fm = FileManager.default
        // A process id that cannot be running: above the kernel's pid_max.
        let dead: pid_t = 4_194_304 + 17
        for name in [".mapbook-staging-\(dead)/figures", ".old-figures-\(dead)", ".incomplete-abc-\(dead)", ".mapbook-staging-\(getpid())"] {
            try fm.createDirectory(atPath: dir.file(name), withIntermediateDirectories: true)
        }
        try fm.createDirectory(atPath: dir.file("keep"), withIntermediateDirectories: true)
        StagingLeftovers.remove(in: dir.path)
        #expect(try fm.contentsOfDirectory(atPath: dir.path).sorted() == [".mapbook-staging-\(getpid())", "figures", "keep"])
        StagingLeftovers.remove(in: dir.path, allWriters: true)
        #expect(try fm.contentsOfDirectory(atPath: dir.path).sorted() == ["figures", "keep"])
    }

    @Test("a second claim on a locked folder is refused naming the holder; released, it can be claimed again")
    func lock() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let first = try OutputLock(folder: dir.file("out"))
        let error = #expect(throws: MapbookError.self) { _ = try OutputLock(folder: dir.file("out")) }
        #expect(error?.problem.contains("pid \(getpid())") == true)
        first.release()
        let again = try OutputLock(folder: dir.file("out"))
        again.release()
    }
}
