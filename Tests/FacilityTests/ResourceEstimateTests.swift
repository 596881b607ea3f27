import Foundation
import Testing
@testable import Facility
import LocalResolution
import Postprocessing

@Suite("Resource estimates from the kinds' batch costs")
struct ResourceEstimateTests {
    @Test("memory: what mapbook run checks before the plan's largest cell, with half again on top")
    func memory() throws {
        let f = try FacilityFixture()
        defer { f.cleanup() }
        let manifest = try BatchManifest.load(path: f.file("manifest.txt"))
        func estimate(_ i: Int) throws -> (ResourceEstimate, Double) {
            let plan = try manifest.entries[i].loadPlan()
            return (try ResourceEstimate.estimate(plan: plan, files: manifest.entries[i].datasetFiles(plan), cpus: 1), plan.peakMapCopies)
        }
        let (template, templateCopies) = try estimate(0), (own, ownCopies) = try estimate(2)
        // 32³ float32 voxels are 0.125 MiB; the run's fixed allowance is 96 MiB.
        func expected(_ copies: Double) -> Int { Int((1.5 * (copies * 0.125 + 96)).rounded(.up)) }
        #expect(template.box == [32, 32, 32] && template.minutes == 5)
        #expect(template.memoryMiB == expected(templateCopies), "\(template.memoryMiB) MiB for \(templateCopies) maps")
        #expect(own.memoryMiB == expected(ownCopies))
        // The template's largest cell is post-processing, the own plan's MonoRes: each plan's
        // peak is its largest cell's own count (neither holds maps for a later cell).
        #expect(templateCopies == Postprocess.peakMapCopies && ownCopies == MonoRes.peakMapCopies)
    }
}
