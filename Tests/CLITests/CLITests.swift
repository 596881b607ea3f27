import Foundation
import Testing
import TestSupport
import MapModel

/// Runs the built `mapbook` binary as a user would.
enum CLI {
    /// The binary next to the test bundle (SwiftPM puts both in the same build folder).
    static let binary: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mapbook").path,
            Bundle.main.bundleURL.appendingPathComponent("mapbook").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("mapbook").path,
            SharedData.packageRoot.appendingPathComponent(".build/debug/mapbook").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ args: [String], environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

@Suite("mapbook command line")
struct CLITests {
    @Test("synthetic-pair then postprocess writes every output, and the numbers are sane")
    func endToEnd() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let wisdom = tmp.file("wisdom")
        let env = ["MAPBOOK_FFTW_WISDOM": wisdom]
        let made = try CLI.run(["synthetic-pair", "--size", "48", "--voxel", "2", "--resolution", "7", "-o", tmp.file("pair"), "--quiet"], environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        let run = try CLI.run(["postprocess", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "--auto-mask",
                               "-o", tmp.file("out"), "--threads", "2"], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["postprocess.mrc", "postprocess_masked.mrc", "postprocess_mask.mrc", "postprocess.json", "postprocess_fsc.xml", "postprocess_fsc.tsv"] {
            #expect(FileManager.default.fileExists(atPath: tmp.file("out/" + name)), "\(name) missing")
        }
        // No staging left behind.
        let listing = try FileManager.default.contentsOfDirectory(atPath: tmp.file("out"))
        #expect(!listing.contains { $0.hasPrefix(".") })
        // The sharpened map keeps the inputs' grid.
        let sharpened = try MRCFile.read(path: tmp.file("out/postprocess.mrc")).volume
        let half = try MRCFile.read(path: tmp.file("pair/half1.mrc")).volume
        #expect(sharpened.grid == half.grid)
        // JSON: parseable, resolution near the simulated 7 Å (masking only helps).
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("out/postprocess.json")))) as! [String: Any]
        let result = json["result"] as! [String: Any]
        let res = (result["resolutionUnmasked"] as! [String: Any])["interpolatedResolution"] as! Double
        #expect(abs(res - 7) < 0.5, "unmasked resolution \(res)")
        #expect((result["appliedBFactor"] as! Double) < 0, "auto B should sharpen")
        let xml = try String(contentsOfFile: tmp.file("out/postprocess_fsc.xml"), encoding: .utf8)
        #expect(xml.hasPrefix("<fsc title=") && xml.contains("<coordinate>"))
        #expect(run.stdout.contains("Final resolution"))
        // FFTW wisdom was saved for the next run.
        #expect(FileManager.default.fileExists(atPath: wisdom))
    }

    @Test("bad input: one-line error naming the file, nonzero exit, no output")
    func badInput() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try Data("this is not a map".utf8).write(to: URL(fileURLWithPath: tmp.file("junk.mrc")))
        let made = try CLI.run(["synthetic-pair", "--size", "24", "--voxel", "2", "--resolution", "8", "-o", tmp.file("pair"), "--quiet"])
        #expect(made.status == 0)
        let cases: [([String], String)] = [
            (["postprocess", tmp.file("junk.mrc"), tmp.file("pair/half2.mrc"), "-o", tmp.file("o1")], "junk.mrc"),
            (["postprocess", tmp.file("missing.mrc"), tmp.file("pair/half2.mrc"), "-o", tmp.file("o2")], "missing.mrc"),
            (["postprocess", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "--mask", tmp.file("pair/truth.mrc"), "-o", tmp.file("o3")], "truth.mrc"),
            (["postprocess", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "--randomize-at-fsc", "2", "-o", tmp.file("o4")], "randomize"),
        ]
        for (args, mention) in cases {
            let r = try CLI.run(args + ["--quiet"])
            #expect(r.status != 0, "\(args)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1, "one line expected: \(r.stderr)")
            #expect(r.stderr.contains(mention), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: args.last!), "no output folder for \(args)")
        }
        // A mismatched grid between half maps.
        let other = try CLI.run(["synthetic-pair", "--size", "26", "--voxel", "2", "--resolution", "8", "-o", tmp.file("pair26"), "--quiet"])
        #expect(other.status == 0)
        let mismatch = try CLI.run(["fsc", tmp.file("pair/half1.mrc"), tmp.file("pair26/half2.mrc"), "--quiet"])
        #expect(mismatch.status != 0)
        #expect(mismatch.stderr.contains("pair26/half2.mrc") && mismatch.stderr.contains("grid"))
    }

    @Test("an undefined FSC is an error naming the file: all-zero or constant half map, all-zero mask, constant map against a model")
    func undefinedFSC() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let made = try CLI.run(["synthetic-pair", "--size", "24", "--voxel", "2", "--resolution", "8", "-o", tmp.file("pair"), "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        let grid = try MRCFile.read(path: tmp.file("pair/half1.mrc")).volume.grid
        var constant = Volume(grid: grid)
        for i in 0..<constant.voxels.count { constant.voxels[i] = 1.5 }
        try MRCFile.write(Volume(grid: grid), to: tmp.file("zero.mrc"))
        try MRCFile.write(constant, to: tmp.file("const.mrc"))
        let (h1, h2) = (tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"))
        // A constant map on the grid of the phantom, whose model lies inside it.
        let model = SharedData.fixture("phantom/model.pdb")
        var flat = Volume(grid: try MRCFile.read(path: SharedData.fixture("phantom/truth.mrc.gz")).volume.grid)
        for i in 0..<flat.voxels.count { flat.voxels[i] = 1.5 }
        try MRCFile.write(flat, to: tmp.file("flat.mrc"))
        let cases: [([String], String)] = [
            (["fsc", h1, tmp.file("zero.mrc")], "zero.mrc: the map is constant (every voxel 0.0): its FSC is undefined"),
            (["fsc", tmp.file("const.mrc"), h2, "--json", tmp.file("f.json"), "--xml", tmp.file("f.xml")], "const.mrc: the map is constant (every voxel 1.5): its FSC is undefined"),
            (["fsc", h1, h2, "--mask", tmp.file("zero.mrc")], "zero.mrc: mask is empty"),
            (["postprocess", h1, tmp.file("zero.mrc"), "-o", tmp.file("o1")], "zero.mrc: the map is constant (every voxel 0.0)"),
            (["postprocess", tmp.file("const.mrc"), h2, "-o", tmp.file("o2")], "const.mrc: the map is constant (every voxel 1.5)"),
            (["postprocess", h1, h2, "--mask", tmp.file("zero.mrc"), "-o", tmp.file("o3")], "zero.mrc: mask is empty"),
            (["fsc", tmp.file("flat.mrc"), "--model", model], "flat.mrc: the map is constant (every voxel 1.5)"),
        ]
        for (args, mention) in cases {
            let r = try CLI.run(args + ["--quiet"])
            #expect(r.status != 0, "\(args)")
            #expect(r.stderr.split(separator: "\n").count == 1, "one line expected: \(r.stderr)")
            #expect(r.stderr.contains(mention), "\(r.stderr)")
            #expect(!r.stdout.contains("better than"), "no resolution for \(args)")
        }
        for out in ["o1", "o2", "o3", "f.json", "f.xml"] { #expect(!FileManager.default.fileExists(atPath: tmp.file(out)), "\(out) written") }
    }

    @Test("an output that would overwrite an input is refused, and the input survives")
    func refuseOverwrite() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let made = try CLI.run(["synthetic-pair", "--size", "24", "--voxel", "2", "--resolution", "8", "-o", tmp.file("pair"), "--quiet"])
        #expect(made.status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: tmp.file("pair/half1.mrc")))
        try FileManager.default.copyItem(atPath: tmp.file("pair/half1.mrc"), toPath: tmp.file("pair/postprocess.mrc"))
        let r = try CLI.run(["postprocess", tmp.file("pair/postprocess.mrc"), tmp.file("pair/half2.mrc"), "-o", tmp.file("pair"), "--quiet"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("overwrite"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: tmp.file("pair/half1.mrc"))) == before)
        let xml = try CLI.run(["fsc", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "--xml", tmp.file("pair/half1.mrc"), "--quiet"])
        #expect(xml.status != 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: tmp.file("pair/half1.mrc"))) == before)
    }
}

@Suite("mapbook local-resolution")
struct LocalResolutionCLITests {
    @Test("writes the resolution map, colouring map, mask, JSON and ChimeraX script; refuses bad input")
    func outputsAndErrors() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let made = try CLI.run(["synthetic-pair", "--size", "40", "--voxel", "2", "--resolution", "6", "-o", tmp.file("pair"), "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        let run = try CLI.run(["local-resolution", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "-o", tmp.file("lr"), "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["localres.mrc", "localres_colouring.mrc", "localres_mask.mrc", "localres.json", "localres_chimerax.cxc"] {
            #expect(FileManager.default.fileExists(atPath: tmp.file("lr/" + name)), "\(name) missing")
        }
        let map = try MRCFile.read(path: tmp.file("lr/localres.mrc")).volume
        let half = try MRCFile.read(path: tmp.file("pair/half1.mrc")).volume
        #expect(map.grid == half.grid)
        let values = map.voxels.filter { $0 > 0 }
        #expect(!values.isEmpty && values.allSatisfy { $0 >= 4 - 1e-3 && $0.isFinite }, "values must be at Nyquist (4 Å) or coarser")
        let script = try String(contentsOfFile: tmp.file("lr/localres_chimerax.cxc"), encoding: .utf8)
        #expect(script.contains("color sample") && script.contains("localres_colouring.mrc"))
        let fsc = try CLI.run(["local-resolution", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "--method", "local-fsc", "-o", tmp.file("lf"), "--quiet"])
        #expect(fsc.status == 0, "\(fsc.stderr)")
        // Bad input.
        let bad = try CLI.run(["local-resolution", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "--low", "3", "-o", tmp.file("bad"), "--quiet"])
        #expect(bad.status != 0 && bad.stderr.contains("Nyquist") && bad.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: tmp.file("bad")))
        let method = try CLI.run(["local-resolution", tmp.file("pair/half1.mrc"), "--method", "local-fsc", "-o", tmp.file("bad2")])
        #expect(method.status != 0 && method.stderr.contains("two half maps"))
    }
}

@Suite("mapbook density-modify")
struct DensityModifyCLITests {
    @Test("writes the map, both modified halves, the FSC table and the JSON; refuses two solvent sources")
    func endToEnd() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let env = ["MAPBOOK_FFTW_WISDOM": tmp.file("wisdom")]
        let made = try CLI.run(["synthetic-pair", "--size", "40", "--voxel", "2", "--resolution", "6", "-o", tmp.file("pair"), "--quiet"], environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        try Data(">A\n\(String(repeating: "A", count: 150))\n".utf8).write(to: URL(fileURLWithPath: tmp.file("seq.fasta")))
        let run = try CLI.run(["density-modify", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "--sequence", tmp.file("seq.fasta"),
                               "--cycles", "2", "-o", tmp.file("out"), "--threads", "2"], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("FSC_ref 0.5"))
        for name in ["densmod_map.mrc", "densmod_half1.mrc", "densmod_half2.mrc", "densmod_fsc.tsv", "densmod.json"] {
            #expect(FileManager.default.fileExists(atPath: tmp.file("out/" + name)), "\(name) missing")
        }
        let both = try CLI.run(["density-modify", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "--sequence", tmp.file("seq.fasta"),
                                "--solvent-fraction", "0.7", "-o", tmp.file("out2")], environment: env)
        #expect(both.status != 0 && both.stderr.contains("exactly one of"))
        let badGroup = try CLI.run(["density-modify", tmp.file("pair/half1.mrc"), tmp.file("pair/half2.mrc"), "--sequence", tmp.file("seq.fasta"),
                                    "--symmetry", "X7", "-o", tmp.file("out3")], environment: env)
        #expect(badGroup.status != 0 && badGroup.stderr.contains("unknown point group 'X7'"), "\(badGroup.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("out3")))
    }

    @Test("--model refines an ensemble against each half and records it in densmod.json")
    func withModel() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let env = ["MAPBOOK_FFTW_WISDOM": tmp.file("wisdom")]
        let made = try CLI.run(["simulate", "--size", "40", "--voxel", "1.5", "--resolution", "5", "-o", tmp.file("sim"), "--quiet"], environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        let run = try CLI.run(["density-modify", tmp.file("sim/half1.mrc"), tmp.file("sim/half2.mrc"), "--solvent-fraction", "0.85",
                               "--model", tmp.file("sim/model.pdb"), "--model-members", "2", "--model-randomisation", "0.5", "--model-seed", "3",
                               "--cycles", "1", "-o", tmp.file("out"), "--threads", "2"], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Model ensemble, half map 2: 2 members"), "\(run.stdout)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("out/densmod.json")))) as? [String: Any]
        let ensembles = json?["modelEnsembles"] as? [[String: Any]]
        #expect(ensembles?.count == 2)
        #expect((ensembles?.first?["members"] as? [Any])?.count == 2)
        let bad = try CLI.run(["density-modify", tmp.file("sim/half1.mrc"), tmp.file("sim/half2.mrc"), "--solvent-fraction", "0.85",
                               "--model", tmp.file("sim/model.pdb"), "--model-members", "0", "-o", tmp.file("out2")], environment: env)
        #expect(bad.status != 0 && bad.stderr.contains("--model-members"))
    }
}

@Suite("mapbook symmetry")
struct SymmetryCLITests {
    /// Gaussian blobs of 2.5 Å at `centres` (voxel offsets from the box centre, voxel N/2) and
    /// at their images under `images`, in a 48³ box of 1.5 Å voxels.
    static func blobs(_ centres: [SIMD3<Double>], images: [(SIMD3<Double>) -> SIMD3<Double>]) -> Volume {
        let n = 48
        let grid = VoxelGrid(cube: n, voxel: 1.5)
        let all = centres.flatMap { c in images.map { $0(c) } }
        return Volume(grid: grid) { x, y, z in
            let p = SIMD3(Double(x - n / 2), Double(y - n / 2), Double(z - n / 2))
            var v = 0.0
            for c in all {
                let d = p - c
                v += exp(-(d * d).sum() * 1.5 * 1.5 / (2 * 2.5 * 2.5))
            }
            return Float(v)
        }
    }

    @Test("finds D2 in a D2 map and C1 in an asymmetric one; --group checks one group; --json is written")
    func detects() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let env = ["MAPBOOK_FFTW_WISDOM": tmp.file("wisdom")]
        let centres: [SIMD3<Double>] = [SIMD3(7, 3, 2), SIMD3(4, 9, -5), SIMD3(-2, 6, 8), SIMD3(10, -4, 6), SIMD3(3, -8, -3)]
        let d2: [(SIMD3<Double>) -> SIMD3<Double>] = [{ $0 }, { SIMD3($0.x, -$0.y, -$0.z) }, { SIMD3(-$0.x, $0.y, -$0.z) }, { SIMD3(-$0.x, -$0.y, $0.z) }]
        try MRCFile.write(Self.blobs(centres, images: d2), to: tmp.file("d2.mrc"))
        try MRCFile.write(Self.blobs(centres, images: [{ $0 }]), to: tmp.file("c1.mrc"))
        let found = try CLI.run(["symmetry", tmp.file("d2.mrc"), "--json", tmp.file("d2.json"), "--quiet"], environment: env)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("symmetry: D2 (4 copies"), "\(found.stdout)")
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("d2.json")))) as? [String: Any]
        #expect((record?["best"] as? [String: Any])?["group"] as? String == "D2")
        let none = try CLI.run(["symmetry", tmp.file("c1.mrc"), "--quiet"], environment: env)
        #expect(none.status == 0 && none.stdout.contains("symmetry: C1"), "\(none.stdout)")
        let wrong = try CLI.run(["symmetry", tmp.file("d2.mrc"), "--group", "C3", "--quiet"], environment: env)
        #expect(wrong.status == 0 && wrong.stdout.contains("C3: the map does not show it"), "\(wrong.stdout)")
        let bad = try CLI.run(["symmetry", tmp.file("d2.mrc"), "--group", "X7"], environment: env)
        #expect(bad.status != 0 && bad.stderr.contains("unknown point group 'X7'"), "\(bad.stderr)")
    }
}
