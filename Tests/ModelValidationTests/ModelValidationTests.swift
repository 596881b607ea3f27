import Testing
import MapModel
@testable import ModelValidation

@Suite("Model validation: scored atoms and residues")
struct ModelValidationTests {
    static func atom(_ name: String, _ element: ChemicalElement, chain: String, residue: Int, insertion: String = "") -> Atom {
        Atom(name: name, element: element, position: .zero, bFactor: 20, residueName: "ALA", residueNumber: residue, chainID: chain,
             insertionCode: insertion)
    }

    @Test("hydrogens are left out; residues come in chain, number, insertion order with their atoms")
    func scoredAtomsAndResidues() {
        let c = ChemicalElement.carbon, h = ChemicalElement.hydrogen
        let model = AtomicModel(atoms: [Self.atom("CA", c, chain: "B", residue: 1), Self.atom("H", h, chain: "A", residue: 2),
                                        Self.atom("CA", c, chain: "A", residue: 2), Self.atom("CB", c, chain: "A", residue: 2),
                                        Self.atom("CA", c, chain: "A", residue: 2, insertion: "A"), Self.atom("CA", c, chain: "A", residue: -1)])
        let atoms = ModelValidation.scoredAtoms(model)
        #expect(atoms.count == 5 && !atoms.contains { $0.element == h })
        let residues = ModelValidation.residues(atoms)
        #expect(residues.map(\.id.description) == ["A -1 ALA", "A 2 ALA", "A 2A ALA", "B 1 ALA"])
        #expect(residues[1].atoms.map { atoms[$0].name } == ["CA", "CB"])
    }
}
