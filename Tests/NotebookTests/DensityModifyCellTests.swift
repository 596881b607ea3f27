import Foundation
import Testing
import MapbookCore
import NotebookTestSupport
@testable import Notebook

@Suite("density_modify cell")
struct DensityModifyCellTests {
    @Test("runs, exposes the maps and numbers, presents FSC, FSC_ref and the montage, caches")
    func runsAndCaches() throws {
        let data = try NotebookTestData(size: 40)
        defer { data.cleanup() }
        try Data(">A\n\(String(repeating: "A", count: 120))\n".utf8).write(to: URL(fileURLWithPath: data.file("seq.fasta")))
        let plan = try data.writePlan("""
        title: density modification
        dataset:
          name: dm
          half_maps: [half1.mrc, half2.mrc]
          sequence: seq.fasta
        cells:
          - kind: density_modify
            id: dm
            cycles: 2
          - markdown: |
              Gain {{ dm.gain }}.
        """)
        let first = try data.run(plan)
        let cell = try #require(first.cells.first { $0.id == "dm" })
        #expect(cell.status == .executed, "\(cell.message ?? "")")
        #expect(Set(cell.mapFiles.keys) == ["map", "half_map_1", "half_map_2"])
        #expect(cell.numbers["gain"]?.value.isFinite == true)
        #expect(cell.presentation?.figures.map(\.name) == ["fsc", "fsc_ref", "montage"])
        let second = try data.run(plan)
        #expect(second.cells.first { $0.id == "dm" }?.status == .cached)
    }

    @Test("without a sequence, solvent fraction or mass the plan is refused")
    func needsSolventSource() throws {
        let data = try NotebookTestData(size: 24)
        defer { data.cleanup() }
        let plan = try data.writePlan("""
        title: t
        dataset:
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - kind: density_modify
        """)
        #expect(throws: (any Error).self) { try data.run(plan) }
    }

    @Test("an unknown point group is a plan error at its line")
    func badSymmetry() throws {
        let data = try NotebookTestData(size: 24)
        defer { data.cleanup() }
        let plan = try data.writePlan("""
        title: t
        dataset:
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - kind: density_modify
            solvent_fraction: 0.7
            symmetry: X7
        """)
        #expect { try data.run(plan) } throws: { "\($0)".contains("unknown point group 'X7'") && "\($0)".contains(":7:") }
    }
}
