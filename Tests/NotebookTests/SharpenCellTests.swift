import Foundation
import Testing
import MapbookCore
import NotebookTestSupport
@testable import Notebook
@testable import NotebookCells

@Suite("sharpen cell")
struct SharpenCellTests {
    @Test("sharpens the average of the half maps, exposes the map and numbers, presents score, montage and Guinier, caches")
    func runsAndCaches() throws {
        let data = try NotebookTestData(size: 40)
        defer { data.cleanup() }
        let plan = try data.writePlan("""
        title: sharpen
        dataset:
          name: sh
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - kind: postprocess
            id: postprocess
            mask: auto
          - kind: sharpen
            id: sharpen
            resolution: postprocess.resolution
            molecular_mass: 30000
          - kind: sharpen
            id: scales
            resolution: 7
            method: [half_map, b_iso]
            score: kurtosis
          - kind: montage
            maps: [dataset.half_map_1, sharpen.sharpened]
          - markdown: |
              Auto-sharpening applied {{ sharpen.bfactor }} (map B {{ sharpen.map_bfactor }}).
        """)
        let first = try data.run(plan)
        let cells = Dictionary(uniqueKeysWithValues: first.cells.map { ($0.id, $0) })
        let sharpen = try #require(cells["sharpen"])
        #expect(sharpen.status == .executed, "\(sharpen.message ?? "")")
        #expect(sharpen.mapFiles["sharpened"] != nil)
        #expect(sharpen.numbers["bfactor"]?.value.isFinite == true)
        #expect(sharpen.numbers["map_bfactor"] != nil && sharpen.numbers["score"] != nil)
        #expect(sharpen.presentation?.figures.map(\.name) == ["score", "montage", "surfaces", "guinier"])
        #expect(sharpen.presentation?.glance.first?.label.contains("Auto-sharpening") == true)
        let scales = try #require(cells["scales"])
        #expect(scales.status == .executed, "\(scales.message ?? "")")
        #expect(scales.presentation?.flags.contains { $0.contains("4.5") } == true, "a 7 Å map gets the low-resolution warning")
        let second = try data.run(plan)
        #expect(second.cells.filter { $0.kind == "sharpen" }.allSatisfy { $0.status == .cached })
    }

    @Test("plan errors: a missing resolution, an unknown method, a half_map method without half maps")
    func planErrors() throws {
        let data = try NotebookTestData(size: 24)
        defer { data.cleanup() }
        func problem(_ cell: String, dataset: String = "half_maps: [half1.mrc, half2.mrc]") throws -> String {
            let plan = try data.writePlan("title: bad\ndataset:\n  \(dataset)\ncells:\n  - kind: sharpen\n\(cell)")
            do { _ = try PlanParser.load(path: plan); return "" } catch { return "\(error)" }
        }
        #expect(try problem("    score: kurtosis\n").contains("needs resolution"))
        let method = try problem("    resolution: 4\n    method: sharpest\n")
        #expect(method.contains("plan.yaml:7:13") && method.contains("b_iso_to_d_cut"), "\(method)")
        #expect(try problem("    resolution: 4\n    method: half_map\n", dataset: "full_map: half1.mrc").contains("half_map method needs half_maps"))
        #expect(try problem("    resolution: 4\n    box: [1, 2, 3]\n").contains("six whole numbers"))
    }
}
