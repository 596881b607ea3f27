import Foundation
import Testing
import MapbookCore
import NotebookTestSupport
@testable import Notebook
@testable import NotebookCells

@Suite("local_sharpen cell")
struct LocalSharpenCellTests {
    @Test("LocalDeblur after post-processing and MonoRes: montage, convergence, before/after histograms for two rounds; numbers, map, cache")
    func runsAndCaches() throws {
        let data = try NotebookTestData(size: 40)
        defer { data.cleanup() }
        let plan = try data.writePlan("""
        title: local sharpening
        dataset:
          name: ls
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - kind: postprocess
            id: postprocess
            mask: auto
          - kind: local_resolution
            id: localres
          - kind: local_sharpen
            id: deblur
            resolution_map: localres.resolution_map
            global_map: postprocess.sharpened
            iterations: 2
            k: 0.01
          - kind: local_sharpen
            id: standalone
            max_inner: 10
          - markdown: |
              λ {{ deblur.lambda }} over {{ deblur.rounds }} rounds; alone {{ standalone.inner_iterations }} iterations.
        """)
        let first = try data.run(plan)
        let cells = Dictionary(uniqueKeysWithValues: first.cells.map { ($0.id, $0) })
        let deblur = try #require(cells["deblur"])
        #expect(deblur.status == .executed, "\(deblur.message ?? "")")
        let rounds = try #require(deblur.numbers["rounds"]).value
        let names = deblur.presentation?.figures.map(\.name) ?? []
        print("local_sharpen cell: \(rounds) rounds, λ \(deblur.numbers["lambda"]?.formatted ?? "?"), figures \(names), flags \(deblur.presentation?.flags ?? [])")
        #expect(names.prefix(2) == ["montage", "convergence"])
        if rounds > 1 { #expect(names.suffix(2) == ["histogram_before", "histogram_after"]) }
        #expect(deblur.mapFiles["sharpened"] != nil)
        #expect(deblur.presentation?.glance.first?.label.contains("Local sharpening") == true)
        #expect(!(deblur.presentation?.flags ?? []).contains { $0.contains("imported") })
        let alone = try #require(cells["standalone"])
        #expect(alone.status == .executed, "\(alone.message ?? "")")
        #expect(alone.presentation?.figures.map(\.name) == ["montage", "convergence"])
        #expect(try #require(alone.numbers["inner_iterations"]).value <= 10)
        let second = try data.run(plan)
        #expect(second.cells.filter { $0.kind == "local_sharpen" }.allSatisfy { $0.status == .cached })
    }

    @Test("iterations 0 is a plan error at its position")
    func badIterations() throws {
        let data = try NotebookTestData(size: 24)
        defer { data.cleanup() }
        let plan = try data.writePlan("""
        title: bad
        dataset:
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - kind: local_sharpen
            iterations: 0
        """)
        #expect { try PlanParser.load(path: plan) } throws: { "\($0)".contains("plan.yaml:6") && "\($0)".contains("iterations") }
    }
}
