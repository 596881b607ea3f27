import Foundation

/// A corpus of broken batch manifests for `mapbook batch MANIFEST --dry-run`: bad lines,
/// missing plans, folders and dataset files, duplicate, empty and unsafe names, names that
/// collide with the batch's own folders and files, and manifests that are not text files.
///
/// Each case is made in a folder holding a valid template `t.yaml`, dataset folders `a/` and
/// `b/` with intact half maps, and a plan `a/own.yaml` of its own, so that each manifest fails
/// for its one reason only.
enum MalformedManifestCorpus {
    /// One broken manifest.
    struct Case: Sendable, CustomStringConvertible {
        /// What is wrong.
        var name: String
        /// The manifest line the error must name, or nil for a fault of the whole file.
        var line: Int?
        /// A phrase the error must contain.
        var expect: String
        /// Makes the manifest in `folder` and returns its path.
        var make: @Sendable (_ folder: String) throws -> String

        var description: String { name }
    }

    /// A manifest `m.txt` with `text`, after `prepare` has run in the folder.
    static func text(_ name: String, line: Int?, expect: String, _ text: String,
                     prepare: @escaping @Sendable (String) throws -> Void = { _ in }) -> Case {
        Case(name: name, line: line, expect: expect) { folder in
            try prepare(folder)
            let path = folder + "/m.txt"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    /// Creates `relative` as a folder in `folder`.
    static func folder(_ relative: String) -> @Sendable (String) throws -> Void {
        { try FileManager.default.createDirectory(atPath: $0 + "/" + relative, withIntermediateDirectories: true) }
    }

    static let lines: [Case] = [
        text("unknown keyword", line: 2, expect: "unknown keyword 'frobnicate'", "template t.yaml\nfrobnicate a\n"),
        text("too many fields", line: 2, expect: "takes one or two fields", "template t.yaml\ndataset a x y\n"),
        text("a plan line without a plan", line: 1, expect: "takes one or two fields", "plan\n"),
        text("a dataset line before any template", line: 1, expect: "needs a 'template PLAN' line", "dataset a\n"),
        text("nonexistent plan", line: 3, expect: "plan missing.yaml not found", "# c\n\nplan missing.yaml\n"),
        text("nonexistent template", line: 1, expect: "template plan none.yaml not found", "template none.yaml\ndataset a\n"),
        text("a folder as the template", line: 1, expect: "is a folder", "template a\ndataset a\n"),
        text("nonexistent dataset folder", line: 2, expect: "dataset folder nowhere not found", "template t.yaml\ndataset nowhere\n"),
        text("a file as the dataset folder", line: 2, expect: "is a file, not a folder", "template t.yaml\ndataset t.yaml\n"),
        text("nonexistent dataset files", line: 3, expect: "not found", "template t.yaml\ndataset a\ndataset empty\n", prepare: folder("empty")),
        text("a dataset half map that is a folder", line: 2, expect: "is a folder", "template t.yaml\ndataset odd\n") { f in
            try folder("odd/half1.mrc")(f)
            try RawMap(seed: 2).write(to: f + "/odd/half2.mrc")
        },
        text("a dataset half map that is a FIFO", line: 2, expect: "not a regular file", "template t.yaml\ndataset pipe\n") { f in
            try folder("pipe")(f)
            guard mkfifo(f + "/pipe/half1.mrc", 0o644) == 0 else { throw CocoaError(.fileWriteUnknown) }
            try RawMap(seed: 2).write(to: f + "/pipe/half2.mrc")
        },
        text("a template that does not parse", line: 2, expect: "unknown cell kind 'fcs'", "template bad.yaml\ndataset a\n") { f in
            try Data("dataset:\n  half_maps: [half1.mrc, half2.mrc]\ncells:\n  - kind: fcs\n".utf8).write(to: URL(fileURLWithPath: f + "/bad.yaml"))
        },
    ]

    static let names: [Case] = [
        text("duplicate names", line: 3, expect: "already used on line 2", "template t.yaml\ndataset a\ndataset b a\n"),
        text("duplicate names from two folders called a", line: 3, expect: "already used on line 2", "template t.yaml\ndataset a\ndataset b/a\n") { f in
            try folder("b/a")(f)
        },
        text("duplicate name given to a plan", line: 3, expect: "already used on line 2", "template t.yaml\ndataset a own\nplan a/own.yaml\n"),
        text("an empty name (\"\")", line: 2, expect: "cannot name a folder", "template t.yaml\ndataset\ta\t\"\"\n"),
        text("a name with /", line: 2, expect: "cannot name a folder", "template t.yaml\ndataset a x/y\n"),
        text("the name ..", line: 2, expect: "cannot name a folder", "template t.yaml\ndataset a ..\n"),
        text("the name .", line: 2, expect: "cannot name a folder", "template t.yaml\ndataset a .\n"),
        text("a hidden name", line: 2, expect: "cannot name a folder", "template t.yaml\ndataset a .cache\n"),
        text("a name with ../", line: 2, expect: "cannot name a folder", "template t.yaml\ndataset a ../escape\n"),
    ] + ["status", "slurm", "cache", "index.html", "index.json", "index.csv", "Status", "INDEX.HTML"].map { reserved in
        text("the batch's own name \(reserved)", line: 2, expect: "taken by the batch's own", "template t.yaml\ndataset a \(reserved)\n")
    } + [
        text("a dataset folder called status", line: 2, expect: "taken by the batch's own", "template t.yaml\ndataset status\n", prepare: folder("status")),
        text("a plan naming its dataset index.html", line: 1, expect: "taken by the batch's own", "plan a/index.yaml\n") { f in
            try Data("dataset:\n  name: index.html\n  half_maps: [half1.mrc, half2.mrc]\ncells:\n  - kind: fsc\n".utf8).write(to: URL(fileURLWithPath: f + "/a/index.yaml"))
        },
    ]

    static let files: [Case] = [
        text("no datasets", line: nil, expect: "lists no datasets", "# nothing yet\ntemplate t.yaml\n"),
        text("empty manifest", line: nil, expect: "lists no datasets", ""),
        Case(name: "the manifest is a folder", line: nil, expect: "is a folder, not a manifest") { f in
            try folder("m.txt")(f)
            return f + "/m.txt"
        },
        Case(name: "the manifest is a FIFO", line: nil, expect: "not a regular file") { f in
            guard mkfifo(f + "/m.txt", 0o644) == 0 else { throw CocoaError(.fileWriteUnknown) }
            return f + "/m.txt"
        },
        Case(name: "the manifest is missing", line: nil, expect: "file not found") { f in f + "/m.txt" },
        Case(name: "binary garbage", line: 2, expect: "not UTF-8") { f in
            try Data(Array("template t.yaml\n".utf8) + [0xFF, 0xFE, 0x00, 0x80]).write(to: URL(fileURLWithPath: f + "/m.txt"))
            return f + "/m.txt"
        },
    ]

    /// Every case.
    static let all: [Case] = lines + names + files
}
