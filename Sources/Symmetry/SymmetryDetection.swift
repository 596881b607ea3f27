import MapbookCore
import MapModel

/// Which point group a map has, found the way phenix.map_symmetry finds it: score every
/// candidate group in standard orientation about the box centre, rescore the best few with
/// more points, and keep the best unless no candidate's copies agree well enough.
public struct SymmetryDetection: Equatable, Sendable {
    /// The search's settings; the defaults are map_symmetry's.
    public struct Parameters: DeclaredParameters, Equatable {
        /// The seed of the point draws when none is given, fixed so a search is reproducible.
        public static let defaultSeed: UInt64 = 0x5EED_5E7

        /// Points per candidate in the first round (`random_points`).
        @Parameter("points", .atLeast(10), "points sampled per candidate group (the best five are rescored with ten times as many)",
                   source: "phenix.map_symmetry random_points")
        public var points = 100
        /// Largest n tried for Cn and Dn (`op_max`).
        public var maximumAxisOrder = 14
        /// A candidate whose mean correlation is below this scores 0 (`min_ncs_cc`), and when
        /// none reaches it the map is reported as C1.
        public var minimumMeanCorrelation = 0.75
        /// How many of the best candidates are rescored (`n_rescore`).
        public var rescoreCount = 5
        /// How many times more points the rescoring uses.
        public var rescorePointFactor = 10
        /// Whether the rescored candidates' centres are refined by whole-voxel steps (like
        /// map_symmetry's `check_grid_offset`), so a map whose symmetry centre is a voxel or two
        /// off the box centre gets the right centre and its full score.
        public var refineCentre = true
        /// Furthest the refinement may move the centre from where it started, in voxels along
        /// each axis.
        public var maximumCentreShift = 2
        /// Seed of the point draws.
        public var seed = defaultSeed

        /// map_symmetry's defaults.
        public init() {}
    }

    /// The group found, with its score: C1 (score 1, correlations [1]) when no candidate's mean
    /// correlation reached `minimumMeanCorrelation`.
    public var best: SymmetryScore
    /// Every candidate tried, best first: the rescored ones (ranked on their rescored values),
    /// then the others (ranked on the first round). Candidates below `minimumMeanCorrelation`
    /// rank after all that pass, whatever their score.
    public var candidates: [SymmetryScore]
    /// The settings used.
    public var parameters: Parameters

    /// Whether a group other than C1 was found.
    public var isSymmetric: Bool { best.group.order > 1 }

    /// The groups tried: C2 ... Cmax, D2 ... Dmax, T, O, and I in all four RELION settings
    /// (I1–I4: they are different orientations, and a map made in one scores poorly in the
    /// others).
    public static func candidateGroups(maximumAxisOrder: Int = 14) -> [PointGroup] {
        let top = max(2, min(maximumAxisOrder, PointGroup.maximumAxisOrder))
        return (2...top).map(PointGroup.cyclic) + (2...top).map(PointGroup.dihedral)
            + [.tetrahedral, .octahedral] + (1...4).map { PointGroup.icosahedral(setting: $0) }
    }

    /// The point group of `map` about `centre` (Å), or, without one, about the box centre
    /// rounded up (RELION's floor(N/2) voxel) and down (N/2 − 1 along even axes), keeping the
    /// better for each group. Points are drawn inside `region` when given.
    ///
    /// Steps: score every candidate from `points` voxels; rank (candidates with mean
    /// correlation below the minimum count as 0); rescore the top `rescoreCount` from
    /// `points × rescorePointFactor` voxels, refining their centres when asked; rank again; the
    /// best is the answer if its mean correlation reaches the minimum, else C1.
    ///
    /// Cost: point sampling only, no FFT: 32 candidates (maximum order 14) × 2 centres × 100
    /// points × their orders, then the rescoring (with refinement, up to 26 neighbouring
    /// centres per step); 0.13 s on a 128³ map in a release build.
    public static func detect(_ map: Volume, centre: SIMD3<Double>? = nil, region: [Bool]? = nil,
                              parameters: Parameters = Parameters()) throws -> SymmetryDetection {
        let p = parameters
        guard p.points > 0, p.rescorePointFactor > 0, p.rescoreCount >= 0, p.maximumCentreShift >= 0 else {
            throw MapbookError("symmetry search needs a positive point count and point factor")
        }
        let grid = map.grid
        let centres = centre.map { [$0] } ?? SymmetryCentre.candidates(grid)
        let groups = candidateGroups(maximumAxisOrder: p.maximumAxisOrder)
        let first = try SymmetryPoints(map, count: p.points, region: region, seed: p.seed)
        let more = try SymmetryPoints(map, count: p.points * p.rescorePointFactor, region: region, seed: p.seed)
        let qualifies = { (s: SymmetryScore) in s.mean >= p.minimumMeanCorrelation }
        func ranked(_ scores: [SymmetryScore]) -> [SymmetryScore] {
            // Stable: ties keep the candidate order (lower orders first).
            scores.enumerated().sorted { a, b in
                let ka = (qualifies(a.element) ? 1 : 0, a.element.score), kb = (qualifies(b.element) ? 1 : 0, b.element.score)
                return ka != kb ? ka > kb : a.offset < b.offset
            }.map(\.element)
        }

        return map.voxels.withUnsafeBufferPointer { v in
            let sampler = TrilinearSampler(v, size: grid.size)
            func score(_ points: SymmetryPoints, _ group: PointGroup, _ c: SIMD3<Double>) -> SymmetryScore {
                SymmetryScore(points, sampler: sampler, grid: grid, group: group, centre: c)
            }
            // Round 1: every group at every candidate centre, the better centre kept.
            var round1: [SymmetryScore] = []
            for group in groups {
                let best = centres.map { score(first, group, $0) }.max { $0.score < $1.score }!
                round1.append(best)
            }
            round1 = ranked(round1)
            // Round 2: the leaders again, from ten times the points, centres refined.
            let leaders = round1.prefix(p.rescoreCount).map { s -> SymmetryScore in
                let rescored = score(more, s.group, s.centre)
                return p.refineCentre ? refine(rescored, points: more, sampler: sampler, grid: grid, maximumShift: p.maximumCentreShift) : rescored
            }
            let candidates = ranked(leaders) + round1.dropFirst(leaders.count)
            let top = candidates.first
            let best = top.flatMap { qualifies($0) ? $0 : nil }
                ?? score(more, .c1, centres[0])
            return SymmetryDetection(best: best, candidates: candidates, parameters: p)
        }
    }

    /// Moves the centre of `start` by whole voxels while a neighbouring centre (the 26 around
    /// it) scores higher, staying within `maximumShift` voxels of the start along each axis.
    ///
    /// Whole-voxel steps, like map_symmetry's grid-offset check: symmetry centres of
    /// reconstructions sit on voxels or half-voxels, and a half-voxel error costs little at the
    /// resolutions where density is worth averaging.
    static func refine(_ start: SymmetryScore, points: SymmetryPoints, sampler: TrilinearSampler, grid: VoxelGrid,
                       maximumShift: Int) -> SymmetryScore {
        var current = start
        var shift = SIMD3<Int>(0, 0, 0)
        // Single-axis steps first, then edge and corner diagonals: of equally good moves the
        // shortest wins, so an axis the group does not care about (z for Cn, where a shift
        // changes the score only by rounding) is left alone.
        var steps: [SIMD3<Int>] = []
        for dz in -1...1 { for dy in -1...1 { for dx in -1...1 where dx != 0 || dy != 0 || dz != 0 { steps.append(SIMD3(dx, dy, dz)) } } }
        steps.sort { ($0 &* $0).wrappedSum() < ($1 &* $1).wrappedSum() }
        while true {
            let allowed = steps.filter { s in
                let t = shift &+ s
                return abs(t.x) <= maximumShift && abs(t.y) <= maximumShift && abs(t.z) <= maximumShift
            }
            var trial = [SymmetryScore?](repeating: nil, count: allowed.count)
            let from = current.centre
            trial.withUnsafeMutableBufferPointer { out in
                Parallelism.forEachRange(allowed.count) { _, range in
                    for k in range {
                        let s = allowed[k]
                        let c = from + SIMD3(Double(s.x), Double(s.y), Double(s.z)) * grid.voxelSize
                        out[k] = SymmetryScore(points, sampler: sampler, grid: grid, group: start.group, centre: c)
                    }
                }
            }
            // The first of equal best scores wins, so the search is deterministic; a move must
            // gain more than rounding (1e-6), or it could drift along an axis that does not matter.
            var bestIndex: Int? = nil
            for k in allowed.indices where trial[k]!.score > (bestIndex.map { trial[$0]!.score } ?? current.score) + 1e-6 {
                bestIndex = k
            }
            guard let k = bestIndex else { return current }
            current = trial[k]!
            shift &+= allowed[k]
        }
    }
}
