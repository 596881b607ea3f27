import Foundation
import Testing
import MapbookCore
@testable import Notebook
import NotebookCells
import TestSupport
import NotebookTestSupport

@Suite("Cell memory estimates")
struct CellMemoryEstimateTests {
    /// The demo plan, which uses every kind.
    static func demoPlan() throws -> Plan {
        let path = SharedData.packageRoot.appendingPathComponent("fixtures/demo/plan.yaml").path
        return try PlanParser.parse(try String(contentsOfFile: path, encoding: .utf8), path: path)
    }

    @Test("every kind that analyses a dataset has a positive, finite estimate of its peak maps; the benchmark kind holds none")
    func everyKindHasAnEstimate() throws {
        let plan = try Self.demoPlan()
        let estimated = Dictionary(plan.analysisCells.map { ($0.kind, $0.cell.peakMapCopies) }, uniquingKeysWith: max)
        #expect(BenchmarkCell().peakMapCopies == 0)
        for kind in CellKinds.datasetKinds {
            let copies = try #require(estimated[kind.kind], "kind \(kind.kind) is not in the demo plan, so its estimate is not checked")
            #expect(copies.isFinite && copies >= 1, "kind \(kind.kind): \(copies) map copies")
        }
    }

    @Test("a run records each executed cell's estimate, its measured peak and its FFT planning time, and the run's planning time")
    func runRecordsEstimates() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let plan = try data.writePlan(NotebookTestData.fullPlan())
        let run = try data.run(plan)
        let cells = run.provenance.cells
        #expect(cells.count == 4)
        for c in cells {
            #expect(c.status == .executed)
            let estimate = try #require(c.estimatedPeakMemoryBytes, "\(c.id): no estimate")
            // The fixed allowance alone is 96 MiB; the maps of a 32³ box add a few MB.
            #expect(estimate >= Int(MemoryEstimate.fixedBytes) && estimate < Int(MemoryEstimate.fixedBytes) + 10_000_000, "\(c.id): \(estimate)")
            #expect(c.fftPlanningSeconds != nil && c.fftPlanningSeconds! >= 0)
            #if os(Linux)
            #expect(c.peakMemoryBytes != nil, "\(c.id): no measured peak")
            #endif
        }
        let planning = try #require(run.provenance.fftPlanning)
        #expect(planning.seconds >= 0 && planning.seconds.isFinite)
        #expect(planning.seconds >= cells.compactMap(\.fftPlanningSeconds).reduce(0, +) - 1e-9)
    }

    @Test("a cell whose estimate exceeds the memory available is refused before the run")
    func refusal() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let plan = try PlanParser.load(path: try data.writePlan(NotebookTestData.fullPlan()))
        let runner = NotebookRunner(plan: plan, options: RunOptions(cacheDirectory: data.file("out/cache"), mapbookVersion: "test"))
        let error = try #require(throws: MapbookError.self) { try runner.requireMemoryFits(available: 50 << 20) }   // below the fixed allowance
        #expect(error.description.contains("needs about") && !error.description.contains("\n"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: data.file("out")))
        try runner.requireMemoryFits(available: 64 << 30)
    }

    @Test("the maps held for other cells: those read or made earlier and read later, not the cell's own inputs")
    func heldMaps() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let path = try data.writePlan("""
        title: held maps
        dataset:
          name: testset
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - kind: postprocess
            id: pp
            mask: none
          - kind: montage
            id: slices
            maps: [pp.sharpened]
          - kind: fsc
            id: fsc
            mask: none
          - kind: compare
            id: summary
            maps: [pp.sharpened, dataset.half_map_1]
        """)
        let runner = NotebookRunner(plan: try PlanParser.load(path: path), options: RunOptions(cacheDirectory: data.file("cache"), mapbookVersion: "test"))
        // pp reads the pair first; the montage reads pp.sharpened while the pair waits for fsc;
        // fsc reads the pair while pp.sharpened waits for the comparison; nothing waits after.
        #expect(runner.plan.heldMapCopies(at: 0) == 0)
        #expect(runner.plan.heldMapCopies(at: 1) == 2)
        #expect(runner.plan.heldMapCopies(at: 2) == 1)
        #expect(runner.plan.heldMapCopies(at: 3) == 0)
    }
}
