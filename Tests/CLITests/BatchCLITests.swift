import Foundation
import Testing
import TestSupport

@Suite("mapbook batch")
struct BatchCLITests {
    @Test("a local batch runs each dataset as its own process, K at a time; again, everything is cached; status reads the status files")
    func localBatch() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        for (i, name) in ["one", "two", "three"].enumerated() {
            let made = try CLI.run(["synthetic-pair", "--size", "24", "--voxel", "2", "--resolution", "\(7 + i)", "--seed", "\(i + 1)", "-o", tmp.file(name), "--quiet"])
            #expect(made.status == 0, "\(made.stderr)")
        }
        try Data("dataset:\n  half_maps: [half1.mrc, half2.mrc]\ncells:\n  - kind: fsc\n  - kind: postprocess\n    mask: auto\n".utf8)
            .write(to: URL(fileURLWithPath: tmp.file("t.yaml")))
        try Data("template t.yaml\ndataset one\ndataset two\ndataset three 3rd\n".utf8).write(to: URL(fileURLWithPath: tmp.file("m.txt")))
        let first = try CLI.run(["batch", tmp.file("m.txt"), "--jobs", "2", "--formats", "html", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Batch: 3 completed"), "\(first.stdout)")
        for f in ["one/report.html", "two/report.html", "3rd/report.html", "index.html", "index.csv", "index.json", "status/3rd.json"] {
            #expect(FileManager.default.fileExists(atPath: tmp.file("batch/" + f)), "\(f) missing")
        }
        let second = try CLI.run(["batch", "run", tmp.file("m.txt"), "--jobs", "3", "--formats", "html", "--quiet"])
        #expect(second.status == 0, "\(second.stderr)")
        let status = try CLI.run(["batch", "status", tmp.file("m.txt")])
        #expect(status.status == 0, "\(status.stderr)")
        let lines = status.stdout.split(separator: "\n").dropFirst()
        #expect(lines.count == 3 && lines.allSatisfy { $0.contains("completed") && $0.contains("0 run, 2 cached") }, "\(status.stdout)")
    }

    @Test("batch index --template-dir renders the page from the folder's index.mustache; a broken one fails with one line")
    func indexTemplateDirectory() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try Data("title: t\n".utf8).write(to: URL(fileURLWithPath: tmp.file("p.yaml")))
        try Data("plan p.yaml alpha\n".utf8).write(to: URL(fileURLWithPath: tmp.file("m.txt")))
        try FileManager.default.createDirectory(atPath: tmp.file("t"), withIntermediateDirectories: true)
        try Data("<p class=\"site\">{{#rows}}{{dataset}}: {{stateText}};{{/rows}}</p>".utf8).write(to: URL(fileURLWithPath: tmp.file("t/index.mustache")))
        let r = try CLI.run(["batch", "index", tmp.file("m.txt"), "--template-dir", tmp.file("t")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: tmp.file("batch/index.html"), encoding: .utf8) == "<p class=\"site\">alpha: not run;</p>")
        try Data("{{#rows}}".utf8).write(to: URL(fileURLWithPath: tmp.file("t/index.mustache")))
        let broken = try CLI.run(["batch", "index", tmp.file("m.txt"), "--template-dir", tmp.file("t")])
        #expect(broken.status == 1 && broken.stderr.hasPrefix("mapbook: error: ") && broken.stderr.split(separator: "\n").count == 1, "\(broken.stderr)")
    }

    @Test("a malformed manifest: one line on stderr naming the manifest line, exit 1, nothing written")
    func malformed() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try Data("# facility\nplan missing.yaml\n".utf8).write(to: URL(fileURLWithPath: tmp.file("m.txt")))
        let r = try CLI.run(["batch", tmp.file("m.txt")])
        #expect(r.status == 1)
        #expect(r.stderr == "mapbook: error: \(tmp.file("m.txt")):2: plan missing.yaml not found\n", "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("batch")))
    }
}
