import Foundation
import Testing
import MapbookCore
@testable import Notebook
@testable import NotebookCells

/// The plan's deposition: and report: sections: decoded, and refused at the offending place.
@Suite("Plan sections: deposition and report")
struct PlanSectionTests {
    static func plan(_ sections: String) -> String {
        """
        dataset:
          half_maps: [a.mrc, b.mrc]
        cells:
          - kind: postprocess
            id: pp
          - kind: fsc
        \(sections)
        """
    }

    func error(_ text: String) -> String {
        do { _ = try PlanParser.parse(text, path: "plan.yaml"); return "no error" }
        catch { return "\(error)" }
    }

    @Test("a deposition section and report maps decode; the defaults are no deposition and copied maps")
    func valid() throws {
        let p = try PlanParser.parse(Self.plan("deposition: {map: pp.sharpened, fsc: pp, mask: pp.mask}\nreport: {maps: link}"), path: "plan.yaml")
        #expect(p.deposition?.map.description == "pp.sharpened" && p.deposition?.fscCell == "pp" && p.deposition?.mask?.description == "pp.mask")
        #expect(p.reportSettings.maps == .link)
        let plain = try PlanParser.parse(Self.plan(""), path: "plan.yaml")
        #expect(plain.deposition == nil && plain.reportSettings.maps == .copy)
    }

    @Test("bad sections are refused at their line and column, listing what is allowed")
    func refused() {
        #expect(error(Self.plan("deposition: {map: pp.nothing, fsc: pp}")).hasPrefix("plan.yaml:7:19: deposition map: 'pp.nothing' is not a map of this plan; allowed: dataset.half_map_1, dataset.half_map_2, pp.sharpened, pp.sharpened_masked, pp.mask"))
        #expect(error(Self.plan("deposition: {map: pp.sharpened, fsc: nope}")).hasPrefix("plan.yaml:7:38: deposition fsc: 'nope' is not a cell of this plan"))
        #expect(error(Self.plan("deposition: {map: pp.sharpened}")).hasPrefix("plan.yaml:7:13: deposition needs fsc"))
        #expect(error(Self.plan("deposition: {map: pp.sharpened, fsc: pp, extra: 1}")).hasPrefix("plan.yaml:7:42: unknown key 'extra' in the deposition section; allowed keys: map, fsc, mask"))
        #expect(error(Self.plan("report: {maps: hardlink}")).hasPrefix("plan.yaml:7:16: report maps must be one of copy, link, omit, found 'hardlink'"))
        #expect(error("dataset: {full_map: f.mrc}\ncells:\n  - {kind: montage, maps: [dataset.full_map]}\ndeposition: {map: dataset.full_map, fsc: montage}")
                    .hasPrefix("plan.yaml:4:13: deposition needs the dataset's half_maps"))
    }
}
