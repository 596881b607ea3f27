import Foundation
import MapbookCore
import MapModel

/// What the clarity scores of one map are made of (Terwilliger et al. 2018; cctbx `score_map`).
///
/// A contour is drawn at the threshold that encloses `enclosedVoxels` voxels — a fraction of
/// the expected molecular volume — and the voxels above it are split into connected regions.
/// The biggest regions' surface per enclosed voxel measures detail; the number of regions
/// measures fragmentation (noise breaks density into islands).
public struct ClarityMeasurement: Sendable, Equatable, Codable {
    /// Voxels the contour was chosen to enclose (T).
    public var enclosedVoxels: Int
    /// The contour level: exactly `enclosedVoxels` voxels lie above it (ties aside).
    public var threshold: Double
    /// Connected regions above the threshold, of every size.
    public var regions: Int
    /// `regions / enclosedVoxels`.
    public var normalizedRegions: Double
    /// Voxels in the biggest regions that were walked for the surface.
    public var measuredVoxels: Int
    /// Voxels added by growing each of those regions by one voxel (3×3×3).
    public var surfaceVoxels: Int
    /// `surfaceVoxels / max(1, measuredVoxels)`: surface per enclosed voxel (phenix's sa_ratio).
    public var surfaceRatio: Double
    /// Kurtosis of all voxel values: mean((ρ − μ)⁴) / sd⁴ with the n − 1 standard deviation
    /// (not the excess: a Gaussian gives 3).
    public var kurtosis: Double

    /// `surfaceRatio − regionWeight × normalizedRegions`; higher is better. Nil when no region
    /// lies above the threshold (a constant map).
    public func adjustedSurfaceArea(regionWeight: Double) -> Double? {
        regions > 0 ? surfaceRatio - regionWeight * normalizedRegions : nil
    }

    /// The score for `target`; nil when it cannot be computed.
    public func score(_ target: SharpeningScoreTarget, regionWeight: Double) -> Double? {
        switch target {
        case .adjustedSurfaceArea: return adjustedSurfaceArea(regionWeight: regionWeight)
        case .kurtosis: return kurtosis.isFinite ? kurtosis : nil
        }
    }
}

/// Measures `ClarityMeasurement`s, reusing its buffers from one map to the next (a search
/// measures dozens of maps of one box; one measurer per worker thread).
public final class ClarityMeasurer {
    /// Share of the enclosed voxels the biggest regions must hold before the surface walk stops.
    public var surfaceAreaShare = SharpeningDefaults.surfaceAreaShare
    /// Most regions walked, plus one.
    public var maxRegionsToTest = SharpeningDefaults.maxRegionsToTest

    private var sorted: [Float] = []
    private var labels: [Int32] = []
    private var sizes: [Int] = []
    private var stamps: [Int32] = []
    private var generation: Int32 = 0

    /// A measurer with phenix's defaults.
    public init() {}

    /// Measures `volume` with a contour enclosing `enclosedVoxels` voxels (clamped to
    /// 1 ... N − 1).
    public func measure(_ volume: Volume, enclosedVoxels: Int) -> ClarityMeasurement {
        let n = volume.grid.count
        let target = min(max(1, enclosedVoxels), max(1, n - 1))
        return volume.voxels.withUnsafeBufferPointer { v in
            let kurtosis = Self.kurtosis(v)
            // The contour: the value with exactly `target` voxels above it (an exact order
            // statistic; phenix bisects ten times and keeps the nearest count).
            if sorted.count != n { sorted = [Float](repeating: 0, count: n) }
            sorted.withUnsafeMutableBufferPointer { s in _ = s.initialize(from: v) }
            let threshold = n > 1 ? Selection.kthSmallest(&sorted, n - target - 1) : v[0]

            if labels.count != n { labels = [Int32](repeating: -1, count: n); stamps = [Int32](repeating: -1, count: n) }
            ConnectedRegions.label(v, size: volume.grid.size, threshold: threshold, labels: &labels, sizes: &sizes)
            let (measured, surface) = surfaceOfBiggestRegions(size: volume.grid.size, enclosed: target)
            return ClarityMeasurement(enclosedVoxels: target, threshold: Double(threshold), regions: sizes.count,
                                      normalizedRegions: Double(sizes.count) / Double(target),
                                      measuredVoxels: measured, surfaceVoxels: surface,
                                      surfaceRatio: Double(surface) / Double(max(1, measured)), kurtosis: kurtosis)
        }
    }

    /// Walks the regions from the biggest down — at most `maxRegionsToTest + 1`, stopping once
    /// they hold `surfaceAreaShare` of the enclosed voxels — and counts for each the voxels
    /// that growing it by one voxel in all 26 directions would add (voxels of other regions
    /// count). Growth stops at the box faces: phenix's dilation wraps around the box, which
    /// counts voxels from the far side; here a region cut by the face simply has no surface
    /// there.
    private func surfaceOfBiggestRegions(size: SIMD3<Int>, enclosed: Int) -> (measured: Int, surface: Int) {
        guard !sizes.isEmpty else { return (0, 0) }
        let order = sizes.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        var chosen: [Int] = []
        var held = 0
        for r in order.prefix(maxRegionsToTest + 1) {
            chosen.append(r)
            held += sizes[r]
            if Double(held) >= surfaceAreaShare * Double(enclosed) { break }
        }
        var rank = [Int32](repeating: -1, count: sizes.count)
        for (j, r) in chosen.enumerated() { rank[r] = Int32(j) }
        var members = [[Int]](repeating: [], count: chosen.count)
        for (j, r) in chosen.enumerated() { members[j].reserveCapacity(sizes[r]) }
        labels.withUnsafeBufferPointer { lab in
            for i in 0..<lab.count where lab[i] >= 0 {
                let j = rank[Int(lab[i])]
                if j >= 0 { members[Int(j)].append(i) }
            }
        }
        if generation > Int32.max / 64 - 2 {
            generation = 0
            for i in stamps.indices { stamps[i] = -1 }
        }
        generation += 1
        let (nx, ny, nz) = (size.x, size.y, size.z)
        let plane = nx * ny
        var surface = 0
        labels.withUnsafeBufferPointer { lab in
            stamps.withUnsafeMutableBufferPointer { stamp in
                for (j, r) in chosen.enumerated() {
                    let mark = generation * 64 + Int32(j)
                    let region = Int32(r)
                    for i in members[j] {
                        let z = i / plane, y = (i % plane) / nx, x = i % nx
                        for dz in max(0, z - 1)...min(nz - 1, z + 1) {
                            for dy in max(0, y - 1)...min(ny - 1, y + 1) {
                                let base = dz * plane + dy * nx
                                for dx in max(0, x - 1)...min(nx - 1, x + 1) {
                                    let q = base + dx
                                    if lab[q] != region && stamp[q] != mark {
                                        stamp[q] = mark
                                        surface += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (held, surface)
    }

    /// mean((ρ − μ)⁴) / s⁴ with s² = Σ(ρ − μ)² / (n − 1), in Double.
    static func kurtosis(_ v: UnsafeBufferPointer<Float>) -> Double {
        let n = v.count
        guard n > 1 else { return .nan }
        var sum = 0.0
        for x in v { sum += Double(x) }
        let mean = sum / Double(n)
        var m2 = 0.0, m4 = 0.0
        for x in v {
            let d = Double(x) - mean
            let d2 = d * d
            m2 += d2
            m4 += d2 * d2
        }
        let variance = m2 / Double(n - 1)
        guard variance > 0 else { return .nan }
        return (m4 / Double(n)) / (variance * variance)
    }
}
