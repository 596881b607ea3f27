import Foundation
import Testing
import Notebook
import NotebookCells
@testable import Facility

@Suite("Facility index columns come from the cell kinds' declarations")
struct IndexColumnTests {
    /// A run summary with `cells` (id, kind, status, numbers as (name, value, unit, text), parameters JSON).
    static func summary(_ cells: [(id: String, kind: String, status: String, numbers: [(String, Double, String, String?)], parameters: String)]) throws -> RunSummary {
        let cellObjects: [[String: Any]] = cells.map { c in
            var numbers: [String: Any] = [:]
            for (name, value, unit, text) in c.numbers {
                var q: [String: Any] = ["value": value.isNaN ? "nan" : value as Any, "unit": unit, "digits": 2]
                if let text { q["text"] = text }
                numbers[name] = q
            }
            return ["id": c.id, "kind": c.kind, "status": c.status, "numbers": numbers, "parameters": c.parameters, "flags": [String]()]
        }
        let object: [String: Any] = ["format": 1, "dataset": "d", "title": "t", "planPath": "p.yaml", "mapbookVersion": "test",
                                     "started": "2024-01-01T00:00:00Z", "wallSeconds": 1.0, "cells": cellObjects, "flags": [String]()]
        return try CanonicalJSON.decode(RunSummary.self, from: JSONSerialization.data(withJSONObject: object))
    }

    @Test("each declaration names an output of its kind of the column's type (numbers for numeric columns, text for text columns); each kind fills a column once; keys and headers are unique")
    func declarations() {
        for kind in CellKinds.all {
            for d in kind.indexColumns {
                if case .output(let name) = d.source {
                    let type: PlanValueType = d.column.isNumeric ? .number : .text
                    #expect(kind.outputs.contains { $0.name == name && $0.type == type }, "\(kind.kind) declares '\(name)', not a \(type.rawValue) output")
                }
            }
            #expect(Set(kind.indexColumns.map(\.column.key)).count == kind.indexColumns.count, "\(kind.kind) fills a column twice")
        }
        let columns = FacilityIndex.columns
        #expect(Set(columns.map(\.key)).count == columns.count && Set(columns.map(\.csvHeader)).count == columns.count)
        #expect(columns.map(\.key) == ["fscResolution", "bfactor", "localResolutionMedian", "sharpening", "densityModificationGain",
                                        "meanQ", "ccMask", "dFSCModel"])
    }

    @Test("the highest priority among the plan's kinds speaks; failed cells say so; a unit other than the column's is no number; unknown kinds fill nothing")
    func selection() throws {
        let s = try Self.summary([
            ("fsc", "fsc", "executed", [("resolution", 4.0, "Å", nil)], "{}"),
            ("postprocess", "postprocess", "failed", [], "{\"bfactor\":\"auto\"}"),
            ("sharpen", "sharpen", "cached", [("method", .nan, "", "model, B −50.0 Å²")], "{}"),
            ("local_resolution", "local_resolution", "executed", [("median", 3.0, "%", nil)], "{}"),
            ("densmod", "densmod", "executed", [("gain", 9.0, "Å", nil)], "{}"),
        ])
        let fsc = FacilityIndex.value(of: .fscResolution, in: s)
        #expect(fsc == FacilityIndex.Value(value: nil, display: "failed", cell: "postprocess"))
        #expect(FacilityIndex.value(of: .bfactor, in: s).display == "failed")
        #expect(FacilityIndex.value(of: .sharpening, in: s) == FacilityIndex.Value(value: nil, display: "model, B −50.0 Å²", cell: "sharpen"))
        #expect(FacilityIndex.value(of: .localResolutionMedian, in: s) == FacilityIndex.Value(value: nil, display: "3.00 %", cell: "local_resolution"))
        #expect(FacilityIndex.value(of: .densityModificationGain, in: s) == FacilityIndex.Value(value: nil, display: "n/a", cell: nil))

        // Two post-processing cells: the one whose id is the kind speaks; its fixed B is the sharpening.
        let two = try Self.summary([
            ("pp_loose", "postprocess", "executed", [("resolution", 5.0, "Å", nil)], "{\"bfactor\":-20}"),
            ("postprocess", "postprocess", "executed", [("resolution", 3.5, "Å", nil), ("bfactor", -80, "Å²", nil)], "{\"bfactor\":-80}"),
            ("density_modify", "density_modify", "executed", [("gain", 0.25, "Å", nil)], "{}"),
        ])
        #expect(FacilityIndex.value(of: .fscResolution, in: two) == FacilityIndex.Value(value: 3.5, display: "3.50 Å", cell: "postprocess"))
        #expect(FacilityIndex.value(of: .sharpening, in: two).display == "global B (fixed -80)")
        #expect(FacilityIndex.value(of: .densityModificationGain, in: two) == FacilityIndex.Value(value: 0.25, display: "0.25 Å", cell: "density_modify"))
    }

    @Test("the sharpening column takes the sharpening cell that has a method, not merely the first; with none, the first says why")
    func sharpeningWithMethod() throws {
        // The cell whose id is its kind failed; another sharpen cell was cached before cells named their method; a third has one.
        let s = try Self.summary([
            ("postprocess", "postprocess", "executed", [("resolution", 3.5, "Å", nil)], "{\"bfactor\":\"auto\"}"),
            ("sharpen", "sharpen", "failed", [], "{}"),
            ("sharpen_old", "sharpen", "cached", [("bfactor", -40, "Å²", nil)], "{}"),
            ("sharpen_model", "sharpen", "executed", [("method", .nan, "", "model, B −61.0 Å²")], "{}"),
        ])
        #expect(FacilityIndex.value(of: .sharpening, in: s) == FacilityIndex.Value(value: nil, display: "model, B −61.0 Å²", cell: "sharpen_model"))
        // A local sharpening cell has a method too (its words), whatever comes first.
        let local = try Self.summary([
            ("sharpen_a", "sharpen", "skipped", [], "{}"),
            ("deblur", "local_sharpen", "executed", [], "{}"),
        ])
        #expect(FacilityIndex.value(of: .sharpening, in: local) == FacilityIndex.Value(value: nil, display: "local (LocalDeblur)", cell: "deblur"))
        // None has a method: the one whose id is its kind says why; post-processing's B choice (a lower priority) does not speak.
        let none = try Self.summary([
            ("postprocess", "postprocess", "executed", [], "{\"bfactor\":\"auto\"}"),
            ("sharpen_b", "sharpen", "failed", [], "{}"),
            ("sharpen", "sharpen", "skipped", [], "{}"),
        ])
        #expect(FacilityIndex.value(of: .sharpening, in: none) == FacilityIndex.Value(value: nil, display: "skipped", cell: "sharpen"))
    }

    @Test("a Nyquist-limited resolution is a limit: '≤ 7.08 Å (Nyquist)', the number kept, marked at_most in JSON and CSV")
    func nyquistLimit() throws {
        var s = try Self.summary([("postprocess", "postprocess", "executed", [("resolution", 7.08, "Å", "better than 7.08 Å (Nyquist)")], "{}")])
        #expect(FacilityIndex.value(of: .fscResolution, in: s) == FacilityIndex.Value(value: 7.08, display: "better than 7.08 Å (Nyquist)", cell: "postprocess"))
        s.cells[0].numbers["resolution"]?.limit = .nyquist
        let v = FacilityIndex.value(of: .fscResolution, in: s)
        #expect(v == FacilityIndex.Value(value: 7.08, display: "≤ 7.08 Å (Nyquist)", cell: "postprocess", limit: .atMost))
        let json = String(decoding: try CanonicalJSON.encode(v), as: UTF8.self)
        #expect(json.contains("\"limit\":\"at_most\"") || json.contains("\"limit\" : \"at_most\""), "\(json)")
        var index = IndexPageTests.index()
        index.datasets[0].columns[IndexColumn.Column.fscResolution.key] = v
        let line = index.csv().split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(line[6] == "7.0800" && line[7] == "at_most")
        #expect(index.html().contains("data-sort=\"7.080000\" data-limit=\"at_most\" class=\"num limit\">≤ 7.08 Å (Nyquist)</td>"))
    }

    @Test("a row reads back from index.json with its columns")
    func rowRoundTrip() throws {
        let index = IndexPageTests.index()
        let back = try CanonicalJSON.decode(FacilityIndex.self, from: CanonicalJSON.encode(index))
        #expect(back.datasets.map(\.columns) == index.datasets.map(\.columns))
        let object = try #require(try JSONSerialization.jsonObject(with: CanonicalJSON.encode(index)) as? [String: Any])
        let row = try #require((object["datasets"] as? [[String: Any]])?.first)
        #expect((row["fscResolution"] as? [String: Any])?["value"] as? Double == 3.5)
        #expect(row["columns"] == nil)
    }

    @Test("no kind is named in the facility's sources")
    func noKindNames() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Facility")
        let files = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 5)
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for kind in CellKinds.names {
                #expect(!text.contains("\"\(kind)\""), "Sources/Facility/\(file) names the kind \(kind)")
            }
        }
    }
}
