import Foundation
import Testing
import TestSupport
import MapModel
@testable import mapbook
import MapbookCore
import NotebookCells

/// The command line and plans take the parameters their declarations describe, and phrase the
/// library's refusals each in its own terms.
@Suite("Declared parameters on the command line and in plans")
struct ParameterDeclarationCLITests {
    /// Two 24³ half maps: a shared Gaussian blob plus independent noise.
    static func halfMaps(in tmp: TemporaryDirectory) throws -> (String, String) {
        let grid = VoxelGrid(cube: 24, voxel: 2)
        var rng = SeededGenerator(seed: 3)
        func map() -> Volume {
            Volume(grid: grid) { x, y, z in
                let r2 = Double((x - 12) * (x - 12) + (y - 12) * (y - 12) + (z - 12) * (z - 12))
                return Float(exp(-r2 / 18) + 0.05 * (Double(rng.next() % 2001) / 1000 - 1))
            }
        }
        let (a, b) = (tmp.file("h1.mrc"), tmp.file("h2.mrc"))
        try MRCFile.write(map(), to: a)
        try MRCFile.write(map(), to: b)
        return (a, b)
    }

    @Test("every parameter of a command is in its --help and in `mapbook parameters`, and its cell takes the same keys")
    func listings() throws {
        for command in ParametersCommand.commands {
            let name = command.configuration.commandName!
            let help = try CLI.run([name, "--help"]).stdout
            let listing = try CLI.run(["parameters", name]).stdout
            #expect(!command.parameterSpecs.isEmpty)
            for spec in command.parameterSpecs {
                let flag = CommandParameters.flag(spec.key)
                #expect(help.contains(flag + (spec.isSwitch ? " | --no-" : " <")), "\(name) --help lacks \(flag)")
                #expect(listing.contains("  \(flag)\n"), "mapbook parameters \(name) lacks \(flag)")
            }
            // A cell kind of the same name takes the command's parameters under the same keys
            // (those the dataset does not supply).
            if let kind = CellKinds.kind(named: name.replacingOccurrences(of: "-", with: "_")) {
                let keys = Set(kind.options.map(\.key))
                for spec in command.parameterSpecs where spec.scope == .everywhere {
                    #expect(keys.contains(spec.key), "kind \(kind.kind) lacks \(spec.key)")
                }
            }
        }
        let markdown = try CLI.run(["parameters", "--markdown"]).stdout
        #expect(markdown.contains("### mapbook postprocess\n\n| Parameter | Value | Default | Range | Unit | Meaning | Source |"))
        #expect(markdown.contains("| `randomize_at_fsc` | a number | 0.8 | 0 < x < 1 |  |"))
        #expect(try CLI.run(["parameters", "no_such_thing"]).status != 0)
        // The document of every parameter is the command's output, not a copy kept by hand.
        let document = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("docs/parameters.md"), encoding: .utf8)
        #expect(document == markdown, "docs/parameters.md is stale: regenerate it with `mapbook parameters --markdown > docs/parameters.md`")
    }

    @Test("the same refused value: its flag on the command line, file:line:column and key in a plan; no library text names a flag")
    func refusals() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let (h1, h2) = try Self.halfMaps(in: tmp)
        let cli = try CLI.run(["postprocess", h1, h2, "--randomize-at-fsc", "3", "-o", tmp.file("out"), "--quiet"])
        #expect(cli.status != 0)
        #expect(cli.stderr == "mapbook: error: --randomize-at-fsc 3 must lie strictly between 0 and 1\n", "\(cli.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("out")))

        let plan = "dataset: {half_maps: [h1.mrc, h2.mrc]}\ncells:\n  - kind: postprocess\n    randomize_at_fsc: 3\n"
        try Data(plan.utf8).write(to: URL(fileURLWithPath: tmp.file("plan.yaml")))
        let run = try CLI.run(["run", tmp.file("plan.yaml"), "-o", tmp.file("report"), "--quiet"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("plan.yaml:4:23: in cell 'postprocess': randomize_at_fsc 3 must lie strictly between 0 and 1"), "\(run.stderr)")
        #expect(!run.stderr.contains("--randomize"), "\(run.stderr)")

        let cases: [([String], String)] = [
            (["--seed", "abc"], "--seed abc is not a whole number ≥ 0"),
            (["--seed", "1", "--seed", "2"], "--seed is given twice"),
            (["--bfactor", "strong"], "--bfactor strong is not auto or a number"),
            (["--lowpass", "-3"], "--lowpass -3 must be positive"),
            (["--autob-lowres", "5", "--autob-highres", "8"], "--autob-highres 8 must be finer than autob_lowres (5 Å)"),
            (["--mask-edge"], "--mask-edge needs a number"),
        ]
        for (extra, message) in cases {
            let r = try CLI.run(["postprocess", h1, h2, "-o", tmp.file("o"), "--quiet"] + extra)
            #expect(r.status != 0 && r.stderr == "mapbook: error: \(message)\n", "\(extra): \(r.stderr)")
        }
    }

    @Test("a switch is --name or --no-name or --name=false; values may follow with =; the result is the same map")
    func switches() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let (h1, h2) = try Self.halfMaps(in: tmp)
        var maps: [[Float]] = []
        for (i, extra) in [["--no-fsc-weighting", "--bfactor", "-40"], ["--fsc-weighting=false", "--bfactor=-40"]].enumerated() {
            let r = try CLI.run(["postprocess", h1, h2, "-o", tmp.file("o\(i)"), "--quiet"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            maps.append(Array(try MRCFile.read(path: tmp.file("o\(i)/postprocess.mrc")).volume.voxels))
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("o\(i)/postprocess.json")))) as? [String: Any]
            let result = json?["result"] as? [String: Any]
            #expect(result?["appliedBFactor"] as? Double == -40)
            #expect(result?["fscWeights"] == nil || result?["fscWeights"] is NSNull)
        }
        #expect(maps[0] == maps[1])
    }
}
