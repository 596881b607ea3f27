import Foundation
import MapModel
import Testing
import TestSupport

@Suite("FFT planning time and cell memory on the command line")
struct PlanningTimeCLITests {
    struct Floor: Decodable {
        struct Timing: Decodable { var shape: String; var r2cSeconds: Double; var c2rSeconds: Double }
        struct Planning: Decodable { var seconds: Double; var plans: [String: Int] }
        var transforms: [Timing]
        var planning: Planning
    }

    static func floor(_ shapes: [String], wisdom: String, budget: String? = nil) throws -> Floor {
        var env = ["MAPBOOK_FFTW_WISDOM": wisdom]
        if let budget { env["MAPBOOK_FFTW_PLAN_SECONDS"] = budget }
        let r = try CLI.run(["fft-floor"] + shapes + ["--threads", "2", "--repeats", "1"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        return try JSONDecoder().decode(Floor.self, from: Data(r.stdout.utf8))
    }

    @Test("first run on new box sizes with an empty wisdom file: planning stays within about 1 s, and wisdom is saved")
    func firstRunBounded() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let wisdom = tmp.file("wisdom")
        FileManager.default.createFile(atPath: wisdom, contents: Data())
        let shapes = ["72", "100", "120", "150", "180"]
        let first = try Self.floor(shapes, wisdom: wisdom)
        #expect(first.transforms.count == shapes.count)
        // Two 3-D plans per shape, and for shapes too large to measure in the time left the
        // six batch plans that replace them (see the next test).
        let made = first.planning.plans.values.reduce(0, +)
        #expect(made >= 2 * shapes.count && (made - 2 * shapes.count) % 6 == 0, "\(first.planning.plans)")
        // The limit is 1 s; FFTW checks it between candidates, and the last check may run one
        // transform of the largest box over it.
        #expect(first.planning.seconds > 0 && first.planning.seconds < 1.5, "planning took \(first.planning.seconds) s")
        for t in first.transforms { #expect(t.r2cSeconds > 0 && t.c2rSeconds > 0, "\(t.shape)") }
        let saved = try Data(contentsOf: URL(fileURLWithPath: wisdom))
        #expect(!saved.isEmpty, "the measured plans were not saved")

        // With no planning time allowed every plan is estimated, at once.
        let none = try Self.floor(["88"], wisdom: "none", budget: "0")
        #expect(none.planning.plans.keys.sorted() == ["estimated"], "\(none.planning.plans)")
        #expect(none.planning.seconds < 0.5)
    }

    @Test("mapbook run prints each cell's estimated peak before it runs and records estimate, measured peak and planning time in provenance.json")
    func runPrintsEstimates() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let made = try CLI.run(["synthetic-pair", "--size", "24", "--voxel", "2", "--resolution", "8", "-o", tmp.file("maps"), "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        let plan = tmp.file("plan.yaml")
        #expect(try CLI.run(["init", tmp.file("maps/half1.mrc"), tmp.file("maps/half2.mrc"), "-o", plan]).status == 0)
        let env = ["MAPBOOK_FFTW_WISDOM": tmp.file("wisdom")]
        let run = try CLI.run(["run", plan, "-o", tmp.file("report"), "--formats", "html", "--threads", "2"], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        let provenance = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("report/provenance.json")))) as! [String: Any]
        let cells = provenance["cells"] as! [[String: Any]]
        #expect(!cells.isEmpty)
        for cell in cells {
            let id = cell["id"] as! String
            let line = try #require(run.stderr.range(of: "cell '\(id)': estimated peak "), "no estimate printed for \(id)")
            let running = try #require(run.stderr.range(of: "\(id) (\(cell["kind"] as! String)): running"))
            #expect(line.lowerBound < running.lowerBound, "\(id): estimate printed after the cell started")
            let estimate = try #require(cell["estimatedPeakMemoryBytes"] as? Int)
            let measured = try #require(cell["peakMemoryBytes"] as? Int)
            #expect(measured > 0 && measured <= estimate, "\(id): measured \(measured) B above the estimate \(estimate) B")
            #expect(cell["fftPlanningSeconds"] as? Double != nil)
        }
        let planning = try #require(provenance["fftPlanning"] as? [String: Any])
        let seconds = try #require(planning["seconds"] as? Double)
        #expect(seconds >= 0 && seconds < 1.5)

        // Too little memory: one line, exit 1, no report folder.
        let refused = try CLI.run(["run", plan, "-o", tmp.file("refused"), "--max-memory", "0.01"], environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("mapbook: error: ") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("needs about"))
        #expect(!FileManager.default.fileExists(atPath: tmp.file("refused")))
    }
    @Test("a box too large to measure within the planning time runs as measured batches of 1-D transforms, kept in the wisdom file")
    func largeBoxRunsAsLinePasses() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let wisdom = tmp.file("wisdom")
        // 1.4 s cannot measure a 256³ plan properly (50 transforms' worth, 1.5 s by
        // FFTPlanCache.likelySeconds), but can measure the six batch plans that replace it,
        // about 0.07 s each; on a loaded machine a later run measures the ones left over.
        let first = try Self.floor(["256"], wisdom: wisdom, budget: "1.4")
        #expect(first.planning.plans["estimated", default: 0] >= 2, "\(first.planning.plans)")
        #expect(first.planning.plans["measured", default: 0] >= 1, "\(first.planning.plans)")
        #expect(first.planning.seconds < 2.0, "planning took \(first.planning.seconds) s")
        var again = try Self.floor(["256"], wisdom: wisdom, budget: "1.4")
        for _ in 0..<2 where again.planning.plans["measured"] != nil {
            again = try Self.floor(["256"], wisdom: wisdom, budget: "1.4")
        }
        // The 3-D plans stay estimated (never run); the batches come from the wisdom file.
        #expect(again.planning.plans == ["estimated": 2, "wisdom": 6], "\(again.planning.plans)")
        #expect(again.planning.seconds < 0.2, "planning took \(again.planning.seconds) s")
        for t in first.transforms + again.transforms { #expect(t.r2cSeconds > 0 && t.c2rSeconds > 0) }
    }

    @Test("MonoRes's band-limited envelope transforms run only with measured plans, and give the same local resolution as full ones")
    func bandLimitedOnlyWhenMeasured() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let made = try CLI.run(["synthetic-pair", "--size", "48", "--voxel", "1.5", "--resolution", "5", "-o", tmp.file("maps"), "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        struct Counts: Decodable { var transforms: [String: Double] }
        func localResolution(_ name: String, _ env: [String: String]) throws -> (counts: [String: Double], map: [Float]) {
            var env = env
            env["MAPBOOK_FFT_COUNTS"] = tmp.file("\(name).json")
            // Noise from outside the mask too, so the work stays on the full 48³ box.
            let r = try CLI.run(["local-resolution", tmp.file("maps/half1.mrc"), tmp.file("maps/half2.mrc"), "--noise-outside-mask",
                                 "-o", tmp.file(name), "--threads", "2", "--quiet"], environment: env)
            #expect(r.status == 0, "\(r.stderr)")
            let counts = try JSONDecoder().decode(Counts.self, from: Data(contentsOf: URL(fileURLWithPath: tmp.file("\(name).json"))))
            return (counts.transforms, Array(try MRCFile.read(path: tmp.file("\(name)/localres.mrc")).volume.voxels))
        }
        // No planning time: every plan is estimated, so every transform is a full one.
        let estimated = try localResolution("estimated", ["MAPBOOK_FFTW_WISDOM": "none", "MAPBOOK_FFTW_PLAN_SECONDS": "0"])
        #expect(!estimated.counts.isEmpty)
        for (shape, count) in estimated.counts { #expect(count == count.rounded(), "\(shape): \(count)") }
        // Time to measure: the envelope's transforms are band-limited, counted as fractions.
        let measured = try localResolution("measured", ["MAPBOOK_FFTW_WISDOM": tmp.file("wisdom"), "MAPBOOK_FFTW_PLAN_SECONDS": "30"])
        #expect(measured.counts.values.contains { $0 != $0.rounded() }, "\(measured.counts)")
        let full = estimated.counts.values.reduce(0, +), pruned = measured.counts.values.reduce(0, +)
        #expect(pruned < full - 1, "\(pruned) full-transform equivalents against \(full)")
        // Estimated and measured plans round differently in the last bit, which can move a
        // voxel at a threshold by one step of the sweep; nothing more.
        let a = measured.map, b = estimated.map
        #expect(a.count == 48 * 48 * 48 && b.count == a.count)
        let moved = zip(a, b).filter { abs($0 - $1) > 0.01 }.count
        let far = zip(a, b).filter { abs($0 - $1) > 0.51 }.count
        #expect(Double(moved) < 0.02 * Double(a.count), "\(moved) voxels differ")
        #expect(far == 0, "\(far) voxels differ by more than one step")
    }
}
