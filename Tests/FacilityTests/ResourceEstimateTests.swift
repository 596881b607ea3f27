import Foundation
import Testing
@testable import Facility

@Suite("Resource estimates from the kinds' batch costs")
struct ResourceEstimateTests {
    @Test("a local-resolution cell reserves 40 more box copies; other kinds do not")
    func memory() throws {
        let f = try FacilityFixture()
        defer { f.cleanup() }
        let manifest = try BatchManifest.load(path: f.file("manifest.txt"))
        func estimate(_ i: Int) throws -> ResourceEstimate {
            let plan = try manifest.entries[i].loadPlan()
            return try ResourceEstimate.estimate(plan: plan, files: manifest.entries[i].datasetFiles(plan), cpus: 1)
        }
        // 32³ voxels of float32: 40 copies are 5 MiB, 80 are 10 MiB, on top of 256 MiB.
        let template = try estimate(0), own = try estimate(2)
        #expect(template.box == [32, 32, 32] && template.memoryMiB == 261 && template.minutes == 5)
        #expect(own.memoryMiB == 266)
    }
}
