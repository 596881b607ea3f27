import MapbookCore
import MapModel

/// The voxels a symmetry score reads: random voxels whose density is above the map's mean
/// (phenix.map_symmetry's `get_points_in_map`), inside the region when one is given.
///
/// Points above the mean sit mostly in the molecule, where symmetry copies differ if the
/// symmetry is wrong; solvent points would agree with each other under any operator and pull
/// every correlation towards the noise level.
struct SymmetryPoints {
    /// Linear voxel indices, in the order drawn.
    let indices: [Int]
    /// The same voxels as (x, y, z) indices.
    let positions: [SIMD3<Double>]
    /// The map's value at each point (the identity copy).
    let values: [Float]

    /// Up to `count` distinct voxels above the mean of `map` (where `region` is true), drawn
    /// with a generator seeded by `seed`: the same map, count and seed give the same points,
    /// and (with the random draw below) a larger count starts with the smaller count's points.
    ///
    /// Voxels are drawn at random and kept when eligible; when that finds too few (a small
    /// region, little density above the mean), every eligible voxel is listed and the draw is
    /// made from that list instead. Throws when no voxel is eligible.
    init(_ map: Volume, count: Int, region: [Bool]?, seed: UInt64) throws {
        precondition(count > 0, "point count must be positive")
        precondition(region.map { $0.count == map.grid.count } ?? true, "region does not match the map")
        let total = map.grid.count
        let mean = Float(map.statistics.mean)
        var rng = SeededGenerator(seed: seed)
        var chosen: [Int] = []
        chosen.reserveCapacity(count)
        var seen = Set<Int>()
        map.voxels.withUnsafeBufferPointer { v in
            func eligible(_ i: Int) -> Bool { v[i] > mean && (region?[i] ?? true) }
            var attempts = 0
            let maximumAttempts = 200 * count + 10_000
            while chosen.count < count && attempts < maximumAttempts {
                attempts += 1
                let i = Int(rng.next() % UInt64(total))
                if eligible(i) && seen.insert(i).inserted { chosen.append(i) }
            }
            if chosen.count < count {
                // Sparse eligibility: list every eligible voxel and shuffle a prefix of it.
                var all = (0..<total).filter(eligible)
                let k = min(count, all.count)
                for j in 0..<k {
                    let r = j + Int(rng.next() % UInt64(all.count - j))
                    all.swapAt(j, r)
                }
                chosen = Array(all.prefix(k))
            }
        }
        guard !chosen.isEmpty else {
            throw MapbookError(region == nil ? "the map has no density above its mean: nothing to score symmetry on"
                                             : "no voxel inside the region has density above the map's mean: nothing to score symmetry on")
        }
        let n = map.grid.size
        indices = chosen
        positions = chosen.map { i in SIMD3(Double(i % n.x), Double((i / n.x) % n.y), Double(i / (n.x * n.y))) }
        values = chosen.map { map.voxels[$0] }
    }
}
