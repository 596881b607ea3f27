import Foundation
import Testing
import TestSupport
import MapModel

@Suite("mapbook model-fit", .enabled(if: SharedData.has("emd_3488/emd_3488.mrc") && SharedData.has("emd_3488/5me2.pdb"),
                                     "the shared EMD-3488 data is absent (set MAPBOOK_DATA)"))
struct ModelFitCLITests {
    static var map: String { SharedData.path("emd_3488/emd_3488.mrc")! }
    static var model: String { SharedData.path("emd_3488/5me2.pdb")! }

    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    @Test("EMD-3488 with 5ME2: the map–model FSC is `mapbook fsc --model`'s, every number is written, one row per residue")
    func emd3488() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let fit = try CLI.run(["model-fit", Self.map, Self.model, "--resolution", "3.2", "-o", tmp.file("fit"), "--quiet"])
        #expect(fit.status == 0, "\(fit.stderr)")
        print(fit.stdout)
        let fsc = try CLI.run(["fsc", Self.map, "--model", Self.model, "--json", tmp.file("fsc.json"), "--quiet"])
        #expect(fsc.status == 0, "\(fsc.stderr)")
        let result = try #require(try Self.json(tmp.file("fit/model_fit.json"))["result"] as? [String: Any])
        let fromFit = ((result["fsc"] as? [String: Any])?["fsc"] as? [String: Any])?["fsc"] as? [Any]
        let fromFSC = (((try Self.json(tmp.file("fsc.json")))["comparison"] as? [String: Any])?["fsc"] as? [String: Any])?["fsc"] as? [Any]
        #expect(fromFit != nil && fromFit!.count == fromFSC?.count && zip(fromFit!, fromFSC!).allSatisfy { "\($0)" == "\($1)" })
        let q = try #require(result["meanQ"] as? Double)
        let cc = try #require((result["correlations"] as? [String: Any])?["mask"] as? Double)
        #expect(q > 0.4 && q < 0.8 && cc > 0.6 && cc < 0.9, "Q \(q), CC_mask \(cc)")
        let residues = try String(contentsOfFile: tmp.file("fit/model_fit_residues.tsv"), encoding: .utf8).split(separator: "\n")
        #expect(residues.count == 1 + (result["residues"] as? [Any] ?? []).count && residues.count > 500)
    }

    @Test("refused in one line with no output: no resolution and no half maps, a model outside the box, a bad value")
    func refusals() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let noResolution = try CLI.run(["model-fit", Self.map, Self.model, "-o", tmp.file("a"), "--quiet"])
        #expect(noResolution.status != 0 && noResolution.stderr == "mapbook: error: --resolution is needed when no half maps are given\n", "\(noResolution.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("a")))
        // The model moved 500 Å away.
        let text = try String(contentsOfFile: Self.model, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("ATOM") || line.hasPrefix("HETATM"), line.count >= 54 else { return String(line) }
            let chars = Array(line)
            let x = Double(String(chars[30..<38]).trimmingCharacters(in: .whitespaces))! + 500
            return String(chars[0..<30]) + String(format: "%8.3f", x) + String(chars[38...])
        }.joined(separator: "\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: tmp.file("far.pdb")))
        let far = try CLI.run(["model-fit", Self.map, tmp.file("far.pdb"), "--resolution", "3.2", "-o", tmp.file("b"), "--quiet"])
        #expect(far.status != 0 && far.stderr.hasPrefix("mapbook: error: \(Self.map): 100 % of the model's atoms lie outside the map's box")
                && far.stderr.split(separator: "\n").count == 1, "\(far.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("b")))
        let bad = try CLI.run(["model-fit", Self.map, Self.model, "--resolution", "3.2", "--q-sigma", "5", "-o", tmp.file("c"), "--quiet"])
        #expect(bad.status != 0 && bad.stderr == "mapbook: error: --q-sigma 5 must lie between 0.2 and 2\n", "\(bad.stderr)")
    }
}
