import Foundation
import Testing
import MapbookCore
import MapModel
import Simulation
import NotebookTestSupport
@testable import Notebook
@testable import NotebookCells
@testable import Postprocessing

/// The directional FSC in the `fsc` cell: its numbers, figures and verdict.
@Suite("fsc cell: directional FSC")
struct FSCDirectionalCellTests {
    @Test("on by default: directional numbers and both figures; directional: false leaves them out")
    func numbersAndFigures() throws {
        let data = try NotebookTestData(size: 40)
        defer { data.cleanup() }
        let plan = try data.writePlan("""
        title: directional
        dataset:
          name: d
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - {kind: fsc, id: on}
          - {kind: fsc, id: off, directional: false}
          - markdown: |
              Sphericity {{ on.sphericity }}, from {{ on.directional_min }} to {{ on.directional_max }}.
        """)
        let run = try data.run(plan)
        let on = try #require(run.cells.first { $0.id == "on" }), off = try #require(run.cells.first { $0.id == "off" })
        #expect(on.status == .executed, "\(on.message ?? "")")
        let lo = try #require(on.numbers["directional_min"]?.value), hi = try #require(on.numbers["directional_max"]?.value)
        let mean = try #require(on.numbers["directional_mean"]?.value), s = try #require(on.numbers["sphericity"]?.value)
        #expect(lo <= mean && mean <= hi && s > 0 && s <= 1.0001)
        #expect(on.presentation?.figures.map(\.name) == ["fsc", "fsc_directional", "fsc_directions"])
        #expect(off.numbers["sphericity"] == nil)
        #expect(off.presentation?.figures.map(\.name) == ["fsc"])
    }

    @Test("verdict: a caution below sphericity 0.9, none at or above or without a directional FSC; it names the range")
    func verdict() throws {
        var data = try DatasetSimulatorFixture.report(ratio: 1.5)
        data.sphericity = 0.89
        let findings = VerdictRules.directional(data, section: "FSC")
        #expect(findings.count == 1 && findings.first?.level == .caution)
        #expect(findings.first?.reason.contains(String(format: "%.2f Å to %.2f Å", data.spread.minimum, data.spread.maximum)) == true)
        data.sphericity = 0.95
        #expect(VerdictRules.directional(data, section: "FSC").isEmpty)
        #expect(VerdictRules.directional(nil, section: "FSC").isEmpty)
    }
}

/// A directional report measured on simulated anisotropic half maps (48³, 0.143 at 4 Å in the
/// xy plane, `ratio` × 4 Å along z).
enum DatasetSimulatorFixture {
    static func report(ratio: Double) throws -> DirectionalFSCReport {
        var p = SimulationParameters()
        p.size = 48
        p.voxelSize = 1.2
        p.fsc = FSCDesign(shape: .logistic, resolution: 4)
        p.anisotropy = AnisotropyDesign(ratio: ratio)
        p.exactFSC = false
        let d = try DatasetSimulator.make(p)
        return try Postprocess.directionalFSC(half1: d.half1, half2: d.half2, mask: nil)
    }
}
