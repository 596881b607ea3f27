import Foundation
import MapbookCore
import MapModel

/// How consistently a map shows a point group's symmetry about a centre, scored the way
/// phenix.map_symmetry scores its candidates.
///
/// Sample voxels with density above the map's mean; read the density at every operator's image
/// of each point (trilinear interpolation; map_symmetry reads the nearest grid point, which
/// loses up to half a voxel to rounding at every image); correlate the identity copy's values
/// with each other copy's. The score is (lowest of those correlations) × √order: it rewards a
/// larger group only if every one of its copies agrees, so the true group beats both its
/// subgroups (fewer copies) and its supergroups (some copies that disagree).
public struct SymmetryScore: Equatable, Sendable {
    /// The group scored.
    public var group: PointGroup
    /// The centre (Å) the operators were applied about.
    public var centre: SIMD3<Double>
    /// How many sampled points the correlations used (some operators may use fewer: see
    /// `pairCounts`).
    public var points: Int
    /// One Pearson correlation per operator, in `group.operators` order: the identity's is 1,
    /// each other is between the identity copy's values and that operator's copy. 0 where fewer
    /// than three points had their image inside the box, or one side was constant (no evidence
    /// for the symmetry counts as none).
    public var correlations: [Double]
    /// Per operator, how many points had their image inside the box (the identity: all).
    public var pairCounts: [Int]
    /// The lowest correlation over the non-identity operators (1 for C1).
    public var minimum: Double
    /// The mean correlation over the non-identity operators (1 for C1): map_symmetry's test
    /// against `min_ncs_cc` uses this.
    public var mean: Double

    /// minimum × √order, map_symmetry's score (1 for C1).
    public var score: Double { minimum * Double(group.order).squareRoot() }

    /// The score of `map` for `group` about `centre` (Å; default `SymmetryCentre.box`), from
    /// `points` voxels above the map's mean, inside `region` when given (one flag per voxel),
    /// drawn with a generator seeded by `seed`. Throws when no voxel qualifies.
    ///
    /// Cost: points × (order − 1) interpolations, plus one pass for the map's mean; about a
    /// millisecond for 100 points under I.
    public init(_ map: Volume, group: PointGroup, centre: SIMD3<Double>? = nil, region: [Bool]? = nil,
                points: Int = 100, seed: UInt64 = SymmetryDetection.Parameters.defaultSeed) throws {
        let sample = try SymmetryPoints(map, count: points, region: region, seed: seed)
        self = map.voxels.withUnsafeBufferPointer { v in
            Self(sample, sampler: TrilinearSampler(v, size: map.grid.size), grid: map.grid,
                 group: group, centre: centre ?? SymmetryCentre.box(map.grid))
        }
    }

    /// The score from points already drawn, so a search can reuse one draw for every group.
    init(_ sample: SymmetryPoints, sampler: TrilinearSampler, grid: VoxelGrid, group: PointGroup, centre: SIMD3<Double>) {
        self.group = group
        self.centre = centre
        self.points = sample.values.count
        var correlations = [1.0]
        var pairCounts = [sample.values.count]
        var copy = [Float]()
        var identity = [Float]()
        copy.reserveCapacity(sample.values.count)
        identity.reserveCapacity(sample.values.count)
        for r in group.operators.dropFirst() {
            let op = GridOperator(r, centre: centre, grid: grid)
            copy.removeAll(keepingCapacity: true)
            identity.removeAll(keepingCapacity: true)
            for (p, value) in zip(sample.positions, sample.values) {
                if let image = sampler.sample(op.image(p)) {
                    identity.append(value)
                    copy.append(image)
                }
            }
            pairCounts.append(copy.count)
            correlations.append(copy.count >= 3 ? Self.pearson(identity, copy) : 0)
        }
        self.correlations = correlations
        self.pairCounts = pairCounts
        let others = correlations.dropFirst()
        minimum = others.min() ?? 1
        mean = others.isEmpty ? 1 : others.reduce(0, +) / Double(others.count)
    }

    /// The Pearson correlation of two equally long lists, in Double; 0 when either is constant.
    static func pearson(_ a: [Float], _ b: [Float]) -> Double {
        let n = Double(a.count)
        var sa = 0.0, sb = 0.0
        for i in a.indices { sa += Double(a[i]); sb += Double(b[i]) }
        let ma = sa / n, mb = sb / n
        var saa = 0.0, sbb = 0.0, sab = 0.0
        for i in a.indices {
            let x = Double(a[i]) - ma, y = Double(b[i]) - mb
            saa += x * x; sbb += y * y; sab += x * y
        }
        guard saa > 0, sbb > 0 else { return 0 }
        return sab / (saa * sbb).squareRoot()
    }
}
