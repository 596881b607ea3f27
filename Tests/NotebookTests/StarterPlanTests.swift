import Foundation
import Testing
import MapbookCore
import TestSupport
@testable import Notebook

@Suite("Starter plan and cell documentation")
struct StarterPlanTests {
    @Test("the starter plan parses, and lists every kind and every option")
    func starterPlan() throws {
        let text = StarterPlan.text(.init(name: "emd_1234", halfMaps: ["maps/h1.mrc", "maps/h2.mrc"], mask: "maps/mask.mrc", symmetry: "C4"))
        let plan = try PlanParser.parse(text, path: "/tmp/emd_1234.yaml")
        #expect(plan.dataset.mask == "maps/mask.mrc" && plan.dataset.symmetryOrder == 4)
        #expect(Set(plan.analysisCells.map(\.kind)) == Set(StarterPlan.activeKinds))
        for kind in CellRegistry.kinds {
            #expect(text.contains("- kind: \(kind.kind)"), "\(kind.kind) missing")
            for o in kind.options {
                #expect(text.contains(" \(o.key): "), "\(kind.kind).\(o.key) missing from the starter plan")
            }
        }
        // Without a mask the mask lines stay commented and the plan still parses.
        _ = try PlanParser.parse(StarterPlan.text(.init(name: "x", halfMaps: ["a.mrc", "b.mrc"])), path: "/tmp/x.yaml")
    }

    @Test("each kind documents exactly the keys it decodes and encodes")
    func optionsMatchCodingKeys() throws {
        let minimal: [String: String] = ["montage": "maps: [dataset.half_map_1]", "compare": "maps: [dataset.half_map_1]"]
        for kind in CellRegistry.kinds {
            let name = kind.kind
            let plan = try PlanParser.parse("""
            dataset: {half_maps: [a.mrc, b.mrc], mask: m.mrc}
            cells:
              - kind: \(name)
                \(minimal[name] ?? "")
            """, path: "/tmp/p.yaml")
            let encoded = try JSONSerialization.jsonObject(with: plan.analysisCells[0].parametersJSON) as! [String: Any]
            let documented = Set(kind.options.map(\.key))
            #expect(Set(encoded.keys).isSubset(of: documented), "\(name): \(Set(encoded.keys).subtracting(documented)) undocumented")
            #expect(!kind.summary.isEmpty && kind.options.allSatisfy { !$0.help.isEmpty })
        }
    }

    @Test("outputs are unique per kind and named like identifiers")
    func outputs() {
        for kind in CellRegistry.kinds {
            let names = kind.outputs.map(\.name)
            #expect(Set(names).count == names.count)
            #expect(names.allSatisfy(PlanParser.isIdentifier))
        }
        #expect(Set(CellRegistry.names).count == CellRegistry.kinds.count)
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
        #expect(plan.analysisCells.map(\.kind) == ["fsc", "postprocess", "local_resolution", "montage", "compare"])
        let demo = try PlanParser.load(path: SharedData.fixture("demo/plan.yaml"))
        #expect(demo.analysisCells.map(\.kind) == ["fsc", "postprocess", "local_resolution", "montage", "compare"])
    }
}
