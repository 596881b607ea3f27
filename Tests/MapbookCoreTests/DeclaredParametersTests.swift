import Foundation
import Testing
@testable import MapbookCore

/// A group of parameters several sets share.
private struct GroupParameters: DeclaredParameters {
    @Parameter("edge", .nonNegative, unit: "voxels", "soft edge width") var edge = 6.0
    init() {}
}

private enum Weighting: String, ParameterChoice { case none, fsc, half_bit }

/// A set using every kind of value.
private struct ExampleParameters: DeclaredParameters {
    @Parameter("fraction", .open(0, 1), "a fraction", source: "RELION") var fraction = 0.8
    @Parameter("cycles", .atLeast(1), "how many cycles") var cycles = 5
    @Parameter("seed", "seed of the stream") var seed: UInt64 = 0
    @Parameter("enabled", "switch it on") var enabled = true
    @Parameter("highres", .positive, unit: "Å", "a resolution", defaultMeaning: "as far as the data go", inStarterPlan: false) var highres: Double? = nil
    @Parameter("weighting", "how to weight") var weighting = Weighting.fsc
    @Parameter("thresholds", .open(0, 1), "thresholds to read") var thresholds = [0.143, 0.5]
    @Parameter("order", .atLeast(1), "point-group order", scope: .commandLine) var order = 1
    var group = GroupParameters()
    /// Not a parameter: an internal constant that keeps its default.
    var internalEdgeShells = 2.0
    init() {}

    func validateTogether() throws {
        if let h = highres, h > 50 { throw ParameterProblem(key: "highres", value: h.parameterText, "must be finer than 50 Å") }
    }
}

@Suite("Declared parameters")
struct DeclaredParametersTests {
    @Test func declarationsListEveryParameterInOrderWithDefaultsFromTheProperties() {
        let specs = ExampleParameters.declarations
        #expect(specs.map(\.key) == ["fraction", "cycles", "seed", "enabled", "highres", "weighting", "thresholds", "order", "edge"])
        #expect(specs[0].defaultText == "0.8")
        #expect(specs[1].defaultText == "5")
        #expect(specs[3].isSwitch && specs[3].defaultText == "true")
        #expect(specs[4].defaultText == "none" && specs[4].defaultSummary == "as far as the data go" && !specs[4].inStarterPlan)
        #expect(specs[5].valueDescription == "one of none, fsc, half_bit")
        #expect(specs[6].defaultText == "0.143, 0.5")
        #expect(specs[8].unit == "voxels" && specs[8].defaultText == "6")
        #expect(ExampleParameters.declaration("order")?.scope == .commandLine)
    }

    @Test func textsSetValuesAndLeaveTheRestAtDefaults() throws {
        let p = try ExampleParameters(parameterTexts: ["fraction": "0.5", "seed": "7", "enabled": "false", "highres": "3.2",
                                                       "weighting": "half_bit", "thresholds": "0.2, 0.3", "edge": "4"])
        #expect(p.fraction == 0.5 && p.seed == 7 && !p.enabled && p.highres == 3.2)
        #expect(p.weighting == .half_bit && p.thresholds == [0.2, 0.3] && p.group.edge == 4)
        #expect(p.cycles == 5 && p.internalEdgeShells == 2)
        #expect(p.parameterTexts["fraction"] == "0.5" && p.parameterTexts["edge"] == "4" && p.parameterTexts["highres"] == "3.2")
        // Written values read back to the same set.
        let again = try ExampleParameters(parameterTexts: p.parameterTexts)
        #expect(again.parameterTexts == p.parameterTexts)
    }

    @Test func badTextNamesTheKeyTheValueAndWhatWasExpected() {
        let cases: [([String: String], String, String)] = [
            (["fraction": "abc"], "fraction", "is not a number"),
            (["fraction": "nan"], "fraction", "is not a number"),
            (["fraction": "1.5"], "fraction", "must lie strictly between 0 and 1"),
            (["cycles": "0"], "cycles", "must be at least 1"),
            (["cycles": "2.5"], "cycles", "is not a whole number"),
            (["seed": "-1"], "seed", "is not a whole number ≥ 0"),
            (["enabled": "yes"], "enabled", "is not true or false"),
            (["weighting": "fast"], "weighting", "is not one of none, fsc, half_bit"),
            (["thresholds": "0.1, 2"], "thresholds", "must lie strictly between 0 and 1"),
            (["edge": "-1"], "edge", "must not be negative"),
            (["highres": "80"], "highres", "must be finer than 50 Å"),
            (["colour": "red"], "colour", "is not a parameter here"),
        ]
        for (texts, key, reason) in cases {
            do {
                _ = try ExampleParameters(parameterTexts: texts)
                Issue.record("\(texts) was accepted")
            } catch let p as ParameterProblem {
                #expect(p.key == key)
                #expect(p.reason.hasPrefix(reason), "\(p)")
                #expect(!p.description.contains("--"), "a library error names no flag: \(p)")
            } catch { Issue.record("\(error)") }
        }
    }

    @Test func rangesCheckEveryElementOfAList() {
        var p = ExampleParameters()
        p.thresholds = [0.143, 1.2]
        #expect(throws: ParameterProblem.self) { try p.validate() }
    }

    @Test func jsonRoundTripKeepsValuesAndDeclarationsComeFromTheType() throws {
        var p = ExampleParameters()
        p.fraction = 0.3; p.highres = 4; p.group.edge = 2
        let data = try JSONEncoder().encode(p)
        let back = try JSONDecoder().decode(ExampleParameters.self, from: data)
        #expect(back.parameterTexts == p.parameterTexts)
        #expect(throws: ParameterProblem.self) {
            var bad = back; bad.cycles = 0; try bad.validate()
        }
    }

    @Test func planKeyedEncodingWritesEachKeyOnce() throws {
        struct Holder: Encodable {
            var p: ExampleParameters
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: ParameterKey.self)
                try c.encode("x", forKey: ParameterKey("input"))
                try p.encodeParameters(to: encoder)
            }
        }
        let e = JSONEncoder(); e.outputFormatting = .sortedKeys
        let text = String(decoding: try e.encode(Holder(p: ExampleParameters())), as: UTF8.self)
        #expect(text.contains("\"input\":\"x\""))
        #expect(text.contains("\"fraction\":0.8") && text.contains("\"edge\":6") && text.contains("\"weighting\":\"fsc\""))
        #expect(!text.contains("internalEdgeShells"))
    }

    @Test func tablesShowEveryDeclaration() {
        let md = ParameterTable.markdown(ExampleParameters.declarations)
        #expect(md.split(separator: "\n").count == 2 + ExampleParameters.declarations.count)
        #expect(md.contains("| `fraction` | a number | 0.8 | 0 < x < 1 |  | a fraction | RELION |"))
        let plain = ParameterTable.plain(ExampleParameters.declarations) { "--" + $0.key }
        #expect(plain.contains("--highres\n      a resolution (Å; default: as far as the data go; range: > 0)"))
    }
}
