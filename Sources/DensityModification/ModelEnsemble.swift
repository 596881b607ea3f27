import Foundation
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps
import ModelRefinement

/// Settings of the model ensemble of model-based density modification.
public struct ModelEnsembleParameters: DeclaredParameters, Equatable {
    /// Members per half map. Default 5: the mean of five members already blurs what the map
    /// does not determine (the spread of 0.8 Å shifts refined back shrinks only where the
    /// density holds the atoms) while costing five refinements and model maps per half.
    @Parameter("model_members", .atLeast(1), "members of each half's model ensemble (used only with a model)",
               inStarterPlan: false)
    public var members = 5
    /// rms (Å, in 3-D) of the random shift given to every atom of a member before it is
    /// refined. Default 0.8 Å: as large as the errors of a model at 3–4 Å, so that regions the
    /// map does not define stay spread out after refinement; bonds are restored by the
    /// restraints (reference lengths from the supplied model).
    @Parameter("model_randomisation", .closed(0, 5), unit: "Å", "rms of the random shifts of each ensemble member's atoms before it is refined",
               inStarterPlan: false)
    public var randomisation = 0.8
    /// Seed of the random shifts; each member and each half map draws its own stream from it.
    @Parameter("model_seed", "seed of the ensemble members' random shifts", inStarterPlan: false)
    public var seed: UInt64 = 1
    /// Fit an overall B to the ensemble map so that its falloff matches the half map's.
    public var fitOverallB = true
    /// How each member is refined.
    public var refinement = RealSpaceRefinementParameters()

    /// The defaults above.
    public init() {}
}

/// An ensemble of models refined against ONE half map, and its mean map.
///
/// Each member is the supplied model with every atom shifted at random (Gaussian, rms
/// `randomisation`), then refined against the half map only: rigid body per chain, then
/// restrained coordinates (restrained to the member's own randomised start and to the supplied
/// model's bond and 1–3 distances). Where the map holds the atoms the members agree; where it
/// does not they stay apart, so the mean of their maps blurs what the data do not determine —
/// this, and using a separate ensemble for each half, is what limits model bias.
public struct ModelEnsemble: Sendable {
    /// One member.
    public struct Member: Sendable, Codable, Equatable {
        /// Member number, from 1.
        public var member: Int
        /// The seed of its random shifts.
        public var seed: UInt64
        /// rms of the random shifts applied, Å.
        public var randomisation: Double
        /// rms distance from the supplied model after refinement, Å.
        public var shiftFromStart: Double
        /// rms movement during refinement (from the randomised start), Å.
        public var refinementShift: Double
        /// rms bond-length deviation from the supplied model's, randomised and refined, Å.
        public var bondDeviationBefore: Double, bondDeviationAfter: Double
        /// Correlation of the member's map with the half map to the resolution, before (randomised)
        /// and after refinement.
        public var correlationBefore: Double, correlationAfter: Double
        /// Each chain's rigid-body motion (coarse, then fine stage).
        public var rigidBody: [RigidBodyRefinement.Motion]
        /// L-BFGS steps of the coordinate refinement.
        public var coordinateSteps: Int
    }

    /// What is reported of an ensemble (no maps).
    public struct Summary: Sendable, Codable, Equatable {
        /// Which half map the ensemble was refined against (1 or 2).
        public var halfMap: Int
        /// Correlation of the supplied model's map with the half map, to the resolution.
        public var suppliedCorrelation: Double
        /// The members.
        public var members: [Member]
        /// Correlation of the ensemble map with the half map, to the resolution.
        public var ensembleCorrelation: Double
        /// Overall B applied to the ensemble map (Å²; 0 when not fitted).
        public var overallB: Double
        /// rms spread of the members' atoms about their mean position, Å.
        public var spread: Double
        /// Seconds spent.
        public var seconds: Double
    }

    /// The mean of the members' model maps (overall B applied when fitted), on the half map's grid.
    public var map: Volume
    /// The Fourier transform of `map` (computed on the way; callers need not transform again).
    public var spectrum: HalfSpectrum
    /// The numbers.
    public var summary: Summary
    /// The refined members (same atoms as the supplied model, new coordinates).
    public var models: [AtomicModel]

    /// Builds the ensemble of `model` against `half` at resolution `d` Å. `spectrum` is the half
    /// map's Fourier transform when already at hand; `halfMap` labels the report (1 or 2).
    ///
    /// Cost per member: two model maps (randomised and refined, for the correlations) and their
    /// FFTs, and the refinement (small); plus, once, the inverse FFTs of the smoothed half maps
    /// the refinement samples. Peak memory: the half map's spectrum and a copy, the ensemble's
    /// sum, one member's map and its spectrum, and the smoothed maps around the model.
    public static func build(model: AtomicModel, half: Volume, spectrum given: HalfSpectrum? = nil, resolution d: Double,
                             halfMap: Int = 1, parameters p: ModelEnsembleParameters = ModelEnsembleParameters(),
                             progress: ProgressReporter = .silent) throws -> ModelEnsemble {
        guard p.members >= 1 else { throw MapbookError("the model ensemble needs at least one member, got \(p.members)") }
        guard p.randomisation >= 0, p.randomisation.isFinite else { throw MapbookError("the randomisation rms must be 0 or more Å, got \(p.randomisation)") }
        guard !model.atoms.isEmpty else { throw MapbookError("the model has no atoms") }
        let clock = ContinuousClock.now
        let grid = half.grid
        let shells = FourierShells(grid: grid)
        let O = given ?? FFT.forward(half)
        let bounds = model.bounds
        // Room for the random shifts (3 sd) as well as the refinement's own margin.
        var rp = p.refinement
        rp.margin += 3 * p.randomisation
        let maps = try RealSpaceRefinement.Maps(spectrum: O, shells: shells, resolution: d, lower: bounds.min, upper: bounds.max, parameters: rp)
        let geometry = ModelGeometry.inferred(from: model, bondCutoff: p.refinement.bondCutoff)
        let supplied = RealSpaceRefinement.correlation(FFT.forward(try ModelMap.density(of: model, on: grid)), O, shells: shells, resolution: d)
        let original = model.atoms.map(\.position)

        var streams = SeededGenerator(seed: p.seed)
        // Each half draws from its own stream: the two ensembles share no random shifts.
        var seeds: [UInt64] = []
        for _ in 0..<(2 * p.members) { seeds.append(streams.next()) }
        let memberSeeds = Array(seeds[(halfMap == 2 ? p.members : 0)..<(halfMap == 2 ? 2 * p.members : p.members)])

        var sum = Volume(grid: grid)
        var members: [Member] = [], models: [AtomicModel] = []
        var mean = [SIMD3<Double>](repeating: .zero, count: model.atoms.count)
        let sigma = p.randomisation / 3.0.squareRoot()
        for (k, seed) in memberSeeds.enumerated() {
            progress.step(String(format: "Model ensemble for half map %d: member %d of %d (shifts %.2f Å rms), refinement", halfMap, k + 1, p.members, p.randomisation))
            var rng = SeededGenerator(seed: seed)
            var start = model
            for i in start.atoms.indices {
                start.atoms[i].position += SIMD3(rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()) * sigma
            }
            let startPositions = start.atoms.map(\.position)
            let before = RealSpaceRefinement.correlation(FFT.forward(try ModelMap.density(of: start, on: grid)), O, shells: shells, resolution: d)
            let refined = try RealSpaceRefinement.refine(start, maps: maps, geometry: geometry, parameters: p.refinement)
            let positions = refined.model.atoms.map(\.position)
            let memberMap = try ModelMap.density(of: refined.model, on: grid)
            let after = RealSpaceRefinement.correlation(FFT.forward(memberMap), O, shells: shells, resolution: d)
            sum.voxels.withUnsafeMutableBufferPointer { s in
                memberMap.voxels.withUnsafeBufferPointer { m in
                    Parallelism.forEachRange(s.count, minimumPerChunk: 1 << 16) { _, r in for i in r { s[i] += m[i] } }
                }
            }
            for i in positions.indices { mean[i] += positions[i] }
            members.append(Member(member: k + 1, seed: seed, randomisation: RealSpaceRefinement.rmsDistance(original, startPositions),
                                  shiftFromStart: RealSpaceRefinement.rmsDistance(original, positions),
                                  refinementShift: refined.rmsShift,
                                  bondDeviationBefore: geometry.deviation(startPositions).rms, bondDeviationAfter: refined.bondDeviationAfter,
                                  correlationBefore: before, correlationAfter: after, rigidBody: refined.rigidBody,
                                  coordinateSteps: refined.coordinates?.steps ?? 0))
            models.append(refined.model)
        }
        let scale = 1 / Float(p.members)
        sum.voxels.withUnsafeMutableBufferPointer { s in
            Parallelism.forEachRange(s.count, minimumPerChunk: 1 << 16) { _, r in for i in r { s[i] *= scale } }
        }
        var spread = 0.0
        for i in mean.indices { mean[i] /= Double(p.members) }
        for m in models { for (i, a) in m.atoms.enumerated() { let d = a.position - mean[i]; spread += (d * d).sum() } }
        spread = (spread / Double(max(1, p.members * model.atoms.count))).squareRoot()

        var ensembleSpectrum = FFT.forward(sum)
        var b = 0.0
        if p.fitOverallB {
            b = RealSpaceRefinement.overallB(model: ensembleSpectrum, map: O, shells: shells, resolution: d).bFactor
            shells.apply(SpectralFilter(bFactor: b), to: &ensembleSpectrum)
            sum = FFT.backward(ensembleSpectrum)   // a copy: the spectrum is kept
        }
        let cc = RealSpaceRefinement.correlation(ensembleSpectrum, O, shells: shells, resolution: d)
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let summary = Summary(halfMap: halfMap, suppliedCorrelation: supplied, members: members, ensembleCorrelation: cc,
                              overallB: b, spread: spread, seconds: seconds)
        progress.step(String(format: "Model ensemble for half map %d: CC with the half %.3f (supplied model %.3f), spread %.2f Å, B %.0f Å², %.1f s",
                             halfMap, cc, supplied, spread, b, seconds))
        return ModelEnsemble(map: sum, spectrum: ensembleSpectrum, summary: summary, models: models)
    }
}
