import Testing
@testable import DensityModification

@Suite("Solvent fraction")
struct SolventFractionTests {
    @Test("300 residues in a 100 Å cube: 40 590 Å³, f_s = 0.959")
    func workedExample() throws {
        let f = try SolventFraction.fromSequence(">A\n" + String(repeating: "M", count: 300), boxVolume: 1e6)
        #expect(abs(f.value - 0.95941) < 1e-4)
        #expect(!f.clamped)
    }

    @Test("nucleic acid counts 330 Da × 1.15 Å³/Da per nucleotide; clamps are flagged")
    func nucleicAndClamps() throws {
        let rna = try SolventFraction.fromSequence(">R\nACGUACGUAC", boxVolume: 1e5)
        #expect(abs(rna.value - (1 - 10 * 330 * 1.15 / 1e5)) < 1e-9)
        let tooBig = try SolventFraction.fromSequence(">A\n" + String(repeating: "W", count: 1000), copies: 10, boxVolume: 1e5)
        #expect(tooBig.clamped && tooBig.value == 0.001)
        let mass = try SolventFraction.fromMolecularMass(64_000, boxVolume: 285_660)
        #expect(abs(mass.value - (1 - 1.23 * 64_000 / 285_660)) < 1e-9)
        #expect(throws: (any Error).self) { try SolventFraction.fromSequence("\n\n", boxVolume: 1e5) }
    }
}
