import Foundation
import Testing
import MapbookCore
@testable import Notebook
@testable import NotebookCells

/// Plan errors must point at the offending line and column and list what is allowed.
@Suite("Plan parsing")
struct PlanParserTests {
    static let valid = """
    title: "Test"
    dataset:
      name: t
      half_maps: [a.mrc, b.mrc]
      mask: m.mrc
      symmetry: D2
    cells:
      - markdown: |
          Resolution {{ pp.resolution }}.
      - kind: fsc
      - kind: postprocess
        id: pp
        bfactor: -80
        lowpass: fsc
      - kind: montage
        maps: [dataset.half_map_1, pp.sharpened]
    """

    func error(_ text: String, file: String = "plan.yaml") -> String {
        do {
            _ = try PlanParser.parse(text, path: file)
            return "no error"
        } catch let e as MapbookError {
            return e.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test("a valid plan decodes into typed cells with defaults resolved against the dataset")
    func valid() throws {
        let plan = try PlanParser.parse(Self.valid, path: "/data/plans/plan.yaml")
        #expect(plan.title == "Test")
        #expect(plan.dataset.symmetryOrder == 4)
        #expect(plan.analysisCells.map(\.id) == ["fsc", "pp", "montage"])
        let fsc = try #require(plan.analysisCells[0].cell as? FSCCell)
        #expect(fsc.mask == .map(PlanReference("dataset", "mask")))   // the dataset has a mask
        #expect(fsc.parameters.thresholds == [.fixed(0.143), .fixed(0.5), .halfBit])
        let pp = try #require(plan.analysisCells[1].cell as? PostprocessCell)
        #expect(pp.parameters.bfactor == .fixed(-80))
        #expect(pp.parameters.lowpass == .fscResolution)
        #expect(pp.parameters.autobLowres == 10)
        #expect(plan.directory == "/data/plans")
        if case .markdown(let md) = plan.cells[0] {
            #expect(md.references == [PlanReference("pp", "resolution")])
            #expect(md.references.first?.position == SourcePosition(line: 9, column: 18))
        } else { Issue.record("first cell is not markdown") }
    }

    @Test("without a dataset mask, postprocess makes one and fsc uses none")
    func maskDefaults() throws {
        let plan = try PlanParser.parse("dataset: {half_maps: [a.mrc, b.mrc]}\ncells: [{kind: fsc}, {kind: postprocess}]", path: "p.yaml")
        #expect((plan.analysisCells[0].cell as? FSCCell)?.mask == MaskSetting.none)
        #expect((plan.analysisCells[1].cell as? PostprocessCell)?.mask == .automatic)
    }

    @Test("JSON plans are accepted and resolve exactly like the YAML")
    func json() throws {
        let json = """
        {"title": "Test", "dataset": {"name": "t", "half_maps": ["a.mrc", "b.mrc"], "mask": "m.mrc", "symmetry": "D2"},
         "cells": [{"markdown": "Resolution {{ pp.resolution }}.\\n"}, {"kind": "fsc"},
                   {"kind": "postprocess", "id": "pp", "bfactor": -80, "lowpass": "fsc"},
                   {"kind": "montage", "maps": ["dataset.half_map_1", "pp.sharpened"]}]}
        """
        let a = try ResolvedPlan.json(PlanParser.parse(json, path: "/x/plan.json"))
        let b = try ResolvedPlan.json(PlanParser.parse(Self.valid, path: "/x/plan.yaml"))
        #expect(a == b)
        #expect(error("{\"dataset\": {\"half_maps\": [\"a\", \"b\"]},\n \"cells\": [{\"kind\": \"fsc\", \"sead\": 1}]}", file: "p.json")
                    .hasPrefix("p.json:2:28: unknown key 'sead' in a fsc cell; allowed keys: kind, id, title, half_maps, mask,"))
    }

    @Test("unknown key: position of the key, every allowed key listed")
    func unknownKey() {
        let text = Self.valid.replacingOccurrences(of: "    bfactor: -80", with: "    bfactr: -80")
        let e = error(text)
        #expect(e.hasPrefix("plan.yaml:13:5: unknown key 'bfactr' in a postprocess cell; allowed keys: kind, id, title, half_maps, mask, mask_lowpass, "), "\(e)")
        #expect(e.contains("bfactor") && e.contains("force_mask"))
        #expect(!e.contains("\n"))
        #expect(error("title: x\ndataset: {half_maps: [a, b]}\ncells: []\ncell: []").hasPrefix("plan.yaml:4:1: unknown key 'cell' at the top of the plan; allowed keys: title, dataset, cells"))
        #expect(error("dataset:\n  half_maps: [a, b]\n  pixel: 1\ncells: []").hasPrefix("plan.yaml:3:3: unknown key 'pixel' in the dataset block; allowed keys: name, half_maps, full_map, mask, model, sequence, voxel_size, symmetry"))
    }

    @Test("unknown kind: position of the value, every kind listed")
    func unknownKind() {
        let e = error(Self.valid.replacingOccurrences(of: "  - kind: fsc", with: "  - kind: fsk"))
        #expect(e == "plan.yaml:10:11: unknown cell kind 'fsk'; allowed kinds: benchmark, compare, composite, density_modify, fsc, halfmap_sharpen, local_resolution, local_sharpen, map_box, model_fit, montage, postprocess, sharpen, truth, views (or a markdown cell)", "\(e)")
    }

    @Test("bad reference: position of the reference, the references that fit listed")
    func badReference() {
        let e = error(Self.valid.replacingOccurrences(of: "pp.sharpened]", with: "pp.sharpend]"))
        #expect(e == "plan.yaml:16:32: maps: 'pp.sharpend' is not a map this cell can use; allowed here: dataset.half_map_1, dataset.half_map_2, dataset.mask, fsc.mask, pp.sharpened, pp.sharpened_masked, pp.mask", "\(e)")
        let later = error(Self.valid.replacingOccurrences(of: "  - kind: fsc", with: "  - kind: fsc\n    mask: pp.mask"))
        #expect(later.hasPrefix("plan.yaml:11:11: mask: 'pp.mask' refers to cell 'pp', which does not come before cell 'fsc'"), "\(later)")
        let unset = error("dataset: {half_maps: [a, b]}\ncells:\n  - kind: fsc\n    mask: dataset.mask")
        #expect(unset.hasPrefix("plan.yaml:4:11: mask: 'dataset.mask' is not set in the dataset block"), "\(unset)")
        let markdown = error(Self.valid.replacingOccurrences(of: "{{ pp.resolution }}", with: "{{ pp.resolutoin }}"))
        #expect(markdown.hasPrefix("plan.yaml:9:18: {{ pp.resolutoin }} names no number; allowed: fsc.resolution, fsc.resolution_half, "), "\(markdown)")
        let malformed = error(Self.valid.replacingOccurrences(of: "pp.sharpened]", with: "sharpened]"))
        #expect(malformed.hasPrefix("plan.yaml:16:32: 'sharpened' is not a reference"), "\(malformed)")
    }

    @Test("wrong types and values: position of the value and what was expected")
    func typeErrors() {
        let e = error(Self.valid.replacingOccurrences(of: "    bfactor: -80", with: "    mask_extend: lots"))
        #expect(e == "plan.yaml:13:18: in cell 'pp': mask_extend lots is not a number", "\(e)")
        let b = error(Self.valid.replacingOccurrences(of: "bfactor: -80", with: "bfactor: strong"))
        #expect(b == "plan.yaml:13:14: in cell 'pp': bfactor strong is not auto or a number", "\(b)")
        let s = error(Self.valid.replacingOccurrences(of: "symmetry: D2", with: "symmetry: Q7"))
        #expect(s.hasPrefix("plan.yaml:6:13: symmetry 'Q7' is not a point group"), "\(s)")
        let h = error(Self.valid.replacingOccurrences(of: "[a.mrc, b.mrc]", with: "[a.mrc]"))
        #expect(h.hasPrefix("plan.yaml:4:14: half_maps must list exactly two files"), "\(h)")
        let dup = error(Self.valid.replacingOccurrences(of: "    id: pp", with: "    id: fsc"))
        #expect(dup.hasPrefix("plan.yaml:12:9: two cells have the id 'fsc'"), "\(dup)")
        let range = error(Self.valid.replacingOccurrences(of: "    bfactor: -80", with: "    randomize_at_fsc: 3"))
        // A range problem sits at the value, not at the cell.
        #expect(range == "plan.yaml:13:23: in cell 'pp': randomize_at_fsc 3 must lie strictly between 0 and 1", "\(range)")
    }

    @Test("YAML syntax errors carry their position")
    func syntax() {
        let e = error("dataset: {half_maps: [a, b]\ncells: []")
        #expect(e.hasPrefix("plan.yaml:2:"), "\(e)")
        #expect(e.contains("YAML syntax"))
        #expect(error("").hasPrefix("plan.yaml:1:1: the plan is empty"))
        #expect(error("- a\n- b").hasPrefix("plan.yaml:1:1: a plan is a mapping"))
    }

    @Test("a missing plan file is a one-line error naming it")
    func missingFile() {
        #expect(throws: MapbookError.self) { try PlanParser.load(path: "/nonexistent/plan.yaml") }
    }
}
