import Foundation
import Testing
import TestSupport
import MapModel

@Suite("mapbook sharpen")
struct SharpenCommandTests {
    @Test("writes the map, the trial table, the choice and the JSON; a sharpened map is not sharpened twice")
    func endToEnd() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let env = ["MAPBOOK_FFTW_WISDOM": "none"]
        let made = try CLI.run(["synthetic-pair", "--size", "48", "--voxel", "1.2", "--resolution", "4", "-o", tmp.file("pair"), "--quiet"], environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        let map = tmp.file("pair/half1.mrc")
        let run = try CLI.run(["sharpen", map, "--resolution", "4", "--molecular-mass", "20000", "--search-steps", "9",
                               "-o", tmp.file("out"), "--threads", "2", "--quiet"], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["sharpened.mrc", "sharpen_trials.tsv", "sharpen_choice.tsv", "sharpen.json"] {
            #expect(FileManager.default.fileExists(atPath: tmp.file("out/" + name)), "\(name) missing")
        }
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: tmp.file("out"))).contains { $0.hasPrefix(".") })
        let sharpened = try MRCFile.read(path: tmp.file("out/sharpened.mrc"))
        #expect(sharpened.volume.grid == (try MRCFile.read(path: map)).volume.grid)
        #expect(sharpened.header.labels.contains { $0.contains("mapbook-sharpened") })

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("out/sharpen.json")))) as! [String: Any]
        let result = json["result"] as! [String: Any]
        let trials = result["trials"] as! [[String: Any]]
        let choice = result["choice"] as! [String: Any]
        #expect(trials.count == 1 + 3 + 9 + 6, "reference, calibration, grid, refinement")
        #expect((choice["reason"] as! String).contains("b_iso_to_d_cut"))
        #expect((result["molecularVolume"] as! [String: Any])["source"] as? String == "molecular-mass")

        let table = try String(contentsOfFile: tmp.file("out/sharpen_trials.tsv"), encoding: .utf8).split(separator: "\n")
        #expect(table.count == trials.count + 1)
        #expect(table.filter { $0.hasSuffix("\tyes") }.count == 1)
        let header = table[0].split(separator: "\t").map(String.init)
        for column in ["applied_B_A2", "score", "surface_ratio", "regions", "kurtosis", "chosen"] { #expect(header.contains(column)) }
        let choiceTable = try String(contentsOfFile: tmp.file("out/sharpen_choice.tsv"), encoding: .utf8)
        #expect(choiceTable.contains("reason\t") && choiceTable.contains("method\tb_iso_to_d_cut"))
        #expect(run.stdout.contains("Chosen:"))

        // The output is labelled as sharpened: sharpening it again is refused without --force.
        let again = try CLI.run(["sharpen", tmp.file("out/sharpened.mrc"), "--resolution", "4", "-o", tmp.file("again"), "--quiet"], environment: env)
        #expect(again.status != 0)
        #expect(again.stderr.contains("already processed") && again.stderr.contains("--force"))
        #expect(!FileManager.default.fileExists(atPath: tmp.file("again")))

        // A given B: one fixed trial besides the reference, no calibration.
        let fixed = try CLI.run(["sharpen", map, "--resolution", "4", "--method", "b_iso", "--bfactor", "-50", "-o", tmp.file("fixed"), "--quiet"], environment: env)
        #expect(fixed.status == 0, "\(fixed.stderr)")
        let fixedJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("fixed/sharpen.json")))) as! [String: Any]
        #expect(((fixedJSON["result"] as! [String: Any])["trials"] as! [Any]).count == 2)
    }

    @Test("bad input: one-line errors, nonzero exit, no output; a masked map is refused with the reason")
    func badInput() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let env = ["MAPBOOK_FFTW_WISDOM": "none"]
        let made = try CLI.run(["synthetic-pair", "--size", "32", "--voxel", "1.5", "--resolution", "5", "-o", tmp.file("pair"), "--quiet"], environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        let map = tmp.file("pair/half1.mrc")
        let cases: [([String], String)] = [
            (["--resolution", "0"], "--resolution"),
            (["--resolution", "2"], "Nyquist"),
            (["--resolution", "5", "--method", "sharpest"], "--method sharpest is not one of b_iso"),
            (["--resolution", "5", "--score", "beauty"], "--score beauty is not one of adjusted-sa, kurtosis"),
            (["--resolution", "5", "--method", "half_map"], "--method half_map needs two half maps"),
            (["--resolution", "5", "--box", "0,0,0,40,40,40"], "--box"),
            (["--resolution", "5", "--molecular-mass", "-5"], "--molecular-mass"),
            (["--resolution", "5", "--search-steps", "1"], "--search-steps 1 must lie between 2 and 1000"),
            (["--resolution", "5", "--local-box", "20"], "--local-box 20 applies only with local sharpening"),
            (["--resolution", "5", "--box", "whole", "--bfactor", "-50", "--method", "half_map"], "--bfactor -50 applies to the b_iso and b_iso_to_d_cut methods only"),
        ]
        for (args, words) in cases {
            let r = try CLI.run(["sharpen", map] + args + ["-o", tmp.file("out"), "--quiet"], environment: env)
            #expect(r.status != 0, "\(args) was accepted")
            #expect(r.stderr.contains(words), "\(args): \(r.stderr)")
            #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: tmp.file("out")))
        }
        // A map that is mostly exact zeros (masked): refused, with why; accepted with --force.
        var masked = try MRCFile.read(path: map).volume
        for z in 0..<32 { for y in 0..<32 { for x in 0..<32 where (x - 16) * (x - 16) + (y - 16) * (y - 16) + (z - 16) * (z - 16) > 64 {
            masked[x, y, z] = 0
        } } }
        try MRCFile.write(masked, to: tmp.file("masked.mrc"))
        let refused = try CLI.run(["sharpen", tmp.file("masked.mrc"), "--resolution", "5", "-o", tmp.file("m"), "--quiet"], environment: env)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("masked.mrc") && refused.stderr.contains("noise islands"))
        let forced = try CLI.run(["sharpen", tmp.file("masked.mrc"), "--resolution", "5", "--force", "--search-steps", "5", "-o", tmp.file("m")], environment: env)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("warning") && forced.stderr.contains("sharpened anyway: forced"))
    }
}
