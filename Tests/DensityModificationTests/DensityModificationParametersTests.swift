import Foundation
import MapbookCore
import MapModel
import Testing
@testable import DensityModification

@Suite("density modification's declared parameters")
struct DensityModificationParametersTests {
    @Test("the declared keys are density_modify's own: the final sharpening's and the refinement's stay internal")
    func keys() {
        let keys = DensityModificationParameters.declarations.map(\.key)
        #expect(keys == ["resolution", "cycles", "molecule", "symmetry", "copies", "solvent_fraction", "molecular_mass", "model_members", "model_randomisation", "model_seed"], "\(keys)")
        #expect(Set(keys).count == keys.count)
    }

    @Test("defaults are unchanged, and written values make the same set")
    func defaults() throws {
        let p = DensityModificationParameters()
        #expect(p.cycles == 3 && p.resolution == nil && p.molecule == .none && p.symmetry == nil && p.symmetrySymbol == "C1")
        #expect(p.model.members == 5 && p.model.randomisation == 0.8 && p.model.seed == 1)
        #expect(p.minimumImprovement == 0.005 && p.mixtureComponents == 2 && p.maskEdgeVoxels == 4 && p.availableMemory == nil)
        #expect(p.finalSharpening == .init() && p.finalSharpening.fscWeighting)
        let q = try DensityModificationParameters(parameterTexts: ["cycles": "1", "molecule": "expectation", "symmetry": "D2",
                                                                   "model_members": "2", "model_randomisation": "0.5", "model_seed": "4",
                                                                   "resolution": "4.5"])
        #expect(q.cycles == 1 && q.molecule == .expectation && q.symmetry == "D2" && q.resolution == 4.5)
        #expect(q.model.members == 2 && q.model.randomisation == 0.5 && q.model.seed == 4)
        #expect(q.finalSharpening == p.finalSharpening && q.model.refinement == p.model.refinement && q.availableMemory == nil)
    }

    @Test("bad values are problems naming the key, never a flag")
    func neutralErrors() throws {
        let cases: [([String: String], String)] = [
            (["cycles": "0"], "cycles"), (["model_members": "0"], "model_members"), (["model_randomisation": "6"], "model_randomisation"),
            (["resolution": "-1"], "resolution"), (["symmetry": "X7"], "symmetry"), (["molecule": "guess"], "molecule"),
            (["bfactor": "-50"], "bfactor"),
        ]
        for (texts, key) in cases {
            #expect { try DensityModificationParameters(parameterTexts: texts) } throws: { e in
                guard let p = e as? ParameterProblem else { return false }
                return p.key == key && !"\(p)".contains("--")
            }
        }
        // The library's own checks of values given in code are neutral too.
        var p = DensityModificationParameters()
        p.cycles = 0
        #expect { try DensityModification.checkInputs(Volume(grid: VoxelGrid(cube: 8, voxel: 1)),
                                                      Volume(grid: VoxelGrid(cube: 8, voxel: 1)),
                                                      mask: nil, model: nil, names: ("a", "b"), parameters: p) }
            throws: { ($0 as? ParameterProblem)?.key == "cycles" && !"\($0)".contains("--") }
        #expect { try SolventFraction.given(1.5) } throws: { ($0 as? ParameterProblem)?.key == "solvent_fraction" && !"\($0)".contains("--") }
        #expect { try SolventFraction.fromMolecularMass(-5, boxVolume: 1e5) } throws: { ($0 as? ParameterProblem)?.key == "molecular_mass" && !"\($0)".contains("--") }
    }

    @Test("the plan-keyed encoding reads back")
    func roundTrip() throws {
        var p = DensityModificationParameters()
        p.cycles = 2; p.symmetry = "C4"; p.model.seed = 9
        struct Box: Codable {
            var p: DensityModificationParameters
            init(_ p: DensityModificationParameters) { self.p = p }
            init(from decoder: Decoder) throws { p = try DensityModificationParameters(planKeyedFrom: decoder) }
            func encode(to encoder: Encoder) throws { try p.encodeParameters(to: encoder) }
        }
        let data = try JSONEncoder().encode(Box(p))
        let back = try JSONDecoder().decode(Box.self, from: data).p
        #expect(back == p)
        let report = try JSONEncoder().encode(p)
        let again = try JSONDecoder().decode(DensityModificationParameters.self, from: report)
        #expect(again == p)
    }
}
