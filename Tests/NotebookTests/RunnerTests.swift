import Foundation
import Testing
import MapbookCore
import NotebookTestSupport
@testable import Notebook
@testable import NotebookCells

/// The runner: caching by content, parameters and engine; failure isolation; provenance.
@Suite("Notebook runner", .serialized)
struct RunnerTests {
    @Test("a second run executes no cell; changing one parameter re-runs exactly that cell and those downstream")
    func caching() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let plan = try data.writePlan(NotebookTestData.fullPlan())
        let first = try data.run(plan)
        #expect(first.executedCells == ["fsc", "postprocess", "slices", "summary"])
        #expect(first.unsuccessfulCells.isEmpty, "\(first.unsuccessfulCells.map { $0.message ?? "" })")

        let second = try data.run(plan)
        #expect(second.executedCells.isEmpty)
        #expect(second.cells.allSatisfy { $0.status == .cached })
        // Cached cells present the same numbers.
        #expect(second.cells.map(\.numbers) == first.cells.map(\.numbers))

        // A montage-only change: only the montage.
        try data.writePlan(NotebookTestData.fullPlan(montagePercentiles: "[2, 98]"))
        #expect(try data.run(plan).executedCells == ["slices"])

        // A post-processing change: it and the cells reading its outputs, not the FSC cell.
        try data.writePlan(NotebookTestData.fullPlan(montagePercentiles: "[2, 98]", postprocessExtra: "bfactor: -50"))
        let third = try data.run(plan)
        #expect(third.executedCells == ["postprocess", "slices", "summary"])
        #expect(third.cells.first { $0.id == "postprocess" }?.numbers["bfactor"]?.value == -50)

        // --force runs everything.
        #expect(try data.run(plan, force: true).executedCells.count == 4)
    }

    @Test("changing an input file's contents re-runs every cell that reads it")
    func inputContents() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let plan = try data.writePlan("""
        dataset: {half_maps: [half1.mrc, half2.mrc]}
        cells:
          - {kind: montage, id: one, maps: [dataset.half_map_1]}
          - {kind: montage, id: two, maps: [dataset.half_map_2]}
        """)
        #expect(try data.run(plan).executedCells == ["one", "two"])
        // Same bytes in a new file (new modification time): still cached.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: data.file("half2.mrc")))
        try FileManager.default.removeItem(atPath: data.file("half2.mrc"))
        try bytes.write(to: URL(fileURLWithPath: data.file("half2.mrc")))
        #expect(try data.run(plan).executedCells.isEmpty)
        // Different bytes: the cell reading it runs again.
        var changed = bytes
        changed[changed.count - 1] ^= 0x01
        try changed.write(to: URL(fileURLWithPath: data.file("half2.mrc")))
        #expect(try data.run(plan).executedCells == ["two"])
    }

    @Test("a failing cell is recorded with its message, its dependants are skipped, the others run")
    func failureIsolation() throws {
        let data = try NotebookTestData(mismatchedMask: true)
        defer { data.cleanup() }
        let plan = try data.writePlan("""
        dataset:
          half_maps: [half1.mrc, half2.mrc]
          mask: mask.mrc
        cells:
          - markdown: "Final {{ postprocess.resolution }}, unmasked {{ fsc.resolution }}."
          - {kind: fsc, mask: none}
          - {kind: postprocess}
          - {kind: montage, maps: [postprocess.sharpened]}
          - {kind: compare, numbers: [fsc.resolution], maps: [dataset.half_map_1]}
        """)
        let run = try data.run(plan)
        let status = Dictionary(uniqueKeysWithValues: run.cells.map { ($0.id, $0.status) })
        #expect(status == ["fsc": .executed, "postprocess": .failed, "montage": .skipped, "compare": .executed])
        let failed = try #require(run.cells.first { $0.id == "postprocess" })
        #expect(failed.message?.contains("mask.mrc") == true && failed.message?.contains("grid") == true, "\(failed.message ?? "")")
        #expect(failed.presentation == nil)
        #expect(run.cells.first { $0.id == "montage" }?.message?.contains("cell 'postprocess' failed") == true)
        guard case .markdown(let text) = run.entries[0] else { Issue.record("no markdown"); return }
        #expect(text.hasPrefix("Final n/a (cell 'postprocess' failed), unmasked "))
        #expect(text.contains(" Å."))
        #expect(run.unsuccessfulCells.map(\.id) == ["postprocess", "montage"])
        // A failed cell is not cached: the next run tries it again.
        #expect(try data.run(plan).executedCells == [])
        #expect(try data.run(plan).cells.first { $0.id == "postprocess" }?.status == .failed)
    }

    @Test("provenance records versions, input hashes, the command line and per-cell cost; the resolved plan has every default")
    func provenance() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let plan = try data.writePlan("dataset: {half_maps: [half1.mrc, half2.mrc]}\ncells:\n  - {kind: fsc}\n")
        let run = try data.run(plan)
        let p = run.provenance
        #expect(p.mapbookVersion == "test" && p.engineRevision == NotebookRunner.engineRevision)
        #expect(p.inputs.map(\.field) == ["half_map_1", "half_map_2"])
        #expect(p.inputs[0].sha256 == (try SHA256.hex(fileAt: data.file("half1.mrc"))))
        #expect(p.planSHA256 == SHA256.hex(try String(contentsOfFile: plan, encoding: .utf8)))
        #expect(p.cells.count == 1 && p.cells[0].wallSeconds > 0 && p.cells[0].key?.count == 64)
        #expect(!p.commandLine.isEmpty)
        #expect(run.events.first?.event == "run_start" && run.events.last?.event == "run_end")
        let resolved = String(decoding: try ResolvedPlan.json(run.plan), as: UTF8.self)
        #expect(resolved.contains("\"randomize_at_fsc\" : 0.8") && resolved.contains("\"mask\" : \"none\"") && resolved.contains("\"half_bit\""))
        #expect(resolved.contains(data.file("half1.mrc")))
    }
}
