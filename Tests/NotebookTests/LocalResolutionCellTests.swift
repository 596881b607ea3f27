import Foundation
import Testing
import Figures
import MapbookCore
import MapModel
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

    @Test("the surface shows the average inside the mask only, at 3 σ of the noise outside it, every surface pixel coloured")
    func surfaceInsideTheMask() throws {
        let grid = VoxelGrid(cube: 40, voxel: 1)
        var state: UInt64 = 7
        let average = Volume(grid: grid) { x, y, z in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let noise = Float(Double(state >> 11) / Double(1 << 53) - 0.5) * 0.2   // uniform, σ = 0.2/√12
            let r = Float((x - 20) * (x - 20) + (y - 20) * (y - 20) + (z - 20) * (z - 20)).squareRoot()
            return 1 / (1 + exp((r - 8) / 1.5)) + noise
        }
        let maskRadius: Float = 13
        let resolution = Volume(grid: grid) { x, y, z in
            Float((x - 20) * (x - 20) + (y - 20) * (y - 20) + (z - 20) * (z - 20)).squareRoot() < maskRadius ? 4 : 0
        }
        let (surface, rule) = try LocalResolutionCell.surface(average: average, resolution: resolution)
        #expect(rule.contains("outside the mask"), "\(rule)")
        #expect(abs(surface.level - 3 * 0.2 / Float(12).squareRoot()) < 0.02, "level \(surface.level)")
        for view in surface.views {
            let shade = [UInt8](view.shade), value = [UInt8](view.value)
            #expect(shade.indices.allSatisfy { shade[$0] == 0 || value[$0] > 0 }, "\(view.direction): a surface pixel without colour")
            // Nothing beyond the mask: no noise speck outside it reaches the surface.
            let pixelsPerAngstrom = Double(view.width) / view.physicalWidth
            let far = shade.indices.filter { i in
                let dx = (Double(i % view.width) + 0.5) / pixelsPerAngstrom - 20, dy = (Double(i / view.width) + 0.5) / pixelsPerAngstrom - 20
                return shade[i] > 0 && (dx * dx + dy * dy).squareRoot() > Double(maskRadius) + 0.5
            }
            #expect(far.isEmpty, "\(view.direction): \(far.count) surface pixels outside the mask")
        }
        // A mask covering the whole box leaves no solvent to measure: the recommended contour.
        let everywhere = Volume(grid: grid) { _, _, _ in 4 }
        #expect(try LocalResolutionCell.surface(average: average, resolution: everywhere).rule.hasPrefix("the recommended contour"))
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
