import Foundation
import Testing
import MapbookCore
import MapModel
import Notebook
import NotebookCells
import NotebookTestSupport
import TestSupport
@testable import NotebookReport

@Suite("Deposition bundle, ChimeraX session and map inclusion")
struct DepositionAndSessionTests {
    /// The test plan (fsc, postprocess, montage, compare) with `sections` appended.
    static func plan(_ sections: String, halfMaps: String = "[half1.mrc, half2.mrc]") -> String {
        NotebookTestData.fullPlan().replacingOccurrences(of: "[half1.mrc, half2.mrc]", with: halfMaps) + "\n" + sections + "\n"
    }
    static let deposition = "deposition: {map: postprocess.sharpened, fsc: postprocess, mask: postprocess.mask}"

    func checklist(_ out: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/deposition/checklist.json"))) as! [String: Any]
    }

    @Test("with maps copied, linked or omitted: the deposition holds its files and passes, every path the session opens exists")
    func modes() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        for mode in MapInclusion.allCases {
            let out = data.file("out-\(mode.rawValue)")
            let run = try data.run(try data.writePlan(Self.plan(Self.deposition + "\nreport: {maps: \(mode.rawValue)}")), cache: out + "/cache")
            try ReportWriter.write(run, to: out)
            let list = try checklist(out)
            let items = list["items"] as! [[String: Any]]
            #expect(list["passed"] as? Bool == true, "\(mode): \(items)")
            #expect(items.map { $0["item"] as! String } == ["Half map 1 unmasked", "Half map 2 unmasked", "Same grid and voxel size", "FSC XML well formed", "FSC curve equals the report's"])
            for name in ["half_map_1_half1.mrc", "half_map_2_half2.mrc", "primary_map_sharpened.mrc", "mask_mask.mrc", "fsc.xml", "checklist.md"] {
                let path = out + "/deposition/" + name
                #expect(FileManager.default.fileExists(atPath: path), "\(mode): \(name) missing")
                // Copies in every mode: regular files, not links.
                #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == nil)
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/deposition/half_map_1_half1.mrc")) == Data(contentsOf: URL(fileURLWithPath: data.file("half1.mrc"))))
            // The top-level fsc.xml is the deposited one.
            #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/fsc.xml")) == Data(contentsOf: URL(fileURLWithPath: out + "/deposition/fsc.xml")))
            let session = out + "/chimerax/session.cxc"
            let missing = try ChimeraXPaths.missing(script: session)
            #expect(missing.isEmpty, "\(mode): \(missing)")
            let text = try String(contentsOfFile: session, encoding: .utf8)
            #expect(text.contains("volume #") && text.contains(" level "))
            let maps = (try? FileManager.default.contentsOfDirectory(atPath: out + "/maps")) ?? []
            switch mode {
            case .copy:
                #expect(maps.contains("postprocess_sharpened.mrc"))
                #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: out + "/maps/postprocess_sharpened.mrc")) == nil)
            case .link:
                let target = try FileManager.default.destinationOfSymbolicLink(atPath: out + "/maps/postprocess_sharpened.mrc")
                #expect(target.hasPrefix("../cache/"), "\(target)")
            case .omit:
                #expect(maps.isEmpty)
                #expect(text.contains("../cache/"))
            }
        }
    }

    @Test("a linked report moved with its cache still opens every map")
    func linkSurvivesMove() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let out = data.file("a/out")
        let run = try data.run(try data.writePlan(Self.plan("report: {maps: link}")), cache: out + "/cache")
        try ReportWriter.write(run, to: out)
        try FileManager.default.createDirectory(atPath: data.file("b"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: out, toPath: data.file("b/moved"))
        for name in try FileManager.default.contentsOfDirectory(atPath: data.file("b/moved/maps")) {
            #expect(try MRCFile.checkedGrid(path: data.file("b/moved/maps/" + name)).size.x == data.size, "\(name) does not resolve")
        }
        #expect(try ChimeraXPaths.missing(script: data.file("b/moved/chimerax/session.cxc")).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: data.file("b/moved/deposition")), "no deposition section, no deposition folder")
    }

    @Test("the top-level fsc.xml does not depend on the order of the cells")
    func orderIndependent() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        let fsc = "  - kind: fsc\n    id: fsc\n"
        let post = "  - kind: postprocess\n    id: postprocess\n    mask: auto\n    mask_lowpass: 12\n"
        var chosen: [Data] = []
        for (i, cells) in [fsc + post, post + fsc].enumerated() {
            let out = data.file("order\(i)")
            let run = try data.run(try data.writePlan("dataset: {half_maps: [half1.mrc, half2.mrc]}\ncells:\n" + cells), cache: data.file("cache"))
            try ReportWriter.write(run, to: out)
            let top = try Data(contentsOf: URL(fileURLWithPath: out + "/fsc.xml"))
            // It is the file of the cell with the better resolution.
            let best = run.cells.min { ($0.numbers["resolution"]?.value ?? .infinity) < ($1.numbers["resolution"]?.value ?? .infinity) }!
            #expect(top == (try Data(contentsOf: URL(fileURLWithPath: out + "/data/\(best.id)_fsc.xml"))))
            chosen.append(top)
        }
        #expect(chosen[0] == chosen[1])
    }

    @Test("masked half maps fail the checklist's unmasked check, with the measurement")
    func maskedHalves() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        for name in ["half1", "half2"] {
            var v = try MRCFile.read(path: data.file("\(name).mrc")).volume
            let n = v.grid.size.x, c = Double(n - 1) / 2
            for z in 0..<n { for y in 0..<n { for x in 0..<n {
                let d = SIMD3(Double(x) - c, Double(y) - c, Double(z) - c)
                if (d * d).sum() > Double(n * n) / 9 { v.voxels[v.grid.index(x, y, z)] = 0 }
            } } }
            try MRCFile.write(v, to: data.file("\(name)_masked.mrc"))
        }
        let out = data.file("out")
        let run = try data.run(try data.writePlan(Self.plan(Self.deposition, halfMaps: "[half1_masked.mrc, half2_masked.mrc]")), cache: out + "/cache")
        try ReportWriter.write(run, to: out)
        let items = try checklist(out)["items"] as! [[String: Any]]
        let half = items.first { $0["item"] as? String == "Half map 1 unmasked" }!
        #expect(half["status"] as? String == "fail")
        #expect((half["detail"] as? String)?.hasPrefix("looks masked") == true)
        #expect(try String(contentsOfFile: out + "/deposition/checklist.md", encoding: .utf8).contains("| Half map 1 unmasked | fail |"))
    }
}
