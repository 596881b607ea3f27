import Foundation
import Testing
import TestSupport
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps
import ModelRefinement
import Simulation
@testable import DensityModification

/// Refinement of randomised haemoglobin models against one simulated noisy half map (4 Å), and
/// the ensembles made of them.
@Suite("Model ensembles refined against one simulated half map", .serialized)
struct ModelEnsembleTests {
    /// `model` with every atom moved at random, `rms` Å in 3-D.
    static func randomised(_ model: AtomicModel, rms: Double, seed: UInt64) -> AtomicModel {
        var rng = SeededGenerator(seed: seed)
        var out = model
        let sigma = rms / 3.0.squareRoot()
        for i in out.atoms.indices {
            out.atoms[i].position += SIMD3(rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()) * sigma
        }
        return out
    }

    static func rms(_ a: AtomicModel, _ b: AtomicModel) -> Double {
        RealSpaceRefinement.rmsDistance(a.atoms.map(\.position), b.atoms.map(\.position))
    }

    @Test("coordinates randomised by 0.8 Å come closer to the truth, with sensible bonds")
    func randomisedComesCloser() throws {
        guard let (data, _) = SimulatedHaemoglobin.dataset else { return }
        let truth = data.model
        let geometry = ModelGeometry.inferred(from: truth)
        let start = Self.randomised(truth, rms: 0.8, seed: 11)
        let clock = ContinuousClock.now
        let r = try RealSpaceRefinement.refine(start, map: data.half1, resolution: 4, geometry: geometry)
        let elapsed = ContinuousClock.now - clock
        let before = Self.rms(start, truth), after = Self.rms(r.model, truth)
        let bonds = geometry.deviation(r.model.atoms.map(\.position))
        let angles = geometry.deviation(r.model.atoms.map(\.position), bonds: false)
        print(String(format: "randomised: %.3f Å from the truth → %.3f Å after refinement against half 1 (%d steps, %@); bonds %.3f → %.4f Å rms (max %.3f), 1–3 %.4f Å rms (max %.3f)",
                     before, after, r.coordinates?.steps ?? 0, "\(elapsed)", r.bondDeviationBefore, bonds.rms, bonds.max, angles.rms, angles.max))
        // For comparison: the geometry restraints alone (no map), and the noise-free map.
        var geometryOnly = RealSpaceRefinementParameters()
        geometryOnly.weights.map = 0
        let restrained = try RealSpaceRefinement.refine(start, map: data.half1, resolution: 4, geometry: geometry, parameters: geometryOnly)
        let clean = try RealSpaceRefinement.refine(start, map: data.truth, resolution: 4, geometry: geometry)
        print(String(format: "  the same start with the geometry alone: %.3f Å; against the noise-free map: %.3f Å", Self.rms(restrained.model, truth), Self.rms(clean.model, truth)))
        #expect(abs(before - 0.8) < 0.05)
        #expect(after < before - 0.1)
        #expect(bonds.rms < 0.03)
        #expect(bonds.max < 0.25)
        #expect(angles.rms < 0.08)
    }

    @Test("ensemble: members, shifts and correlations reported; the same seed gives the same ensemble")
    func ensemble() throws {
        guard let (data, _) = SimulatedHaemoglobin.dataset else { return }
        var p = ModelEnsembleParameters()
        p.members = 3
        let clock = ContinuousClock.now
        // Both builds under the lock: no other test may change the thread count (and so the
        // FFT plans) between them.
        let (a, again) = try ThreadCountLock.exclusive {
            (try ModelEnsemble.build(model: data.model, half: data.half1, resolution: 4, halfMap: 1, parameters: p),
             try ModelEnsemble.build(model: data.model, half: data.half1, resolution: 4, halfMap: 1, parameters: p))
        }
        let elapsed = ContinuousClock.now - clock
        let s = a.summary
        print(String(format: "ensemble of %d (%@): supplied model CC %.4f, ensemble CC %.4f, spread %.3f Å, B %.1f Å²",
                     s.members.count, "\(elapsed)", s.suppliedCorrelation, s.ensembleCorrelation, s.spread, s.overallB))
        for m in s.members {
            print(String(format: "  member %d: randomised %.3f Å, %.3f Å from the supplied model after refinement (moved %.3f Å, %d steps); bonds %.3f → %.4f Å; CC %.4f → %.4f",
                         m.member, m.randomisation, m.shiftFromStart, m.refinementShift, m.coordinateSteps, m.bondDeviationBefore, m.bondDeviationAfter,
                         m.correlationBefore, m.correlationAfter))
            #expect(m.correlationAfter > m.correlationBefore)
            #expect(m.shiftFromStart < m.randomisation)
            #expect(abs(m.randomisation - 0.8) < 0.05)
        }
        #expect(s.members.count == 3)
        #expect(Set(s.members.map(\.seed)).count == 3)
        #expect(s.spread > 0.1)
        #expect(again.map == a.map)
        #expect(again.models == a.models)
        let other = try ModelEnsemble.build(model: data.model, half: data.half2, resolution: 4, halfMap: 2, parameters: p)
        #expect(Set(other.summary.members.map(\.seed)).isDisjoint(with: s.members.map(\.seed)))
    }
}
