import Foundation
import Testing
import MapbookCore
import TestSupport
import NotebookTestSupport
@testable import Notebook
@testable import NotebookCells

@Suite("Starter plan and cell documentation")
struct StarterPlanTests {
    @Test("the starter plan parses, and lists every kind and every option")
    func starterPlan() throws {
        let text = StarterPlan.text(.init(name: "emd_1234", halfMaps: ["maps/h1.mrc", "maps/h2.mrc"], mask: "maps/mask.mrc", symmetry: "C4"))
        let plan = try PlanParser.parse(text, path: "/tmp/emd_1234.yaml")
        #expect(plan.dataset.mask == "maps/mask.mrc" && plan.dataset.symmetryOrder == 4)
        #expect(Set(plan.analysisCells.map(\.kind)) == Set(StarterPlan.activeKinds))
        // The truth cell is offered only for simulated data (a dataset with a truth).
        #expect(!text.contains("- kind: truth"))
        // The benchmark kind reads a benchmark table, not a dataset's maps: never offered.
        #expect(!text.contains("benchmark"))
        let simulated = StarterPlan.text(.init(name: "sim", halfMaps: ["h1.mrc", "h2.mrc"], mask: "mask.mrc", truth: "truth.mrc"))
        #expect(try PlanParser.parse(simulated, path: "/tmp/sim.yaml").dataset.truth == "truth.mrc")
        for kind in CellKinds.datasetKinds {
            let text = kind.kind == TruthCell.kind ? simulated : text
            #expect(text.contains("- kind: \(kind.kind)"), "\(kind.kind) missing")
            for o in kind.options {
                #expect(text.contains(" \(o.key): "), "\(kind.kind).\(o.key) missing from the starter plan")
            }
        }
        // Without a mask the mask lines stay commented and the plan still parses.
        _ = try PlanParser.parse(StarterPlan.text(.init(name: "x", halfMaps: ["a.mrc", "b.mrc"])), path: "/tmp/x.yaml")
    }

    /// The starter plan with the commented-out cell of `kind` uncommented, as a user would:
    /// the leading `# ` of each of its lines removed (its own commented keys stay comments).
    static func uncommenting(_ kind: String, in text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "  # - kind: \(kind)") else { return text }
        var i = start
        while i < lines.count, lines[i].hasPrefix("  # ") && (i == start || lines[i].hasPrefix("  #   ")) {
            lines[i] = "  " + lines[i].dropFirst(4)
            i += 1
        }
        return lines.joined(separator: "\n")
    }

    @Test("uncommenting any cell of the starter plan gives a plan that runs as written, with or without a sequence and a symmetry")
    func everyCellRuns() throws {
        let data = try NotebookTestData()
        defer { data.cleanup() }
        try Data(">A\n\(String(repeating: "MKVL", count: 40))\n".utf8).write(to: URL(fileURLWithPath: data.file("seq.fasta")))
        try data.writeModel("model.pdb")
        for (sequence, symmetry) in [(nil, "C1"), ("seq.fasta", "C2")] as [(String?, String)] {
            // A truth (here the first half map) offers the truth cell, as `mapbook init --truth` does.
            let text = StarterPlan.text(.init(name: "starter", halfMaps: ["half1.mrc", "half2.mrc"], model: "model.pdb", sequence: sequence, symmetry: symmetry,
                                              truth: "half1.mrc"))
            for kind in CellKinds.datasetKinds.map({ $0.kind }) where !StarterPlan.activeKinds.contains(kind) {
                let uncommented = Self.uncommenting(kind, in: text)
                #expect(uncommented != text, "\(kind) is not in the starter plan as a commented cell")
                let path = try data.writePlan(uncommented, name: "starter_\(kind).yaml")
                let plan = try PlanParser.load(path: path)
                #expect(plan.analysisCells.contains { $0.kind == kind })
                var options = RunOptions(cacheDirectory: data.file("cache"), mapbookVersion: "test")
                options.commandLine = ["test"]
                let run = try NotebookRunner(plan: plan, options: options).run()
                for cell in run.cells { #expect(cell.succeeded, "\(kind) (sequence \(sequence ?? "none")): cell \(cell.id) \(cell.status): \(cell.message ?? "")") }
            }
        }
    }

    @Test("each kind documents exactly the keys it decodes and encodes")
    func optionsMatchCodingKeys() throws {
        let minimal: [String: String] = ["montage": "maps: [dataset.half_map_1]", "compare": "maps: [dataset.half_map_1]", "views": "maps: [dataset.half_map_1]", "sharpen": "resolution: 4",
                                          "density_modify": "solvent_fraction: 0.8", "composite": "maps: [dataset.half_map_1, dataset.half_map_2]",
                                          "truth": "maps: [dataset.half_map_1]"]
        for kind in CellKinds.all {
            let name = kind.kind
            let plan = try PlanParser.parse("""
            dataset: {half_maps: [a.mrc, b.mrc], mask: m.mrc, model: m.pdb, truth: t.mrc, benchmark: r.tsv}
            cells:
              - kind: \(name)
                \(minimal[name] ?? "")
            """, path: "/tmp/p.yaml")
            let encoded = try JSONSerialization.jsonObject(with: plan.analysisCells[0].parametersJSON) as! [String: Any]
            let documented = Set(kind.options.map(\.key))
            #expect(Set(encoded.keys).isSubset(of: documented), "\(name): \(Set(encoded.keys).subtracting(documented)) undocumented")
            #expect(!kind.summary.isEmpty && kind.options.allSatisfy { !$0.help.isEmpty })
            // An input or report key and a declared parameter never share a key.
            let keys = kind.options.map(\.key)
            #expect(Set(keys).count == keys.count, "\(name): a key is documented twice in \(keys)")
        }
    }

    @Test("outputs are unique per kind and named like identifiers")
    func outputs() {
        for kind in CellKinds.all {
            let names = kind.outputs.map(\.name)
            #expect(Set(names).count == names.count)
            #expect(names.allSatisfy(PlanParser.isIdentifier))
        }
        #expect(Set(CellKinds.names).count == CellKinds.all.count)
    }
}

@Suite("Documented plans")
struct DocumentedPlanTests {
    @Test("the example plan in the README and the demo plan parse")
    func readmeAndDemo() throws {
        let readme = try String(contentsOfFile: SharedData.packageRoot.appendingPathComponent("README.md").path, encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Notebook reports").dropFirst().first)
        let yaml = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first)
        let plan = try PlanParser.parse(yaml, path: "/data/emd_1234.yaml")
        #expect(plan.analysisCells.map(\.kind) == ["fsc", "postprocess", "local_resolution", "sharpen", "montage", "compare"])
        // The demo runs every cell kind that applies to its dataset (half maps, mask, model, sequence).
        let demo = try PlanParser.load(path: SharedData.fixture("demo/plan.yaml"))
        #expect(Set(demo.analysisCells.map(\.kind)) == Set(CellKinds.datasetKinds.map { $0.kind }))
    }
}

@Suite("README")
struct ReadmeTests {
    @Test("the quick start comes first, the reports before the algorithms, and no path leaves the repository")
    func layout() throws {
        let readme = try String(contentsOfFile: SharedData.packageRoot.appendingPathComponent("README.md").path, encoding: .utf8)
        let headings = readme.split(separator: "\n").filter { $0.hasPrefix("## ") }.map(String.init)
        #expect(headings.first == "## Quick start: your own dataset")
        let reports = try #require(headings.firstIndex(of: "## Notebook reports"))
        for algorithm in ["## Automatic sharpening", "## Density modification", "## Local sharpening (LocalDeblur)"] {
            #expect(try #require(headings.firstIndex(of: algorithm)) > reports, "\(algorithm) comes before the reports")
        }
        for bad in ["../", "/work/", "/root/", "/home/"] {
            #expect(!readme.contains(bad), "the README names a path outside the repository (\(bad))")
        }
    }
}
