import Foundation
import Figures
import Notebook
import TestSupport
@testable import Facility

/// A batch of `count` datasets made without running anything: for each, a status file and a
/// report folder holding summary.json, a figure and an FSC table, as a real run writes them.
/// Every number is known, so the index can be checked against it.
struct SyntheticBatch {
    /// One dataset's truth.
    struct Dataset {
        var name: String
        var taskFailed: Bool
        var pixel: Double
        var box: Int
        var symmetry: String
        /// The resolution (Å); when `nyquistLimited`, the Nyquist resolution 2 × pixel.
        var resolution: Double
        var nyquistLimited: Bool
        /// The post-processing section's verdict.
        var postprocessLevel: Verdict.Level
        var flags: [String]
        /// The figure the report holds (file name in figures/).
        var figure: String
    }

    let folder = TemporaryDirectory()
    let datasets: [Dataset]
    let layout: BatchLayout
    let manifest: BatchManifest

    /// Every tenth dataset from the fourth failed as a task (no report); every tenth from the
    /// eighth has a failed post-processing section; every sixth is Nyquist-limited; ds15's
    /// measured resolution equals ds12's Nyquist limit (2.00 Å), to show how ties sort.
    init(count: Int = 60) throws {
        datasets = (0..<count).map { i in
            let pixel = 0.9 + 0.05 * Double(i % 5)
            let limited = i % 6 == 0
            let level: Verdict.Level = i % 10 == 7 ? .fail : (i % 4 == 1 ? .caution : .pass)
            return Dataset(name: String(format: "ds%02d", i), taskFailed: i % 10 == 3, pixel: pixel, box: 64 + 16 * (i % 3),
                           symmetry: i % 2 == 0 ? "C1" : "D2", resolution: limited ? 2 * pixel : (i == 15 ? 2.0 : 3 + 0.1 * Double(i)),
                           nyquistLimited: limited, postprocessLevel: level,
                           flags: level == .pass ? [] : ["mask fills \(i) % of the box", "B from \(i) points"],
                           figure: i % 2 == 0 ? "slices_montage.png" : "postprocess_fsc.png")
        }
        try Data("title: t\n".utf8).write(to: URL(fileURLWithPath: folder.file("p.yaml")))
        manifest = try BatchManifest.parse(datasets.map { "plan p.yaml \($0.name)" }.joined(separator: "\n"), path: folder.file("m.txt"))
        layout = BatchLayout(root: folder.file("out"))
        try layout.prepare()
        let png = try FigureRenderer.png(Stripes(), scale: 1)
        for d in datasets {
            var status = TaskStatus(dataset: d.name, state: d.taskFailed ? .failed : .completed, started: "2024-03-05T10:00:00Z", host: "h", pid: 1)
            status.message = d.taskFailed ? "mapbook exited with status 1" : nil
            try status.write(layout.status(d.name))
            if d.taskFailed { continue }
            let report = layout.report(d.name)
            for sub in ["figures", "data"] { try FileManager.default.createDirectory(atPath: report + "/" + sub, withIntermediateDirectories: true) }
            try Data("<html></html>".utf8).write(to: URL(fileURLWithPath: report + "/report.html"))
            try png.write(to: URL(fileURLWithPath: report + "/figures/" + d.figure))
            try Data(Self.fscTable(d).utf8).write(to: URL(fileURLWithPath: report + "/data/postprocess_fsc.tsv"))
            try Self.summary(d).write(to: URL(fileURLWithPath: report + "/summary.json"))
        }
    }

    /// A table as `FSCTable` writes it: a logistic fall through 0.143 at the resolution, or
    /// one that stays high up to Nyquist when limited.
    static func fscTable(_ d: Dataset) -> String {
        var out = "shell\tfrequency_inv_A\tresolution_A\tfsc_corrected\tfsc_unmasked\tfsc_masked\tfsc_random_masked\tcount\n"
        let crossing = d.nyquistLimited ? 1.5 / (2 * d.pixel) : 1 / d.resolution
        for k in 0...(d.box / 2) {
            let s = Double(k) / (Double(d.box) * d.pixel)
            let fsc = 1 / (1 + exp((s - crossing) / 0.02)) * (1 - 0.143) + 0.143 * (s < crossing ? 1 : 0.5)
            out += "\(k)\t\(String(format: "%.6f", s))\t\(k == 0 ? "inf" : String(format: "%.3f", 1 / s))\t\(String(format: "%.6f", fsc))\t\t\t\t\(4 * k * k)\n"
        }
        return out
    }

    /// summary.json: an FSC cell (pass), a post-processing cell with the resolution, and a
    /// montage cell (whose figure only some reports hold).
    static func summary(_ d: Dataset) throws -> Data {
        var resolution: [String: Any] = ["value": d.resolution, "unit": "Å", "digits": 2]
        if d.nyquistLimited {
            resolution["text"] = String(format: "better than %.2f Å (Nyquist)", d.resolution)
            resolution["limit"] = ["side": "at_most", "reason": "Nyquist"]
        }
        func verdict(_ section: String, _ level: Verdict.Level) -> [String: Any] {
            var v: [String: Any] = ["section": section, "level": level.rawValue, "reason": "\(section) is \(level.rawValue)"]
            if level != .pass { v["action"] = "look at \(section)" }
            return v
        }
        let cells: [[String: Any]] = [
            ["id": "fsc", "kind": "fsc", "status": "executed", "numbers": ["resolution": ["value": d.resolution + 0.5, "unit": "Å", "digits": 2]],
             "parameters": "{}", "flags": [String](), "verdicts": [verdict("Half-map FSC", .pass)]],
            ["id": "postprocess", "kind": "postprocess", "status": "executed",
             "numbers": ["resolution": resolution, "bfactor": ["value": -50.0, "unit": "Å²", "digits": 1]],
             "parameters": "{\"bfactor\":\"auto\"}", "flags": d.flags, "verdicts": [verdict("Post-processing", d.postprocessLevel)]],
            ["id": "slices", "kind": "montage", "status": "executed", "numbers": [String: Any](), "parameters": "{}", "flags": [String](),
             "verdicts": [[String: Any]]()],
        ]
        let object: [String: Any] = ["format": 1, "dataset": d.name, "title": "t", "planPath": "p.yaml", "mapbookVersion": "test",
                                     "started": "2024-03-05T10:00:00Z", "wallSeconds": 1.0, "cells": cells, "flags": d.flags,
                                     "symmetry": d.symmetry, "grid": ["box": [d.box, d.box, d.box], "voxelSize": d.pixel]]
        return try JSONSerialization.data(withJSONObject: object)
    }

    /// The index of the batch, written into its folder.
    func writeIndex() throws -> FacilityIndex {
        let index = FacilityIndex.build(manifest: manifest, layout: layout, mapbookVersion: "test", date: Date(timeIntervalSince1970: 0))
        try index.write(to: layout)
        return try CanonicalJSON.decode(FacilityIndex.self, from: Data(contentsOf: URL(fileURLWithPath: layout.root + "/index.json")))
    }

    func cleanup() { folder.cleanup() }
}

/// A small picture with structure, standing in for a report figure.
struct Stripes: Figure {
    var size: FigureSize { FigureSize(400, 120) }
    func draw(on canvas: Canvas) {
        for k in 0..<8 { canvas.fill(Rect(x: Double(k) * 50, y: 0, width: 25, height: 120), color: OkabeIto.cycle[k]) }
    }
}
