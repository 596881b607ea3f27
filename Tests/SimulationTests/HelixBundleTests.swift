import Foundation
import Testing
import TestSupport
import MapbookCore
import MapModel
@testable import Simulation

@Suite("Built-in model: a bundle of ideal α-helices")
struct HelixBundleTests {
    let model = try! HelixBundle.make()

    func atom(_ chain: String, _ residue: Int, _ name: String) -> SIMD3<Double> {
        model.atoms.first { $0.chainID == chain && $0.residueNumber == residue && $0.name == name }!.position
    }

    func distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }

    @Test("ideal geometry: bond lengths, α-helical φ/ψ, backbone hydrogen bonds, L-amino acids")
    func geometry() {
        for chain in ["A", "C"] {
            for r in 2..<23 {
                #expect(abs(distance(atom(chain, r, "N"), atom(chain, r, "CA")) - 1.458) < 1e-3)
                #expect(abs(distance(atom(chain, r, "CA"), atom(chain, r, "C")) - 1.525) < 1e-3)
                #expect(abs(distance(atom(chain, r, "C"), atom(chain, r + 1, "N")) - 1.329) < 1e-3)
                #expect(abs(distance(atom(chain, r, "C"), atom(chain, r, "O")) - 1.231) < 1e-3)
                let phi = IdealPeptide.dihedral(atom(chain, r - 1, "C"), atom(chain, r, "N"), atom(chain, r, "CA"), atom(chain, r, "C"))
                let psi = IdealPeptide.dihedral(atom(chain, r, "N"), atom(chain, r, "CA"), atom(chain, r, "C"), atom(chain, r + 1, "N"))
                #expect(abs(phi + 57) < 0.05 && abs(psi + 47) < 0.05)
                // The i → i+4 hydrogen bond of an α-helix.
                if r + 4 <= 24 { #expect(abs(distance(atom(chain, r, "O"), atom(chain, r + 4, "N")) - 3.1) < 0.15) }
                // L-chirality: C–N–CA–CB ≈ −123°.
                if model.atoms.contains(where: { $0.chainID == chain && $0.residueNumber == r && $0.name == "CB" }) {
                    let chi = IdealPeptide.dihedral(atom(chain, r, "C"), atom(chain, r, "N"), atom(chain, r, "CA"), atom(chain, r, "CB"))
                    #expect(abs(chi + 122.7) < 0.05)
                }
            }
        }
        // About 3.6 residues a turn and 1.5 Å of rise per residue along the axis (z).
        let rise = (atom("A", 21, "CA").z - atom("A", 3, "CA").z) / 18
        #expect(rise > 1.45 && rise < 1.6, "rise \(rise) Å per residue")
        let ca = (1...24).map { atom("A", $0, "CA") }
        let centre = ca.reduce(SIMD3<Double>.zero, +) / 24
        let turn = (2..<22).map { i -> Double in
            let a = atan2(ca[i].y - centre.y, ca[i].x - centre.x), b = atan2(ca[i + 1].y - centre.y, ca[i + 1].x - centre.x)
            return (b - a + 4 * .pi).truncatingRemainder(dividingBy: 2 * .pi) * 180 / .pi
        }
        let meanTurn = turn.reduce(0, +) / Double(turn.count)
        #expect(meanTurn > 97 && meanTurn < 103, "\(meanTurn)° per residue")
    }

    @Test("protein-like: four chains, side chains, no clashes, B-factors from core to surface")
    func composition() {
        #expect(Set(model.atoms.map(\.chainID)) == ["A", "B", "C", "D"])
        #expect(model.atoms.count == 780)
        let counts = model.elementCounts
        #expect(counts[.sulfur, default: 0] > 0 && counts[.nitrogen, default: 0] > 100 && counts[.oxygen, default: 0] > 100)
        let residues = Set(model.atoms.map(\.residueName))
        #expect(residues.isSuperset(of: ["LEU", "GLU", "LYS", "ALA", "PHE", "SER", "MET"]))
        // No two atoms of different residues closer than 2.8 Å, apart from the peptide bond
        // and the main-chain atoms of neighbours, which are chemically bonded or 1–3/1–4 pairs.
        var closest = Double.infinity
        for (i, a) in model.atoms.enumerated() {
            for b in model.atoms[(i + 1)...] where a.chainID != b.chainID || abs(a.residueNumber - b.residueNumber) > 1 {
                if a.name == "O" && b.name == "N" || a.name == "N" && b.name == "O" { continue } // hydrogen bonds
                closest = min(closest, distance(a.position, b.position))
            }
        }
        print(String(format: "built-in model: %d atoms, closest non-bonded contact %.2f Å, B %.1f–%.1f Å²",
                     model.atoms.count, closest, model.atoms.map(\.bFactor).min()!, model.atoms.map(\.bFactor).max()!))
        #expect(closest >= 2.95)
        let bs = model.atoms.map(\.bFactor)
        #expect(bs.min()! >= 20 && bs.max()! <= 55)
        let backbone = model.atoms.filter { ["N", "CA", "C"].contains($0.name) }.map(\.bFactor).reduce(0, +) / Double(4 * 24 * 3)
        let ends = model.atoms.filter { ["NZ", "OE1", "OE2"].contains($0.name) }.map(\.bFactor)
        #expect(ends.reduce(0, +) / Double(ends.count) > backbone + 5)
        // Centred on the origin.
        #expect(abs(model.boxCentre).max() < 1e-9)
    }

    @Test("written as PDB and read back, the model is the same")
    func pdbRoundTrip() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        var rounded = model
        for i in rounded.atoms.indices { rounded.atoms[i].position = (rounded.atoms[i].position * 1000).rounded(.toNearestOrEven) / 1000 }
        try AtomicModelFile.writePDB(rounded, to: tmp.file("bundle.pdb"))
        let back = try AtomicModelFile.read(path: tmp.file("bundle.pdb"))
        #expect(back.atoms == rounded.atoms)
    }

    @Test("other sizes: one helix, six helices, long helices")
    func sizes() throws {
        var p = HelixBundleParameters()
        p.helices = 1
        #expect(try HelixBundle.make(p).atoms.count == 195)
        p.helices = 6
        p.residuesPerHelix = 40
        let six = try HelixBundle.make(p)
        #expect(Set(six.atoms.map(\.chainID)).count == 6)
        p.helices = 13
        #expect { try HelixBundle.make(p) } throws: { ($0 as? ParameterProblem)?.key == "helices" }
    }
}

/// |v| component by component.
func abs(_ v: SIMD3<Double>) -> SIMD3<Double> { SIMD3(Swift.abs(v.x), Swift.abs(v.y), Swift.abs(v.z)) }
