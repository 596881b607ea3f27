import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps
@testable import ModelRefinement

/// Real-space refinement of haemoglobin (PDB 5ME2) against its own noise-free map at 4 Å.
@Suite("Real-space refinement of 5ME2 against its noise-free map")
struct RealSpaceRefinementTests {
    /// The model, and its map on a 1.5 Å grid around it (69 × 69 × 60 Å), not low-passed: the
    /// refinement low-passes it to the resolution it is given (4 Å in these tests), once.
    static let truth: (model: AtomicModel, map: Volume)? = {
        guard let pdb = SharedData.path("emd_3488/5me2.pdb") else { return nil }
        let model = try! AtomicModelFile.read(path: pdb)
        let v = 1.5
        let size = SIMD3(46, 46, 40)
        let half = SIMD3(Double(size.x / 2), Double(size.y / 2), Double(size.z / 2)) * v
        let first = ((model.boxCentre - half) / v).rounded(.toNearestOrEven) * v
        let grid = VoxelGrid(size: size, voxelSize: SIMD3(repeating: v), origin: first)
        return (model, try! ModelMap.density(of: model, on: grid))
    }()

    /// `model` rotated by `degrees` about `axis` through its centre, then moved by `shift`.
    static func moved(_ model: AtomicModel, degrees: Double, axis: SIMD3<Double>, shift: SIMD3<Double>) -> AtomicModel {
        let unit = axis / (axis * axis).sum().squareRoot()
        let r = Matrix3.rotation(unit * degrees * .pi / 180)
        let c = model.boxCentre
        var out = model
        for i in out.atoms.indices { out.atoms[i].position = c + r * (out.atoms[i].position - c) + shift }
        return out
    }

    static func rms(_ a: AtomicModel, _ b: AtomicModel) -> Double {
        RealSpaceRefinement.rmsDistance(a.atoms.map(\.position), b.atoms.map(\.position))
    }

    @Test("a model moved by 1.5 Å and turned by 3° is brought back (rms to the truth < 0.3 Å)")
    func rigidShiftRecovered() throws {
        guard let (model, map) = Self.truth else { return }
        let shift = SIMD3(1.0, -1.0, 0.5) / SIMD3(1.0, -1.0, 0.5).length() * 1.5
        let start = Self.moved(model, degrees: 3, axis: SIMD3(1, 2, -1), shift: shift)
        let clock = ContinuousClock.now
        var rigidOnly = RealSpaceRefinementParameters()
        rigidOnly.coordinateSteps = 0
        let rigid = try RealSpaceRefinement.refine(start, map: map, resolution: 4, parameters: rigidOnly)
        let full = try RealSpaceRefinement.refine(start, map: map, resolution: 4)
        let elapsed = ContinuousClock.now - clock
        print(String(format: "rigid shift: start %.3f Å from the truth; rigid body %.3f Å; rigid body + coordinates %.3f Å (bonds %.4f → %.4f Å rms, %d L-BFGS steps); %@ for both",
                     Self.rms(start, model), Self.rms(rigid.model, model), Self.rms(full.model, model),
                     full.bondDeviationBefore, full.bondDeviationAfter, full.coordinates?.steps ?? 0, "\(elapsed)"))
        for m in full.rigidBody { print("  chain \(m.group): \(m.atoms) atoms, \(String(format: "%.3f Å, %.3f°", m.translation, m.rotationDegrees)), \(m.steps) steps") }
        #expect(Self.rms(start, model) > 1.5)
        #expect(Self.rms(rigid.model, model) < 0.3)
        #expect(Self.rms(full.model, model) < 0.3)
        #expect(full.bondDeviationAfter < 0.02)
    }

    @Test("the true model stays where it is (coordinate refinement adds < 0.15 Å rms)")
    func truthIsStable() throws {
        guard let (model, map) = Self.truth else { return }
        let r = try RealSpaceRefinement.refine(model, map: map, resolution: 4)
        print(String(format: "true model refined against its own 4 Å map: moved %.3f Å rms; bonds %.4f Å rms; map value at atoms %.3f → %.3f sd",
                     r.rmsShift, r.bondDeviationAfter, r.coordinates?.mapValueBefore ?? .nan, r.coordinates?.mapValueAfter ?? .nan))
        for m in r.macroCycles { print(String(format: "  macro-cycle: CC %.5f, B %.2f Å², scale %.4f", m.correlation, m.overallB, m.scale)) }
        var simple = RealSpaceRefinementParameters()
        simple.target = .mapValue
        simple.macroCycles = 1
        simple.coordinateSteps = 100
        let naive = try RealSpaceRefinement.refine(model, map: map, resolution: 4, parameters: simple)
        print(String(format: "the same with the map-value target: moved %.3f Å rms", naive.rmsShift))
        #expect(r.rmsShift < 0.15)
    }

    @Test("inferred geometry: bonds and 1–3 distances of a protein")
    func geometry() throws {
        guard let (model, _) = Self.truth else { return }
        let g = ModelGeometry.inferred(from: model)
        print("5me2: \(model.atoms.count) atoms, \(g.bondCount) bonds, \(g.angleCount) 1–3 distances")
        // About one bond per heavy atom in a protein, and about 1.4 1–3 distances per atom.
        #expect(Double(g.bondCount) > 0.95 * Double(model.atoms.count) && Double(g.bondCount) < 1.15 * Double(model.atoms.count))
        #expect(g.angleCount > g.bondCount)
        #expect(g.deviation(model.atoms.map(\.position)).max == 0)
        #expect(g.length.allSatisfy { $0 > 0.9 && $0 < 3.2 })
    }

    @Test("overall B: a model map blurred by 60 Å² is matched by B ≈ 60")
    func overallB() throws {
        guard let (model, map) = Self.truth else { return }
        let sharp = try ModelMap.density(of: model, on: map.grid)
        let blurred = try ModelMap.density(of: model, on: map.grid, parameters: ModelMapParameters(extraBFactor: 60))
        let shells = FourierShells(grid: map.grid)
        let fit = RealSpaceRefinement.overallB(model: FFT.forward(sharp), map: FFT.forward(blurred), shells: shells, resolution: 4)
        print(String(format: "fitted B %.1f Å², CC %.5f", fit.bFactor, fit.correlation))
        #expect(abs(fit.bFactor - 60) < 5)
        #expect(fit.correlation > 0.99)   // not 1: the sharp atoms alias on the 1.5 Å grid
    }

    @Test("rotation matrices and their solve")
    func matrices() {
        let r = Matrix3.rotation(SIMD3(0, 0, Double.pi / 2))
        let v = r * SIMD3(1, 0, 0)
        #expect(abs(v.x) < 1e-12 && abs(v.y - 1) < 1e-12)
        #expect(abs(r.rotationAngle - .pi / 2) < 1e-12)
        let m = Matrix3(SIMD3(2, 1, 0), SIMD3(1, 3, 1), SIMD3(0, 1, 4))
        let x = m.solve(SIMD3(1, 2, 3))!
        let back = m * x
        #expect(abs(back.x - 1) < 1e-12 && abs(back.y - 2) < 1e-12 && abs(back.z - 3) < 1e-12)
    }
}

private extension SIMD3 where Scalar == Double {
    func length() -> Double { (self * self).sum().squareRoot() }
}
