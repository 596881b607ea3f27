import Foundation

/// A corpus of broken plans for `mapbook run`: text that is not YAML, YAML of the wrong shape,
/// unknown kinds and keys, wrong types, duplicate keys, references to nothing, tabs, empty and
/// binary files, and dataset files that are missing, folders or FIFOs.
///
/// Every case is made in a folder that holds two intact half maps, `maps/half1.mrc` and
/// `maps/half2.mrc`, so each plan fails for its one reason only.
enum MalformedPlanCorpus {
    /// One broken plan.
    struct Case: Sendable, CustomStringConvertible {
        /// What is wrong.
        var name: String
        /// Where the error must point, "line:column" (or "" for an error about the whole file).
        var at: String
        /// A phrase the error must contain.
        var expect: String
        /// Makes the plan in `folder` and returns its path.
        var make: @Sendable (_ folder: String) throws -> String

        var description: String { name }
    }

    static let halves = "half_maps: [maps/half1.mrc, maps/half2.mrc]"

    /// A plan file with `text`.
    static func text(_ name: String, at: String, expect: String, _ text: String) -> Case {
        bytes(name, at: at, expect: expect, Array(text.utf8))
    }

    /// A plan file with `bytes`.
    static func bytes(_ name: String, at: String, expect: String, _ bytes: [UInt8]) -> Case {
        Case(name: name, at: at, expect: expect) { folder in
            let path = folder + "/plan.yaml"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    static let syntax: [Case] = [
        text("not YAML", at: "1:1", expect: "YAML", "]]] this : is : not [ yaml\n"),
        text("an unclosed flow list", at: "2:1", expect: "YAML syntax", "dataset: {\(halves)\ncells: [\n"),
        text("prose, a YAML string", at: "1:1", expect: "a plan is a mapping", "This is a README, not a plan.\nIt has two lines.\n"),
        text("a YAML list", at: "1:1", expect: "a plan is a mapping", "- kind: fsc\n- kind: postprocess\n"),
        text("a JSON list", at: "1:1", expect: "a plan is a mapping", "[1, 2, 3]\n"),
        text("empty file", at: "1:1", expect: "the plan is empty", ""),
        text("only a comment", at: "1:1", expect: "the plan is empty", "# a plan, one day\n"),
        text("tab indentation", at: "2:1", expect: "tab", "dataset:\n\t\(halves)\ncells:\n  - kind: fsc\n"),
        text("tab before a cell", at: "4:1", expect: "tab", "dataset:\n  \(halves)\ncells:\n\t- kind: fsc\n"),
        bytes("binary garbage (not UTF-8)", at: "1:5", expect: "not UTF-8", [0x7F, 0x45, 0x4C, 0x46, 0xFF, 0xFE, 0x00, 0x01] + (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 131) }),
        bytes("binary garbage after a valid start", at: "2:4", expect: "not UTF-8", Array("dataset:\n  \u{0}".utf8) + [0xC3, 0x28, 0xA0, 0xA1]),
        bytes("control characters (valid UTF-8)", at: "1:1", expect: "control characters", [0x00, 0x01, 0x02, 0x1B, 0x07] + Array("title: x\n".utf8)),
    ]

    static let shape: [Case] = [
        text("unknown cell kind", at: "4:11", expect: "unknown cell kind 'fsk'", "dataset:\n  \(halves)\ncells:\n  - kind: fsk\n"),
        text("unknown top-level key", at: "5:1", expect: "unknown key 'cels'", "dataset:\n  \(halves)\ncells:\n  - kind: fsc\ncels: []\n"),
        text("unknown cell key", at: "5:5", expect: "unknown key 'sead'", "dataset:\n  \(halves)\ncells:\n  - kind: fsc\n    sead: 3\n"),
        text("unknown dataset key", at: "3:3", expect: "unknown key 'pixel'", "dataset:\n  \(halves)\n  pixel: 1\ncells:\n  - kind: fsc\n"),
        text("half_maps a number", at: "2:14", expect: "half_maps", "dataset:\n  half_maps: 3\ncells:\n  - kind: fsc\n"),
        text("cells a mapping", at: "3:8", expect: "cells must be a list", "dataset:\n  \(halves)\ncells: {kind: fsc}\n"),
        text("text for a number", at: "5:18", expect: "mask_extend lots is not a number", "dataset:\n  \(halves)\ncells:\n  - kind: postprocess\n    mask_extend: lots\n"),
        text("a list for a number", at: "5:11", expect: "seed", "dataset:\n  \(halves)\ncells:\n  - kind: fsc\n    seed: [1, 2]\n"),
        text("voxel_size 1e-30 Å", at: "3:15", expect: "voxel_size", "dataset:\n  \(halves)\n  voxel_size: 1e-30\ncells:\n  - kind: fsc\n"),
        text("a cell referencing an unknown cell", at: "5:11", expect: "'nosuch.mask'", "dataset:\n  \(halves)\ncells:\n  - kind: fsc\n    mask: nosuch.mask\n"),
        text("a cell referencing a later cell", at: "5:11", expect: "does not come before", "dataset:\n  \(halves)\ncells:\n  - kind: fsc\n    mask: pp.mask\n  - kind: postprocess\n    id: pp\n"),
        text("markdown naming an unknown number", at: "4:16", expect: "names no number", "dataset:\n  \(halves)\ncells:\n  - markdown: \"{{ nosuch.resolution }}\"\n  - kind: fsc\n"),
    ]

    static let duplicates: [Case] = [
        text("duplicate top-level key", at: "2:1", expect: "key 'title' is given twice", "title: a\ntitle: b\ndataset:\n  \(halves)\ncells:\n  - kind: fsc\n"),
        text("duplicate dataset key", at: "3:3", expect: "key 'half_maps' is given twice", "dataset:\n  \(halves)\n  \(halves)\ncells:\n  - kind: fsc\n"),
        text("duplicate cell key", at: "6:5", expect: "key 'seed' is given twice", "dataset:\n  \(halves)\ncells:\n  - kind: fsc\n    seed: 1\n    seed: 2\n"),
        text("duplicate key in a flow mapping", at: "4:26", expect: "key 'seed' is given twice", "dataset:\n  \(halves)\ncells:\n  - {kind: fsc, seed: 1, seed: 2}\n"),
        text("duplicate key in a JSON plan", at: "1:79", expect: "key 'cells' is given twice",
             "{\"dataset\": {\"half_maps\": [\"maps/half1.mrc\", \"maps/half2.mrc\"]}, \"cells\": [], \"cells\": [{\"kind\": \"fsc\"}]}\n"),
    ]

    /// A plan whose dataset block names `first` and `second` as half maps (relative paths).
    static func pair(_ name: String, at: String, expect: String, _ first: String, _ second: String,
                     prepare: @escaping @Sendable (String) throws -> Void = { _ in }) -> Case {
        Case(name: name, at: at, expect: expect) { folder in
            try prepare(folder)
            let path = folder + "/plan.yaml"
            try Data("dataset:\n  half_maps: [\(first), \(second)]\ncells:\n  - kind: fsc\n".utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    static let files: [Case] = [
        pair("a missing half map", at: "2:31", expect: "not found", "maps/half1.mrc", "maps/nope.mrc"),
        pair("a folder as a half map", at: "2:15", expect: "is a folder", "maps", "maps/half2.mrc"),
        pair("a FIFO as a half map", at: "2:15", expect: "not a regular file", "maps/fifo.mrc", "maps/half2.mrc") { folder in
            guard mkfifo(folder + "/maps/fifo.mrc", 0o644) == 0 else { throw CocoaError(.fileWriteUnknown) }
        },
        text("a missing mask", at: "3:9", expect: "not found", "dataset:\n  \(halves)\n  mask: maps/mask.mrc\ncells:\n  - kind: fsc\n"),
        Case(name: "the plan is a folder", at: "", expect: "is a folder, not a plan file") { folder in
            try FileManager.default.createDirectory(atPath: folder + "/plan.yaml", withIntermediateDirectories: true)
            return folder + "/plan.yaml"
        },
        Case(name: "the plan is a FIFO", at: "", expect: "not a regular file") { folder in
            guard mkfifo(folder + "/plan.yaml", 0o644) == 0 else { throw CocoaError(.fileWriteUnknown) }
            return folder + "/plan.yaml"
        },
        Case(name: "the plan is missing", at: "", expect: "file not found") { folder in folder + "/plan.yaml" },
    ]

    /// Every case.
    static let all: [Case] = syntax + shape + duplicates + files
}
