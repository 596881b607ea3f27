import Foundation
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps

/// Settings of real-space refinement of a model against a map.
public struct RealSpaceRefinementParameters: Sendable, Equatable, Codable {
    /// Rigid-body refinement of each chain first.
    public var rigidBody = true
    /// Rigid-body stages, as multiples of the resolution d the map is low-passed to: the
    /// coarser stage widens the radius of convergence (to about d/2), the last one is exact.
    public var rigidBodyStages: [Double] = [2, 1]
    /// Rigid-body steps per chain and stage, at most.
    public var rigidBodyIterations = 40
    /// What the coordinates are refined against.
    public enum Target: String, Sendable, Equatable, Codable {
        /// The map itself at the atoms: simple, but at low resolution it pulls atoms into
        /// their neighbours' density (the true model of a noise-free 4 Å map moved 0.54 Å rms).
        case mapValue = "map_value"
        /// The difference map (map − s·model map, model map low-passed alike and with a fitted
        /// overall B), plus each atom's own density: flat near the truth (the same test: see
        /// the tests), remade every macro-cycle.
        case difference
    }

    /// Restrained coordinate refinement: L-BFGS steps per macro-cycle, at most (0 skips it).
    public var coordinateSteps = 25
    /// Macro-cycles of coordinate refinement: the model map, scale and overall B of the
    /// difference target are remade at the start of each.
    public var macroCycles = 4
    /// What the coordinates are refined against.
    public var target = Target.difference
    /// Fit an overall B to the model map each macro-cycle (the difference target), so that its
    /// falloff matches the map's.
    public var fitOverallB = true
    /// Largest movement of any atom in one step, Å.
    public var maximumStep = 0.2
    /// Weights of the coordinate refinement's terms.
    public var weights = CoordinateRefinement.Weights()
    /// Atoms closer than this (Å) in the reference model are bonded.
    public var bondCutoff = 1.9
    /// Map kept around the model: margin beyond its extent, Å.
    public var margin = 8.0

    /// The defaults above.
    public init() {}
}

/// What a refinement did.
public struct RealSpaceRefinementResult: Sendable {
    /// The refined model (only coordinates change).
    public var model: AtomicModel
    /// Each chain's rigid-body motion, coarse stage then fine stage.
    public var rigidBody: [RigidBodyRefinement.Motion]
    /// The coordinate refinement (nil when skipped).
    public var coordinates: CoordinateRefinement.Summary?
    /// The difference target of each macro-cycle, and after the last (empty for the map-value
    /// target).
    public var macroCycles: [RealSpaceRefinement.MacroCycle]
    /// rms movement of the atoms from the model refined, Å.
    public var rmsShift: Double
    /// rms deviation of bond lengths from the reference geometry before and after, Å.
    public var bondDeviationBefore: Double, bondDeviationAfter: Double
}

/// Real-space refinement of an atomic model against a map at resolution d: per-chain rigid
/// body, then restrained coordinate refinement (see `RigidBodyRefinement` and
/// `CoordinateRefinement`), against the map low-passed to d and sampled at the atoms, weighted
/// by atomic number. Deterministic for any thread count.
///
/// Cost: one inverse FFT of the map per smoothing level (shared when a `RefinementMaps` is
/// reused), then per atom and step a trilinear sample and its restraints: a few
/// milliseconds per thousand atoms and hundred steps.
public enum RealSpaceRefinement {
    /// The smoothed maps a refinement samples: one per rigid-body stage and one at d for the
    /// coordinates, each kept only around the model.
    public struct Maps: Sendable {
        /// Resolution d, Å.
        public var resolution: Double
        /// Rigid-body stages, coarsest first.
        public var stages: [MapSampler]
        /// The map at d.
        public var fine: MapSampler

        /// The maps of `spectrum` (a map's `FFT.forward`) around `lower`…`upper` (Å).
        public init(spectrum: HalfSpectrum, shells: FourierShells, resolution d: Double, lower: SIMD3<Double>, upper: SIMD3<Double>,
                    parameters p: RealSpaceRefinementParameters = RealSpaceRefinementParameters()) throws {
            resolution = d
            fine = try MapSampler(spectrum: spectrum, shells: shells, resolution: d, lower: lower, upper: upper, margin: p.margin)
            var stages: [MapSampler] = []
            if p.rigidBody {
                for factor in p.rigidBodyStages {
                    guard factor > 0 else { throw MapbookError("rigid-body stages must be positive multiples of the resolution") }
                    if abs(factor - 1) < 1e-9 { stages.append(fine); continue }
                    stages.append(try MapSampler(spectrum: spectrum, shells: shells, resolution: max(d * factor, shells.nyquistResolution),
                                                 lower: lower, upper: upper, margin: p.margin))
                }
            }
            self.stages = stages
        }
    }

    /// Refines `model` against `map` at resolution `d` Å. `geometry` is the reference geometry
    /// (inferred from `model` when nil: pass the original model's when refining a perturbed copy).
    public static func refine(_ model: AtomicModel, map: Volume, resolution d: Double, geometry: ModelGeometry? = nil,
                              parameters p: RealSpaceRefinementParameters = RealSpaceRefinementParameters()) throws -> RealSpaceRefinementResult {
        guard !model.atoms.isEmpty else { throw MapbookError("the model has no atoms") }
        let shells = FourierShells(grid: map.grid)
        let b = model.bounds
        let maps = try Maps(spectrum: FFT.forward(map), shells: shells, resolution: d, lower: b.min, upper: b.max, parameters: p)
        return try refine(model, maps: maps, geometry: geometry ?? ModelGeometry.inferred(from: model, bondCutoff: p.bondCutoff), parameters: p)
    }

    /// Refines `model` against prepared `maps`, keeping `geometry`.
    public static func refine(_ model: AtomicModel, maps: Maps, geometry: ModelGeometry,
                              parameters p: RealSpaceRefinementParameters = RealSpaceRefinementParameters()) throws -> RealSpaceRefinementResult {
        let n = model.atoms.count
        guard geometry.atomCount == n else { throw MapbookError("the reference geometry describes \(geometry.atomCount) atoms, the model has \(n)") }
        let weights = atomWeights(model)
        var x = model.atoms.map(\.position)
        let initial = x
        let bondsBefore = geometry.deviation(x).rms
        var motions: [RigidBodyRefinement.Motion] = []
        if p.rigidBody {
            let groups = chains(model)
            for sampler in maps.stages {
                motions += RigidBodyRefinement.refine(&x, weights: weights, groups: groups, sampler: sampler,
                                                      iterations: p.rigidBodyIterations, maximumStep: max(p.maximumStep, 0.3))
            }
        }
        var current = model
        func place(_ positions: [SIMD3<Double>]) { for i in 0..<n { current.atoms[i].position = positions[i] } }
        var summary: CoordinateRefinement.Summary? = nil
        var macro: [MacroCycle] = []
        if p.coordinateSteps > 0 && p.macroCycles > 0 {
            let start = x
            var observed: HalfSpectrum? = nil
            for _ in 0..<p.macroCycles {
                var sampler = maps.fine
                var own: CoordinateRefinement.SelfTerm? = nil
                if p.target == .difference {
                    place(x)
                    let d = try difference(current, fine: maps.fine, observed: &observed, fitB: p.fitOverallB)
                    sampler = d.sampler
                    own = d.selfTerm
                    macro.append(MacroCycle(correlation: d.correlation, overallB: d.bFactor, scale: d.selfTerm.scale))
                }
                let s = CoordinateRefinement.refine(&x, start: start, atomWeights: weights, geometry: geometry, sampler: sampler, selfTerm: own,
                                                    weights: p.weights, steps: p.coordinateSteps, maximumStep: p.maximumStep)
                if summary == nil { summary = s } else {
                    summary!.steps += s.steps; summary!.energyAfter = s.energyAfter; summary!.mapValueAfter = s.mapValueAfter
                }
                if p.target == .mapValue { break }
            }
            if p.target == .difference {
                place(x)
                var observedCopy = observed
                let d = try difference(current, fine: maps.fine, observed: &observedCopy, fitB: p.fitOverallB)
                macro.append(MacroCycle(correlation: d.correlation, overallB: d.bFactor, scale: d.selfTerm.scale))
            }
        }
        place(x)
        return RealSpaceRefinementResult(model: current, rigidBody: motions, coordinates: summary, macroCycles: macro,
                                         rmsShift: rmsDistance(initial, x),
                                         bondDeviationBefore: bondsBefore, bondDeviationAfter: geometry.deviation(x).rms)
    }

    /// One macro-cycle's difference target.
    public struct MacroCycle: Sendable, Equatable, Codable {
        /// Correlation of the model map with the map around the model (both low-passed to d).
        public var correlation: Double
        /// Overall B of the model map, Å².
        public var overallB: Double
        /// Scale of the model map in the difference map.
        public var scale: Double
    }

    /// The difference target for `model`: map − s·(model map low-passed like the map, with a
    /// fitted B) − offset on the kept box of `fine`, and each atom's own density to add back.
    /// `observed` caches the kept map's spectrum between calls.
    static func difference(_ model: AtomicModel, fine: MapSampler, observed: inout HalfSpectrum?, fitB: Bool) throws
        -> (sampler: MapSampler, selfTerm: CoordinateRefinement.SelfTerm, correlation: Double, bFactor: Double) {
        let grid = fine.grid
        let shells = FourierShells(grid: grid)
        let length = max(grid.boxLength.x, grid.boxLength.y, grid.boxLength.z)
        if observed == nil {
            observed = FFT.forward(Volume(grid: grid, voxels: AlignedArray(fine.values)))
        }
        var spectrum = FFT.forward(try ModelMap.density(of: model, on: grid))
        // The same raised-cosine edge, in Å⁻¹, as the whole map's low-pass (2 of its shells);
        // then the B that matches the falloffs of the two low-passed maps.
        var filter = SpectralFilter(lowPass: fine.resolution, lowPassEdgeShells: 2 * length / fine.fullReferenceLength)
        shells.apply(filter, to: &spectrum)
        let b = fitB ? overallB(model: spectrum, map: observed!, shells: shells, resolution: fine.resolution).bFactor : 0
        if b != 0 { shells.apply(SpectralFilter(bFactor: b), to: &spectrum) }
        filter.bFactor = b
        let calc = FFT.backward(consume spectrum)
        // Least squares: observed ≈ s·calc + c over the kept box.
        var sc = 0.0, so = 0.0, scc = 0.0, sco = 0.0, soo = 0.0
        let count = Double(grid.count)
        calc.voxels.withUnsafeBufferPointer { cv in
            for i in 0..<cv.count {
                let c = Double(cv[i]), o = Double(fine.values[i])
                sc += c; so += o; scc += c * c; sco += c * o; soo += o * o
            }
        }
        let varC = scc / count - (sc / count) * (sc / count), covCO = sco / count - (sc / count) * (so / count)
        let varO = soo / count - (so / count) * (so / count)
        let s = varC > 0 ? max(0, covCO / varC) : 0
        let offset = so / count - s * sc / count
        var values = [Float](repeating: 0, count: grid.count)
        calc.voxels.withUnsafeBufferPointer { cv in
            for i in 0..<cv.count { values[i] = Float(Double(fine.values[i]) - s * Double(cv[i]) - offset) }
        }
        let profiles = AtomProfiles(model: model, filter: filter, referenceLength: length, extraB: b)
        let correlation = varC > 0 && varO > 0 ? covCO / (varC * varO).squareRoot() : 0
        return (MapSampler(grid: grid, values: values, resolution: fine.resolution, fullReferenceLength: fine.fullReferenceLength),
                CoordinateRefinement.SelfTerm(anchors: model.atoms.map(\.position), scale: s, profiles: profiles), correlation, b)
    }

    /// Each atom's weight in the map term: atomic number × occupancy, over the mean.
    public static func atomWeights(_ model: AtomicModel) -> [Double] {
        let raw = model.atoms.map { Double($0.element.atomicNumber) * max(0, $0.occupancy) }
        let mean = raw.reduce(0, +) / Double(max(1, raw.count))
        return raw.map { mean > 0 ? $0 / mean : 1 }
    }

    /// The atoms of each chain, chains in order of first appearance.
    public static func chains(_ model: AtomicModel) -> [(label: String, atoms: [Int])] {
        var order: [String] = [], members: [String: [Int]] = [:]
        for (i, a) in model.atoms.enumerated() {
            if members[a.chainID] == nil { order.append(a.chainID) }
            members[a.chainID, default: []].append(i)
        }
        return order.map { ($0, members[$0]!) }
    }

    /// rms distance between two equally long lists of positions, Å.
    public static func rmsDistance(_ a: [SIMD3<Double>], _ b: [SIMD3<Double>]) -> Double {
        precondition(a.count == b.count)
        guard !a.isEmpty else { return 0 }
        var s = 0.0
        for i in a.indices { let d = a[i] - b[i]; s += (d * d).sum() }
        return (s / Double(a.count)).squareRoot()
    }

    /// The correlation of two maps low-passed (sharply) to `d` Å, from their spectra, without the
    /// mean (shell 0): the real-space CC of the maps at that resolution.
    public static func correlation(_ a: HalfSpectrum, _ b: HalfSpectrum, shells: FourierShells, resolution d: Double) -> Double {
        let last = shells.shell(atResolution: d)
        guard last >= 1 else { return .nan }
        let x = shells.crossPower(a, b), pa = shells.meanPower(a), pb = shells.meanPower(b)
        var sx = 0.0, sa = 0.0, sb = 0.0
        for s in 1...last { sx += x[s]; sa += pa[s] * shells.counts[s]; sb += pb[s] * shells.counts[s] }
        return sa > 0 && sb > 0 ? sx / (sa * sb).squareRoot() : .nan
    }

    /// The overall B (Å², applied as exp(−B s²/4)) that makes the model map's falloff match the
    /// map's: the B that maximises their correlation to `d` Å, searched from −100 to 500 Å²
    /// (a scan by 20, then golden-section to 0.5 Å²). The noise in the map does not correlate
    /// with the model, so the maximum is where the model's amplitudes follow the signal's.
    public static func overallB(model: HalfSpectrum, map: HalfSpectrum, shells: FourierShells, resolution d: Double) -> (bFactor: Double, correlation: Double) {
        let last = shells.shell(atResolution: d)
        guard last >= 1 else { return (0, .nan) }
        let x = shells.crossPower(model, map), pm = shells.meanPower(model), po = shells.meanPower(map)
        var mapPower = 0.0
        for s in 1...last { mapPower += po[s] * shells.counts[s] }
        func cc(_ b: Double) -> Double {
            var sx = 0.0, sm = 0.0
            for s in 1...last {
                let f = shells.frequency(s)
                let g = exp(-b * f * f / 4)
                sx += g * x[s]; sm += g * g * pm[s] * shells.counts[s]
            }
            return sm > 0 && mapPower > 0 ? sx / (sm * mapPower).squareRoot() : -.infinity
        }
        var best = 0.0, bestCC = cc(0)
        for b in stride(from: -100.0, through: 500, by: 20) { let v = cc(b); if v > bestCC { best = b; bestCC = v } }
        var lo = best - 20, hi = best + 20
        let ratio = (5.0.squareRoot() - 1) / 2
        while hi - lo > 0.5 {
            let m1 = hi - ratio * (hi - lo), m2 = lo + ratio * (hi - lo)
            if cc(m1) >= cc(m2) { hi = m2 } else { lo = m1 }
        }
        let b = 0.5 * (lo + hi)
        let value = cc(b)
        return value >= bestCC ? (b, value) : (best, bestCC)
    }
}
