import Foundation
import Testing
import MapModel
@testable import Symmetry

@Suite("Symmetry expansion of atomic models")
struct SymmetryExpansionTests {
    static func atom(_ chain: String, _ p: SIMD3<Double>) -> Atom {
        Atom(name: "CA", element: .carbon, position: p, bFactor: 20, residueName: "ALA", residueNumber: 1, chainID: chain)
    }

    @Test("every operator applied about the centre, copy by copy, identity first")
    func positions() throws {
        let centre = SIMD3<Double>(50, 40, 30)
        let model = AtomicModel(atoms: [Self.atom("A", SIMD3(60, 40, 30)), Self.atom("B", SIMD3(50, 45, 33))])
        let d3 = try PointGroup("D3")
        let out = model.symmetryExpanded(by: d3, about: centre)
        #expect(out.atoms.count == 12)
        #expect(Array(out.atoms.prefix(2)) == model.atoms)
        for (k, r) in d3.operators.enumerated() {
            for j in 0..<2 {
                let expected = r * (model.atoms[j].position - centre) + centre
                let d = out.atoms[2 * k + j].position - expected
                #expect((d * d).sum() < 1e-20)
            }
        }
        // A 3-fold about z through the centre: the first copy of A's atom is 120° round.
        let second = out.atoms[2].position - centre
        #expect(abs(second.x - 10 * cos(2 * .pi / 3)) < 1e-9 && abs(second.y - 10 * sin(2 * .pi / 3)) < 1e-9)
    }

    @Test("chain IDs are unique per copy: single letters while they last, then suffixes")
    func chainIDs() throws {
        let model = AtomicModel(atoms: [Self.atom("A", .zero), Self.atom("A", .zero), Self.atom("C", .zero)])
        let out = model.symmetryExpanded(by: try PointGroup("C3"), about: .zero)
        #expect(out.atoms.map(\.chainID) == ["A", "A", "C", "B", "B", "D", "E", "E", "F"])
        let big = SymmetryExpansion.chainIDs(["A", "B"], copies: 60)
        #expect(big[0] == ["A", "B"] && big[1] == ["A2", "B2"] && big[59] == ["A60", "B60"])
        #expect(Set(big.joined()).count == 120)
        let clash = SymmetryExpansion.chainIDs(["A", "A2"], copies: 40)
        #expect(Set(clash.joined()).count == 80)
        #expect(clash[1] == ["A2_1", "A22"])
    }
}
