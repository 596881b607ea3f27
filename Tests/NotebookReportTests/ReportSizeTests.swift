import Foundation
import Testing
import MapModel
import Notebook
import NotebookTestSupport
import Simulation
@testable import NotebookReport

@Suite("Report size")
struct ReportSizeTests {
    /// The regular files under `folder` with their bytes, leaving out `cache/` (the run's store,
    /// which `--cache` can put anywhere) and not following symbolic links.
    static func files(_ folder: String) throws -> [(name: String, bytes: Int)] {
        let fm = FileManager.default
        var out: [(String, Int)] = []
        for case let name as String in fm.enumerator(atPath: folder)! where !name.hasPrefix("cache/") && name != "cache" {
            let a = try fm.attributesOfItem(atPath: folder + "/" + name)
            if a[.type] as? FileAttributeType == .typeRegular { out.append((name, (a[.size] as? Int) ?? 0)) }
        }
        return out
    }

    @Test("the demo plan on the demo's example made 100³: with maps linked or omitted the report stays under 10 MB; copied, the maps make the rest")
    func hundredCubed() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        // The demo's own example (`mapbook simulate --local-pattern radial --seed 1`) at 100³,
        // with its mask, model and sequence: every cell of the demo plan runs.
        let p = try SimulationParameters(parameterTexts: ["local_pattern": "radial", "seed": "1", "size": "100"])
        let example = try DatasetSimulator.make(p, model: nil, modelSource: nil, grid: nil)
        try MRCFile.write(example.half1, to: data.file("half1.mrc"))
        try MRCFile.write(example.half2, to: data.file("half2.mrc"))
        try MRCFile.write(example.mask, to: data.file("mask.mrc"))
        try MRCFile.write(example.truth, to: data.file("truth.mrc"))
        try MRCFile.write(example.localResolution, to: data.file("localres.mrc"))
        try AtomicModelFile.writePDB(example.model, to: data.file("model.pdb"))
        try Data(example.model.sequenceFASTA().utf8).write(to: URL(fileURLWithPath: data.file("sequence.fasta")))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        var demo = try String(contentsOfFile: root + "/fixtures/demo/plan.yaml", encoding: .utf8)
            .replacingOccurrences(of: "../example/", with: data.folder.path + "/")
        // Deposition copies four maps whatever the mode: the bound is for the report itself.
        if let cut = demo.range(of: "\ndeposition:") { demo = String(demo[..<cut.lowerBound]) + "\n" }
        var sizes: [MapInclusion: Int] = [:]
        var run: NotebookRun?
        for mode in MapInclusion.allCases {
            let plan = try data.writePlan(demo + "report: {maps: \(mode.rawValue)}\n", name: "plan-\(mode.rawValue).yaml")
            run = try data.run(plan, cache: data.file("cache"))
            let out = data.file("out-\(mode.rawValue)")
            try ReportWriter.write(run!, to: out)
            let files = try Self.files(out)
            sizes[mode] = files.reduce(0) { $0 + $1.bytes }
            if mode == .omit {
                print("largest files: " + files.sorted { $0.bytes > $1.bytes }.prefix(8).map { "\($0.name) \($0.bytes)" }.joined(separator: ", "))
            }
        }
        print("100³ demo report without cache: copy \(sizes[.copy]!) B, link \(sizes[.link]!) B, omit \(sizes[.omit]!) B")
        #expect(sizes[.link]! < 10_000_000)
        #expect(sizes[.omit]! < 10_000_000)
        // Linked maps cost only their links.
        #expect(abs(sizes[.link]! - sizes[.omit]!) < 10_000)
        let mapBytes = run!.cells.flatMap { $0.mapFiles.values }.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        // Copied, the maps are the difference (the session's paths differ by a few bytes).
        #expect(abs(sizes[.copy]! - sizes[.omit]! - mapBytes) < 10_000)
    }
}
