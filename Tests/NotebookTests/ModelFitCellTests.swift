import Foundation
import Testing
import MapbookCore
import MapModel
import NotebookTestSupport
@testable import Notebook
@testable import NotebookCells

@Suite("model_fit cell")
struct ModelFitCellTests {
    @Test("runs on the half maps' average with the dataset's model, with local resolution per residue; numbers, figures, tables, glance, index columns; caches")
    func runs() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        try data.writeModel("model.pdb")
        let plan = try data.writePlan("""
        title: model fit
        dataset:
          half_maps: [half1.mrc, half2.mrc]
          model: model.pdb
        cells:
          - kind: local_resolution
            id: lr
          - kind: model_fit
            id: fit
            local_resolution: lr.resolution_map
            worst_residues: 5
          - markdown: |
              Mean Q {{ fit.mean_q }} (expected {{ fit.expected_q }}), CC_mask {{ fit.cc_mask }}.
        """)
        let first = try data.run(plan)
        let cell = try #require(first.cells.first { $0.id == "fit" })
        #expect(cell.status == .executed, "\(cell.message ?? "")")
        for key in ["mean_q", "expected_q", "cc_mask", "cc_box", "d_fsc_model", "d_model", "d99", "atom_inclusion"] {
            #expect(cell.numbers[key]?.value.isFinite == true, "\(key)")
        }
        let p = try #require(cell.presentation)
        #expect(p.figures.map(\.name) == ["fsc_model", "q_residues", "b_residues", "atom_inclusion"])
        #expect(p.tables.map(\.title) == ["Model fit", "Residues with the lowest Q-score"])
        #expect(p.tables[1].rows.count == 5 && p.tables[1].rows.allSatisfy { !$0[5].isEmpty }, "local resolution per residue: \(p.tables[1].rows)")
        #expect(p.glance.map(\.label).contains("Mean Q-score") && p.glance.map(\.label).contains("Model against each half"))
        #expect(Set(ModelFitCell.indexColumns.map(\.column.key)) == ["meanQ", "ccMask", "dFSCModel"])
        #expect(try data.run(plan).cells.first { $0.id == "fit" }?.status == .cached)
    }

    @Test("a plan without a model in the dataset is refused at the reference, before any work")
    func needsModel() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let plan = try data.writePlan("dataset:\n  half_maps: [half1.mrc, half2.mrc]\ncells:\n  - kind: model_fit\n")
        #expect { try PlanParser.load(path: plan) } throws: { "\($0)".contains("model: 'dataset.model' is not set in the dataset block") }
    }
}
