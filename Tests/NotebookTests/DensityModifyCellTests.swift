import Foundation
import Testing
import MapbookCore
import MapModel
import NotebookTestSupport
@testable import Notebook
@testable import NotebookCells

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

    @Test("with a model: the ensemble keys are read, and each half's ensemble is in the report")
    func withModel() throws {
        let data = try NotebookTestData(size: 40)
        defer { data.cleanup() }
        // A short zig-zag chain of carbons across the middle of the 80 Å box.
        let atoms = (0..<24).map { i in
            Atom(name: "CA", element: .carbon, position: SIMD3(22 + 1.5 * Double(i), 40 + (i % 2 == 0 ? 0.5 : -0.5), 40), bFactor: 30,
                 residueName: "GLY", residueNumber: i + 1, chainID: "A")
        }
        try AtomicModelFile.writePDB(AtomicModel(atoms: atoms), to: data.file("model.pdb"))
        let plan = try data.writePlan("""
        title: density modification with a model
        dataset:
          name: dm
          half_maps: [half1.mrc, half2.mrc]
          model: model.pdb
        cells:
          - kind: density_modify
            id: dm
            solvent_fraction: 0.8
            cycles: 1
            model: dataset.model
            model_members: 2
            model_randomisation: 0.5
            model_seed: 4
        """)
        let run = try data.run(plan)
        let cell = try #require(run.cells.first { $0.id == "dm" })
        #expect(cell.status == .executed, "\(cell.message ?? "")")
        let rows = cell.presentation?.tables.flatMap(\.rows) ?? []
        #expect(rows.filter { $0.first?.hasPrefix("Model ensemble, half map") == true }.count == 2, "\(rows)")
        #expect(rows.contains { $0.count > 1 && $0[1].hasPrefix("2 members") })
        let bad = try data.writePlan("""
        title: t
        dataset:
          half_maps: [half1.mrc, half2.mrc]
          model: model.pdb
        cells:
          - kind: density_modify
            solvent_fraction: 0.8
            model: dataset.model
            model_members: 0
        """, name: "bad.yaml")
        #expect(throws: (any Error).self) { try data.run(bad) }
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
