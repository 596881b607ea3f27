import Foundation
import Testing
import TestSupport
import MapModel

@Suite("mapbook simulate, model-map, model-mask, fsc --model")
struct ModelCommandTests {
    let phantom = SharedData.fixture("phantom")

    @Test("simulate writes every file, the same bytes for the same seed on any thread count")
    func simulate() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let env = ["MAPBOOK_FFTW_WISDOM": tmp.file("wisdom")]
        let common = ["simulate", "--size", "48", "--helix-residues", "16", "--local-pattern", "radial",
                      "--best-resolution", "3.5", "--worst-resolution", "6", "--masked-halves", "--quiet"]
        let a = try CLI.run(common + ["-o", tmp.file("a"), "--threads", "1"], environment: env)
        #expect(a.status == 0, "\(a.stderr)")
        let b = try CLI.run(common + ["-o", tmp.file("b"), "--threads", "2"], environment: env)
        #expect(b.status == 0, "\(b.stderr)")
        let c = try CLI.run(common + ["-o", tmp.file("c"), "--seed", "7"], environment: env)
        #expect(c.status == 0, "\(c.stderr)")
        let natural = try CLI.run(common + ["-o", tmp.file("d"), "--no-exact-fsc"], environment: env)
        #expect(natural.status == 0, "\(natural.stderr)")
        let names = ["truth.mrc", "half1.mrc", "half2.mrc", "localres.mrc", "mask.mrc", "half1_masked.mrc",
                     "half2_masked.mrc", "model.pdb", "sequence.fasta", "simulate.json"]
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: tmp.file("a"))) == Set(names))
        for name in names {
            let x = try Data(contentsOf: URL(fileURLWithPath: tmp.file("a/" + name)))
            let y = try Data(contentsOf: URL(fileURLWithPath: tmp.file("b/" + name)))
            #expect(x == y, "\(name) differs between --threads 1 and 2")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: tmp.file("c/half1.mrc"))) != Data(contentsOf: URL(fileURLWithPath: tmp.file("a/half1.mrc"))))
        // Another seed changes the noise only (the header labels name the seed, so compare voxels).
        #expect(try MRCFile.read(path: tmp.file("c/truth.mrc")).volume == MRCFile.read(path: tmp.file("a/truth.mrc")).volume)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("a/simulate.json")))) as! [String: Any]
        let simulation = json["simulation"] as! [String: Any]
        #expect(simulation["seed"] as? Int == 1)
        let parameters = simulation["parameters"] as! [String: Any]
        #expect((parameters["localResolution"] as! [String: Any])["pattern"] as? String == "radial")
        #expect(a.stdout.contains("Simulated 48³"))
        #expect(parameters["exactFSC"] as? Bool == true)
        let d = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("d/simulate.json")))) as! [String: Any]
        #expect(((d["simulation"] as! [String: Any])["parameters"] as! [String: Any])["exactFSC"] as? Bool == false)
        #expect(try MRCFile.read(path: tmp.file("d/truth.mrc")).volume == MRCFile.read(path: tmp.file("a/truth.mrc")).volume)
        // The declared parameters are the command's options, listed in its help.
        let help = try CLI.run(["simulate", "--help"])
        #expect(help.stdout.contains("--helix-residues") && help.stdout.contains("--no-exact-fsc") && help.stdout.contains("--axis-spacing"), "\(help.stdout)")
    }

    @Test("model-map and model-mask on a map's grid; fsc MAP --model reports both crossings")
    func modelMapAndFSC() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let env = ["MAPBOOK_FFTW_WISDOM": tmp.file("wisdom")]
        let truth = phantom + "/truth.mrc.gz", model = phantom + "/model.pdb"
        let made = try CLI.run(["model-map", model, "--like", truth, "--resolution", "4", "--bfactor", "10", "-o", tmp.file("mm.mrc"), "--quiet"], environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("652 atoms"))
        let mm = try MRCFile.read(path: tmp.file("mm.mrc")).volume
        let t = try MRCFile.read(path: truth).volume
        #expect(mm.grid.mismatch(with: t.grid) == nil)
        #expect(Volume.correlation(mm, t) > 0.8)
        let mask = try CLI.run(["model-mask", model, "--like", truth, "--radius", "2.5", "--edge", "4", "-o", tmp.file("mask.mrc"), "--quiet"])
        #expect(mask.status == 0, "\(mask.stderr)")
        let m = try MRCFile.read(path: tmp.file("mask.mrc")).volume.statistics
        #expect(m.min == 0 && m.max == 1)
        let fsc = try CLI.run(["fsc", truth, "--model", model, "--model-mask", "--json", tmp.file("fsc.json"), "--quiet"], environment: env)
        #expect(fsc.status == 0, "\(fsc.stderr)")
        #expect(fsc.stdout.contains("# FSC 0.5: ") && fsc.stdout.contains("# FSC 0.143: ") && fsc.stdout.contains("real-space CC (masked)"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("fsc.json")))) as! [String: Any]
        let comparison = json["comparison"] as! [String: Any]
        let half = (comparison["resolutionAtHalf"] as! [String: Any])["interpolatedResolution"] as! Double
        // The truth is the model blurred to 3.5–6 Å: the map-model FSC falls through 0.5 in that range.
        #expect(half > 3.3 && half < 6.5, "map-model FSC 0.5 at \(half) Å")
    }

    @Test("bad input and bad options: one line naming the problem, nonzero exit, no output")
    func errors() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let truth = phantom + "/truth.mrc.gz"
        try "ATOM      1  N   SER A   5      1O.000  11.000  12.000  1.00 20.00           N\n".write(toFile: tmp.file("bad.pdb"), atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["model-map", tmp.file("bad.pdb"), "--like", truth, "-o", tmp.file("o.mrc")], "bad.pdb:1: cannot read the x coordinate"),
            (["model-map", tmp.file("missing.pdb"), "--like", truth, "-o", tmp.file("o.mrc")], "missing.pdb: file not found"),
            (["model-map", phantom + "/model.pdb", "--like", truth, "-o", truth], "input file"),
            (["fsc", truth, "--model", tmp.file("bad.pdb")], "bad.pdb:1:"),
            (["simulate", "--size", "24", "-o", tmp.file("sim")], "--size 24 does not fit the built-in model"),
            (["simulate", "--resolution", "1", "-o", tmp.file("sim2")], "--resolution 1 is finer than Nyquist"),
            (["simulate", "--size", "4", "-o", tmp.file("sim3")], "--size 4 must lie between 8 and 1024"),
            (["simulate", "--local-pattern", "split", "--best-resolution", "5", "--worst-resolution", "4", "-o", tmp.file("sim4")],
             "--worst-resolution 4 must not be finer than best_resolution"),
            (["simulate", "--fsc-curve", "gaussian", "-o", tmp.file("sim5")], "--fsc-curve gaussian is not one of white-noise, logistic"),
            (["simulate", "--model", phantom + "/model.pdb", "--like", truth, "--voxel", "2", "-o", tmp.file("sim6")], "--like or --voxel"),
            (["synthetic-pair", "--voxel", "2", "--resolution", "3", "-o", tmp.file("pair")], "--resolution 3 is finer than Nyquist (4.00 Å)"),
            (["model-map", phantom + "/model.pdb", "--like", truth, "--resolution", "0", "-o", tmp.file("o.mrc")], "--resolution 0 must be positive"),
            (["model-mask", phantom + "/model.pdb", "--like", truth, "--edge", "-1", "-o", tmp.file("o.mrc")], "--edge -1 must not be negative"),
        ]
        for (args, mention) in cases {
            let r = try CLI.run(args + ["--quiet"])
            #expect(r.status != 0, "\(args)")
            #expect(r.stderr.split(separator: "\n").count == 1, "one line expected: \(r.stderr)")
            #expect(r.stderr.contains(mention), "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.file("o.mrc")))
        for name in ["sim", "sim2", "sim3", "sim4", "sim5", "sim6", "pair"] { #expect(!FileManager.default.fileExists(atPath: tmp.file(name)), "\(name)") }
        // Usage errors from the argument parser.
        let one = try CLI.run(["fsc", truth])
        #expect(one.status != 0 && one.stderr.contains("--model"))
    }
}
