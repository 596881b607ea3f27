import Foundation
import Testing
import TestSupport
import MapModel

/// The same inputs give the same result from the command line and from a plan: for every
/// cell kind that has a command, the command and a one-cell plan write maps with bit-identical
/// voxels (their MRC labels differ by design: dates and provenance) and the same numbers.
@Suite("Commands and one-cell plans agree")
struct CommandPlanParityTests {
    struct Case {
        var name: String
        var command: [String]
        var cell: String
        /// Command output file → the cell's output map name.
        var maps: [String: String]
        /// Path into the command's JSON → the cell's number.
        var numbers: [([String], String)]
        var json: String?
    }

    static func voxels(_ path: String) throws -> [Float] { Array(try MRCFile.read(path: path).volume.voxels) }

    static func value(_ json: Any?, _ path: [String]) -> Double? {
        var node = json
        for key in path { node = (node as? [String: Any])?[key] }
        return (node as? NSNumber)?.doubleValue
    }

    @Test("postprocess, fsc, sharpen, local-resolution, local-sharpen, density-modify and model-fit: bit-identical maps, equal numbers")
    func parity() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let made = try CLI.run(["synthetic-pair", "--size", "40", "--voxel", "2", "--resolution", "6", "-o", tmp.file("data"), "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        let h1 = tmp.file("data/half1.mrc"), h2 = tmp.file("data/half2.mrc"), full = tmp.file("data/truth.mrc")
        // A model for model_fit: carbons in a ball at the centre of the 80 Å box, where the density is.
        let model = tmp.file("data/model.pdb")
        let atoms = (0..<300).map { i -> Atom in
            let t = Double(i) * 2.399963   // the golden angle: points spread over a ball
            let r = 14 * (Double(i) / 300).squareRoot(), z = 1 - 2 * (Double(i) + 0.5) / 300
            let p = SIMD3(r * cos(t) * (1 - z * z).squareRoot(), r * sin(t) * (1 - z * z).squareRoot(), r * z)
            return Atom(name: "CA", element: .carbon, position: SIMD3(repeating: 39) + p, bFactor: 40, residueName: "ALA",
                        residueNumber: 1 + i / 4, chainID: "A")
        }
        try AtomicModelFile.writePDB(AtomicModel(atoms: atoms), to: model)
        let cases: [Case] = [
            Case(name: "postprocess", command: ["postprocess", h1, h2, "--auto-mask"], cell: "{kind: postprocess, mask: auto}",
                 maps: ["postprocess.mrc": "sharpened", "postprocess_masked.mrc": "sharpened_masked", "postprocess_mask.mrc": "mask"],
                 numbers: [(["result", "resolution", "shellResolution"], "resolution"), (["result", "appliedBFactor"], "bfactor")], json: "postprocess.json"),
            Case(name: "sharpen", command: ["sharpen", full, "--half-maps", h1, h2, "--resolution", "6"],
                 cell: "{kind: sharpen, map: dataset.full_map, half_maps: dataset.half_maps, resolution: 6}",
                 maps: ["sharpened.mrc": "sharpened"], numbers: [], json: nil),
            // Every kind of declared option: a list, a choice, a box, a group's keys, a switch.
            Case(name: "sharpen_options",
                 command: ["sharpen", full, "--resolution", "6", "--method", "b_iso,b_iso_to_d_cut", "--score", "kurtosis",
                           "--box", "2,2,2,38,38,38", "--search-steps", "7", "--refinement-levels", "1", "--search-b-min", "-80",
                           "--k-sharpen", "8", "--b-blur", "150", "--enclosed-fraction", "0.25", "--local", "--local-box", "40"],
                 cell: "{kind: sharpen, id: sharpen_options, map: dataset.full_map, resolution: 6, method: [b_iso, b_iso_to_d_cut], score: kurtosis, box: [2, 2, 2, 38, 38, 38], search_steps: 7, refinement_levels: 1, search_b_min: -80, k_sharpen: 8, b_blur: 150, enclosed_fraction: 0.25, local: true, local_box: 40}",
                 maps: ["sharpened.mrc": "sharpened"], numbers: [], json: nil),
            Case(name: "local_resolution", command: ["local-resolution", h1, h2], cell: "{kind: local_resolution}",
                 maps: ["localres.mrc": "resolution_map"], numbers: [(["median"], "median")], json: "localres.json"),
            Case(name: "local_fsc", command: ["local-resolution", h1, h2, "--method", "local_fsc", "--window", "20", "--mask-threshold", "0.4"],
                 cell: "{kind: local_resolution, id: local_fsc, method: local_fsc, window: 20, mask_threshold: 0.4}",
                 maps: ["localres.mrc": "resolution_map"], numbers: [(["median"], "median")], json: "localres.json"),
            Case(name: "density_modify", command: ["density-modify", h1, h2, "--solvent-fraction", "0.7", "--cycles", "1"],
                 cell: "{kind: density_modify, solvent_fraction: 0.7, cycles: 1}",
                 maps: ["densmod_map.mrc": "map", "densmod_half1.mrc": "half_map_1", "densmod_half2.mrc": "half_map_2"], numbers: [], json: nil),
            Case(name: "local_sharpen", command: ["local-sharpen", full, "--half-maps", h1, h2, "--k", "0.03", "--max-inner", "20"],
                 cell: "{kind: local_sharpen, map: dataset.full_map, k: 0.03, max_inner: 20}",
                 maps: ["sharpenedMap_last.mrc": "sharpened"], numbers: [], json: nil),
            Case(name: "model_fit", command: ["model-fit", full, model, "--half-maps", h1, h2, "--q-sigma", "0.5"],
                 cell: "{kind: model_fit, map: dataset.full_map, q_sigma: 0.5}", maps: [:],
                 numbers: [(["result", "meanQ"], "mean_q"), (["result", "correlations", "mask"], "cc_mask"),
                           (["result", "resolutions", "dModel"], "d_model")],
                 json: "model_fit.json"),
        ]
        for c in cases {
            let out = tmp.file("cmd_\(c.name)")
            let command = try CLI.run(c.command + ["-o", out, "--quiet"])
            #expect(command.status == 0, "\(c.name): \(command.stderr)")
            try Data("dataset: {half_maps: [data/half1.mrc, data/half2.mrc], full_map: data/truth.mrc, model: data/model.pdb}\ncells:\n  - \(c.cell)\n".utf8)
                .write(to: URL(fileURLWithPath: tmp.file("\(c.name).yaml")))
            let report = tmp.file("plan_\(c.name)")
            let plan = try CLI.run(["run", tmp.file("\(c.name).yaml"), "-o", report, "--quiet", "--formats", "html"])
            #expect(plan.status == 0, "\(c.name): \(plan.stderr)")
            let id = c.name
            for (file, output) in c.maps {
                let a = try Self.voxels(out + "/" + file), b = try Self.voxels(report + "/maps/\(id)_\(output).mrc")
                #expect(a == b, "\(c.name): \(file) and the cell's \(output) differ")
            }
            if let json = c.json {
                let cmdJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/" + json)))
                let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report + "/summary.json")))
                let cell = ((summary as? [String: Any])?["cells"] as? [[String: Any]])?.first
                for (path, number) in c.numbers {
                    let fromCommand = Self.value(cmdJSON, path)
                    let fromPlan = Self.value(cell, ["numbers", number, "value"])
                    #expect(fromCommand != nil && fromCommand == fromPlan, "\(c.name).\(number): command \(String(describing: fromCommand)), plan \(String(describing: fromPlan))")
                }
            }
        }
        // fsc: numbers only (it writes no map).
        let fsc = try CLI.run(["fsc", h1, h2, "--json", tmp.file("fsc.json"), "--quiet"])
        #expect(fsc.status == 0, "\(fsc.stderr)")
        try Data("dataset: {half_maps: [data/half1.mrc, data/half2.mrc]}\ncells:\n  - {kind: fsc, mask: none}\n".utf8).write(to: URL(fileURLWithPath: tmp.file("fsc.yaml")))
        let run = try CLI.run(["run", tmp.file("fsc.yaml"), "-o", tmp.file("plan_fsc"), "--quiet", "--formats", "html"])
        #expect(run.status == 0, "\(run.stderr)")
        let cmdJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("fsc.json"))))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tmp.file("plan_fsc/summary.json"))))
        let cell = ((summary as? [String: Any])?["cells"] as? [[String: Any]])?.first
        let fromCommand = Self.value(cmdJSON, ["resolution", "shellResolution"]), fromPlan = Self.value(cell, ["numbers", "resolution", "value"])
        #expect(fromCommand != nil && fromCommand == fromPlan, "fsc: command \(String(describing: fromCommand)), plan \(String(describing: fromPlan))")
    }

    @Test("RELION's combined map and its half maps (origins 0 and 0.067 Å, 1.9 % of a voxel) are accepted by the command and the plan alike")
    func relionOrigins() throws {
        guard let map = SharedData.path("relion_tutorial_betagal/run_class001.mrc"),
              let h1 = SharedData.path("relion_tutorial_betagal/run_half1_class001_unfil.mrc"),
              let h2 = SharedData.path("relion_tutorial_betagal/run_half2_class001_unfil.mrc") else { return }
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        let command = try CLI.run(["sharpen", map, "--half-maps", h1, h2, "--resolution", "8", "--box", "whole", "-o", tmp.file("cmd"), "--quiet"])
        #expect(command.status == 0, "\(command.stderr)")
        try Data("dataset: {half_maps: [\"\(h1)\", \"\(h2)\"], full_map: \"\(map)\"}\ncells:\n  - {kind: sharpen, map: dataset.full_map, half_maps: dataset.half_maps, resolution: 8, box: whole}\n".utf8)
            .write(to: URL(fileURLWithPath: tmp.file("plan.yaml")))
        let plan = try CLI.run(["run", tmp.file("plan.yaml"), "-o", tmp.file("report"), "--quiet", "--formats", "html"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(try Self.voxels(tmp.file("cmd/sharpened.mrc")) == (try Self.voxels(tmp.file("report/maps/sharpen_sharpened.mrc"))))
    }
}
