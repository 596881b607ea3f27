import Foundation
import Testing
import Figures
import MapbookCore
import NotebookTestSupport
@testable import Notebook
@testable import NotebookCells

@Suite("local_resolution cell")
struct LocalResolutionCellTests {
    @Test("runs MonoRes and the local FSC, exposes numbers and the map, presents histogram and slices, caches")
    func runsAndCaches() throws {
        let data = try NotebookTestData(size: 40)
        defer { data.cleanup() }
        let plan = try data.writePlan("""
        title: local resolution
        dataset:
          name: lr
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - kind: postprocess
            id: postprocess
            mask: auto
          - kind: local_resolution
            id: localres
            global_resolution: postprocess.resolution
          - kind: local_resolution
            id: localfsc
            method: local_fsc
            window: 30
          - markdown: |
              Median {{ localres.median }}; local FSC {{ localfsc.median }}.
        """)
        let first = try data.run(plan)
        let cells = Dictionary(uniqueKeysWithValues: first.cells.map { ($0.id, $0) })
        let mono = try #require(cells["localres"])
        #expect(mono.status == .executed, "\(mono.message ?? "")")
        let median = try #require(mono.numbers["median"]).value
        #expect(median >= 4 && median < 20, "median \(median)")
        #expect(mono.mapFiles["resolution_map"] != nil)
        let names = mono.presentation?.figures.map(\.name) ?? []
        #expect(names == ["histogram", "slices", "surface"])
        #expect(mono.presentation?.glance.first?.label.contains("Local resolution") == true)
        // The slices' bar starts no finer than Nyquist (2 × 2 Å voxels); the histogram's caption
        // names its lines as they are drawn (the global marker is dash-dotted, not dotted).
        let p = try #require(mono.presentation)
        let slices = try #require(p.figures.first { $0.name == "slices" }?.figure as? LocalResolutionSlicesFigure)
        #expect(slices.lower >= 4 - 1e-9 && slices.upper > slices.lower, "bar \(slices.lower)–\(slices.upper) Å")
        // The surface of the average map carries local-resolution colour on the slices' bar.
        let surface = try #require(p.figures.first { $0.name == "surface" }?.figure as? SurfaceViewFigure)
        #expect(surface.colorScale?.lower == slices.lower && surface.colorScale?.upper == slices.upper)
        let views = try #require(surface.maps.first?.surface.views)
        #expect(views.count == 3 && views.allSatisfy { v in v.value.contains { $0 > 0 } && v.shade.contains { $0 > 0 } })
        let caption = try #require(p.figures.first { $0.name == "histogram" }).caption
        #expect(caption.contains("solid line the median") && caption.contains("dashed lines the 5th and 95th"), "\(caption)")
        #expect(caption.contains("the dash-dotted line is"), "\(caption)")
        #expect(try #require(cells["localfsc"]).status == .executed)
        let second = try data.run(plan)
        #expect(second.cells.filter { $0.kind == "local_resolution" }.allSatisfy { $0.status == .cached })
    }

    @Test("a bad method is a plan error at its position, listing the allowed ones")
    func badMethod() throws {
        let data = try NotebookTestData(size: 24)
        defer { data.cleanup() }
        let plan = try data.writePlan("""
        title: bad
        dataset:
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - kind: local_resolution
            method: resmap
        """)
        #expect { try PlanParser.load(path: plan) } throws: { "\($0)".contains("plan.yaml:6:13") && "\($0)".contains("method resmap is not one of monores, local_fsc") }
    }
}
