import Foundation
import Testing
import TestSupport
import MapModel

@Suite("mapbook box, unbox and combine-focused")
struct BoxCommandTests {
    /// The simulated example (64³ of 1 Å, four helices A–D), made once per test in `tmp`.
    static func example(_ tmp: TemporaryDirectory) throws -> String {
        let folder = tmp.file("ex")
        let r = try CLI.run(["simulate", "--local-pattern", "radial", "--seed", "1", "-o", folder, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        return folder
    }

    /// The one stderr line of a refusal, after checking there is one line and no output.
    static func refusal(_ r: CLI.Result, output: String) -> String {
        #expect(r.status != 0 && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output), "\(output) was written")
        return r.stderr
    }

    @Test("box then unbox restores the map exactly; box.json holds both frames and the model shift")
    func roundTrip() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let ex = try Self.example(tmp)
        let box = try CLI.run(["box", ex + "/half1.mrc", "--model", ex + "/model.pdb", "--half-maps", ex + "/half1.mrc", ex + "/half2.mrc",
                               "--mask", ex + "/mask.mrc", "--selection", "A,B", "--frame", "origin", "--fft-friendly", "-o", tmp.file("b"), "--quiet"])
        #expect(box.status == 0, "\(box.stderr)")
        for name in ["box.mrc", "half1_box.mrc", "half2_box.mrc", "mask_box.mrc", "model_box.pdb", "box.json"] {
            #expect(FileManager.default.fileExists(atPath: tmp.file("b/\(name)")), "\(name)")
        }
        let boxed = try MRCFile.read(path: tmp.file("b/box.mrc")).volume
        #expect(boxed.grid.nstart == .zero && boxed.grid.origin == .zero)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("b/box.json")))) as! [String: Any]
        let result = json["result"] as! [String: Any]
        let shift = result["modelShift"] as! [Double], start = result["voxelShift"] as! [Int]
        #expect(shift == start.map { -Double($0) }, "a 1 Å grid at 0 shifts the model by minus the first voxel")
        let original = try AtomicModelFile.read(path: ex + "/model.pdb"), moved = try AtomicModelFile.read(path: tmp.file("b/model_box.pdb"))
        #expect(abs(moved.atoms[0].position.x - (original.atoms[0].position.x + shift[0])) < 2e-3)
        let back = try CLI.run(["unbox", tmp.file("b/box.mrc"), tmp.file("b/box.json"), "--into", ex + "/half1.mrc", "-o", tmp.file("back.mrc")])
        #expect(back.status == 0, "\(back.stderr)")
        let half1 = try MRCFile.read(path: ex + "/half1.mrc").volume
        let restored = try MRCFile.read(path: tmp.file("back.mrc")).volume
        #expect(restored.voxels == half1.voxels && restored.grid == half1.grid)
        // A box of another shape is refused in one line.
        let wrong = try CLI.run(["unbox", ex + "/half1.mrc", tmp.file("b/box.json"), "-o", tmp.file("wrong.mrc")])
        #expect(Self.refusal(wrong, output: tmp.file("wrong.mrc")).contains("the box recorded has"))
    }

    @Test("bad input, one line and no output: a model outside the map, mismatched half maps, a wrong voxel size, a bad frame")
    func refusals() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let ex = try Self.example(tmp)
        let model = try AtomicModelFile.read(path: ex + "/model.pdb")
        try AtomicModelFile.writePDB(model.translated(by: SIMD3(400, 0, 0)), to: tmp.file("far.pdb"))
        let far = try CLI.run(["box", ex + "/half1.mrc", "--model", tmp.file("far.pdb"), "-o", tmp.file("o1"), "--quiet"])
        #expect(Self.refusal(far, output: tmp.file("o1")).contains("\(ex)/half1.mrc: 100 % of the model's atoms lie outside the map's box"))
        var h2 = try MRCFile.read(path: ex + "/half2.mrc").volume
        h2.grid.voxelSize = SIMD3(repeating: 1.05)
        try MRCFile.write(h2, to: tmp.file("h2.mrc"))
        let halves = try CLI.run(["box", ex + "/half1.mrc", "--half-maps", ex + "/half1.mrc", tmp.file("h2.mrc"), "-o", tmp.file("o2"), "--quiet"])
        #expect(Self.refusal(halves, output: tmp.file("o2")).contains("h2.mrc: does not match"))
        var stretched = try MRCFile.read(path: ex + "/truth.mrc").volume
        stretched.grid.voxelSize = SIMD3(repeating: 0.9)
        try MRCFile.write(stretched, to: tmp.file("stretched.mrc"))
        let scale = try CLI.run(["box", tmp.file("stretched.mrc"), "--model", ex + "/model.pdb", "-o", tmp.file("o3"), "--quiet"])
        #expect(Self.refusal(scale, output: tmp.file("o3")).contains("the voxel size 0.900 Å disagrees with the model's scale"))
        let frame = try CLI.run(["box", ex + "/half1.mrc", "--frame", "middle", "-o", tmp.file("o4"), "--quiet"])
        #expect(Self.refusal(frame, output: tmp.file("o4")) == "mapbook: error: --frame middle must be original or origin\n")
    }

    @Test("sharpen refuses a map boxed with --unique and names the reason; --force sharpens it")
    func sharpenRefusesUnique() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let ex = try Self.example(tmp)
        let box = try CLI.run(["box", ex + "/truth.mrc", "--unique", "C2", "-o", tmp.file("u"), "--quiet"])
        #expect(box.status == 0, "\(box.stderr)")
        let refused = try CLI.run(["sharpen", tmp.file("u/box.mrc"), "--resolution", "4", "-o", tmp.file("s"), "--quiet"])
        let line = Self.refusal(refused, output: tmp.file("s"))
        #expect(line.contains("only the unique part of a symmetric map") && line.hasSuffix("give the full map, or --force\n"), "\(line)")
        let forced = try CLI.run(["sharpen", tmp.file("u/box.mrc"), "--resolution", "4", "--force", "-o", tmp.file("f"), "--quiet"])
        #expect(forced.status == 0, "\(forced.stderr)")
    }

    @Test("combine-focused: two boxes of the example's half maps make a composite, weights and a table; uncovered chains and a far model are refused")
    func combine() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let ex = try Self.example(tmp)
        for (name, half, chains, pad) in [("a", "half1", "A,B", "4"), ("b", "half2", "C,D", "7")] {
            let r = try CLI.run(["box", ex + "/\(half).mrc", "--model", ex + "/model.pdb", "--selection", chains, "--padding", pad, "-o", tmp.file(name), "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let c = try CLI.run(["combine-focused", tmp.file("a/box.mrc"), tmp.file("b/box.mrc"), "--model", ex + "/model.pdb", "-o", tmp.file("c"), "--quiet"])
        #expect(c.status == 0, "\(c.stderr)")
        print(c.stdout)
        for name in ["composite.mrc", "weights_1.mrc", "weights_2.mrc", "composite_table.tsv", "composite.json"] {
            #expect(FileManager.default.fileExists(atPath: tmp.file("c/\(name)")), "\(name)")
        }
        #expect(c.stdout.contains("chain A: won by \(tmp.file("a/box.mrc"))") && c.stdout.contains("chain D: won by \(tmp.file("b/box.mrc"))"))
        // A chain Z far from both boxes.
        var extra = try AtomicModelFile.read(path: ex + "/model.pdb")
        for var a in extra.atoms where a.chainID == "A" { a.chainID = "Z"; a.position.z += 200; extra.atoms.append(a) }
        try AtomicModelFile.writePDB(extra, to: tmp.file("extra.pdb"))
        let uncovered = try CLI.run(["combine-focused", tmp.file("a/box.mrc"), tmp.file("b/box.mrc"), "--model", tmp.file("extra.pdb"), "-o", tmp.file("e"), "--quiet"])
        #expect(Self.refusal(uncovered, output: tmp.file("e")).contains("chain Z of \(tmp.file("extra.pdb")) lies in no map's box"))
        let model = try AtomicModelFile.read(path: ex + "/model.pdb")
        try AtomicModelFile.writePDB(model.translated(by: SIMD3(0, 300, 0)), to: tmp.file("far.pdb"))
        let far = try CLI.run(["combine-focused", tmp.file("a/box.mrc"), tmp.file("b/box.mrc"), "--models", ex + "/model.pdb", tmp.file("far.pdb"), "-o", tmp.file("f"), "--quiet"])
        #expect(Self.refusal(far, output: tmp.file("f")).contains("\(tmp.file("b/box.mrc")): does not overlap its model"))
    }
}
