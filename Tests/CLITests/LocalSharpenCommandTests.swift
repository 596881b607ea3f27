import Foundation
import Testing
import TestSupport
import MapModel

@Suite("mapbook local-sharpen")
struct LocalSharpenCLITests {
    static let half1 = SharedData.fixture("phantom/half1.mrc.gz"), half2 = SharedData.fixture("phantom/half2.mrc.gz")
    static let localres = SharedData.fixture("phantom/localres.mrc.gz")

    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    @Test("imported RESMAP, one round: sharpenedMap_last.mrc on the input grid, round and summary JSON, the imported warning")
    func importedOneRound() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let r = try CLI.run(["local-sharpen", Self.half1, Self.localres, "-o", tmp.file("out"), "--threads", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let listing = try FileManager.default.contentsOfDirectory(atPath: tmp.file("out")).sorted()
        #expect(listing == ["local_sharpen.json", "round_1.json", "sharpenedMap_last.mrc"], "\(listing)")
        let out = try MRCFile.read(path: tmp.file("out/sharpenedMap_last.mrc")).volume
        let input = try MRCFile.read(path: Self.half1).volume
        #expect(out.grid == input.grid)
        let summary = try Self.json(tmp.file("out/local_sharpen.json"))
        #expect(summary["resolutionMapOrigin"] as? String == "imported")
        #expect((summary["warnings"] as! [String]).contains { $0.contains("imported") })
        #expect(r.stderr.contains("imported"))
        let round = try Self.json(tmp.file("out/round_1.json"))
        let deblur = round["deblur"] as! [String: Any]
        #expect((deblur["lambda"] as! Double) > 0 && (deblur["costs"] as! [Double]).count == deblur["innerIterations"] as! Int)
        #expect(r.stdout.contains("Round 1: λ ="))
    }

    @Test("--half-maps without RESMAP, two rounds: MonoRes first, every round's map and resolution map, not imported")
    func halfMapsTwoRounds() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let r = try CLI.run(["local-sharpen", Self.half1, "--half-maps", Self.half2, Self.half1, "--iterations", "2", "--max-inner", "20",
                             "--k", "0.03", "-o", tmp.file("out"), "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let listing = Set(try FileManager.default.contentsOfDirectory(atPath: tmp.file("out")))
        let summary = try Self.json(tmp.file("out/local_sharpen.json"))
        let rounds = (summary["rounds"] as! [[String: Any]]).count
        print("local-sharpen --half-maps --iterations 2: \(rounds) rounds, files \(listing.sorted())")
        #expect(summary["resolutionMapOrigin"] as? String == "computed")
        #expect(!(summary["warnings"] as! [String]).contains { $0.contains("imported") })
        #expect(listing.isSuperset(of: ["sharpenedMap_last.mrc", "sharpenedMap_1.mrc", "localres_1.mrc", "round_1.json", "local_sharpen.json"]))
        if rounds == 2 { #expect(listing.isSuperset(of: ["sharpenedMap_2.mrc", "localres_2.mrc", "round_2.json"])) }
        #expect((summary["parameters"] as! [String: Any])["rounds"] as? Int == 2)
    }

    @Test("bad input: a RESMAP on another grid, no RESMAP and no half maps, K ≤ 0: one line, nonzero exit, no output")
    func badInput() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let made = try CLI.run(["synthetic-pair", "--size", "24", "--voxel", "2", "--resolution", "8", "-o", tmp.file("pair"), "--quiet"])
        #expect(made.status == 0)
        let grid = try CLI.run(["local-sharpen", Self.half1, tmp.file("pair/truth.mrc"), "-o", tmp.file("o1"), "--quiet"])
        #expect(grid.status != 0 && grid.stderr.contains("truth.mrc") && grid.stderr.contains("grid"))
        #expect(grid.stderr.split(separator: "\n").count == 1, "\(grid.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("o1")))
        let none = try CLI.run(["local-sharpen", Self.half1, "-o", tmp.file("o2"), "--quiet"])
        #expect(none.status != 0 && none.stderr.contains("--half-maps"))
        let k = try CLI.run(["local-sharpen", Self.half1, Self.localres, "--k", "0", "-o", tmp.file("o3"), "--quiet"])
        #expect(k.status != 0 && k.stderr.contains("--k 0 must be positive") && k.stderr.split(separator: "\n").count == 1, "\(k.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("o3")))
    }
}
