import Foundation
import MapbookCore
import MapModel

/// Checks of the inputs that density modification relies on, each returning a warning in words
/// a user acts on, or nil.
public enum HalfMapChecks {
    /// Whether `half` looks masked: many voxels exactly zero, or almost no noise near the box
    /// faces (a mask edge). Density modification needs the noise outside the molecule.
    public static func masked(_ half: Volume, name: String) -> String? {
        let evidence = MaskingEvidence(half)
        if evidence.zeroFraction > MaskingEvidence.maximumZeroFraction {
            return String(format: "%@: %.0f %% of the voxels are exactly 0, so the half map looks masked; density modification needs the noise outside the molecule: give the unmasked, unfiltered half maps (RELION's run_half1_class001_unfil.mrc and run_half2_class001_unfil.mrc)", name, 100 * evidence.zeroFraction)
        }
        if evidence.edgeRMSRatio < MaskingEvidence.minimumEdgeRMSRatio {
            return String(format: "%@: the density near the box faces is almost flat (%.1f %% of the whole map's rms), so the half map looks masked or solvent-flattened; density modification needs unmasked half maps: give the unfiltered, unmasked half maps", name, 100 * evidence.edgeRMSRatio)
        }
        return nil
    }

    /// Noise of the half-map difference in the solvent, region by region (4×4×4 blocks of the
    /// box): the ratio of the noisiest to the quietest block, and the ratio of the noise in the
    /// molecule to the noise in the solvent.
    public struct NoiseUniformity: Sendable, Equatable, Codable {
        /// Largest over smallest solvent-block noise standard deviation.
        public var solventBlockRatio: Double
        /// Noise standard deviation in the molecule over that in the solvent.
        public var moleculeToSolventRatio: Double
    }

    /// Measures noise uniformity from the half-map difference `difference` (half 1 − half 2,
    /// which holds noise only) and a molecule region.
    public static func noiseUniformity(difference: Volume, molecule: [Bool]) -> NoiseUniformity {
        let n = difference.grid.size
        let blocks = 4
        var sum = [Double](repeating: 0, count: blocks * blocks * blocks), sum2 = sum, count = sum
        var inSum = 0.0, inSum2 = 0.0, inCount = 0.0, outSum = 0.0, outSum2 = 0.0, outCount = 0.0
        difference.voxels.withUnsafeBufferPointer { v in
            var i = 0
            for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
                let d = Double(v[i])
                if molecule[i] {
                    inSum += d; inSum2 += d * d; inCount += 1
                } else {
                    let b = (x * blocks / n.x) + blocks * ((y * blocks / n.y) + blocks * (z * blocks / n.z))
                    sum[b] += d; sum2[b] += d * d; count[b] += 1
                    outSum += d; outSum2 += d * d; outCount += 1
                }
                i += 1
            } } }
        }
        func sd(_ s: Double, _ s2: Double, _ c: Double) -> Double { c > 1 ? max(0, s2 / c - (s / c) * (s / c)).squareRoot() : .nan }
        let minimum = max(50.0, 0.1 * Double(difference.grid.count) / Double(blocks * blocks * blocks))
        let sds = (0..<sum.count).filter { count[$0] >= minimum }.map { sd(sum[$0], sum2[$0], count[$0]) }.filter { $0 > 0 }
        let ratio = (sds.max() ?? 1) / (sds.min() ?? 1)
        let solvent = sd(outSum, outSum2, outCount)
        return NoiseUniformity(solventBlockRatio: sds.count >= 2 ? ratio : 1,
                               moleculeToSolventRatio: solvent > 0 ? sd(inSum, inSum2, inCount) / solvent : .nan)
    }

    /// Threshold on `solventBlockRatio` above which the solvent noise counts as non-uniform.
    public static let nonUniformNoiseRatio = 1.5

    /// A warning when the solvent noise is not uniform.
    public static func nonUniformNoiseWarning(_ u: NoiseUniformity) -> String? {
        guard u.solventBlockRatio > nonUniformNoiseRatio else { return nil }
        return String(format: "the noise in the solvent is not uniform: its standard deviation (from the half-map difference) differs by a factor of %.1f between regions of the box; density modification assumes one noise level in the solvent, so its error estimates will be off: use half maps without local filtering, local masking or stitching; if the particles were masked in refinement (RELION's particle diameter), the noise falls outside that sphere: crop the box to it", u.solventBlockRatio)
    }

    /// A separate region of the molecule mask, away from the largest one.
    public struct DistantDensity: Sendable, Equatable, Codable {
        /// Its volume, Å³.
        public var volume: Double
        /// Its volume relative to the largest region (the molecule).
        public var fractionOfMolecule: Double
        /// Closest distance to the molecule, Å.
        public var distance: Double
        /// Its centre, Å.
        public var centre: [Double]
    }

    /// Regions of `molecule` (6-connected; pass the strong core of the molecule region) of at
    /// least `minimumFraction` of the largest region's volume lying more than `minimumDistance` Å
    /// from it: strong density far from the molecule. (The box is not treated as periodic.)
    public static func distantDensity(molecule: [Bool], grid: VoxelGrid, minimumDistance: Double,
                                      minimumFraction: Double = 0.02) -> [DistantDensity] {
        let n = grid.size
        var label = [Int32](repeating: -1, count: grid.count)
        var sizes: [Int] = []
        var centres: [SIMD3<Double>] = []
        var stack: [Int] = []
        for start in 0..<grid.count where molecule[start] && label[start] < 0 {
            let id = Int32(sizes.count)
            label[start] = id; stack.append(start)
            var size = 0
            var centre = SIMD3<Double>.zero
            while let i = stack.popLast() {
                size += 1
                let x = i % n.x, y = (i / n.x) % n.y, z = i / (n.x * n.y)
                centre += SIMD3(Double(x), Double(y), Double(z))
                for (dx, dy, dz) in [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)] {
                    let a = x + dx, b = y + dy, c = z + dz
                    guard a >= 0, b >= 0, c >= 0, a < n.x, b < n.y, c < n.z else { continue }
                    let j = a + n.x * (b + n.y * c)
                    if molecule[j] && label[j] < 0 { label[j] = id; stack.append(j) }
                }
            }
            sizes.append(size)
            centres.append(centre / Double(size))
        }
        guard let main = sizes.indices.max(by: { sizes[$0] < sizes[$1] }) else { return [] }
        let candidates = sizes.indices.filter { $0 != main && Double(sizes[$0]) >= minimumFraction * Double(sizes[main]) }
        guard !candidates.isEmpty else { return [] }
        let d2 = DistanceTransform.squaredDistance(size: n) { label[$0] == Int32(main) }
        var closest = [Float](repeating: .infinity, count: sizes.count)
        for i in 0..<grid.count where label[i] >= 0 { closest[Int(label[i])] = min(closest[Int(label[i])], d2[i]) }
        let voxel = (grid.voxelSize.x + grid.voxelSize.y + grid.voxelSize.z) / 3
        let voxelVolume = grid.voxelVolume
        return candidates.compactMap { c in
            let distance = Double(closest[c]).squareRoot() * voxel
            guard distance > minimumDistance else { return nil }
            let p = grid.firstVoxelPosition + centres[c] * grid.voxelSize
            return DistantDensity(volume: Double(sizes[c]) * voxelVolume, fractionOfMolecule: Double(sizes[c]) / Double(sizes[main]),
                                  distance: distance, centre: [p.x, p.y, p.z])
        }
    }

    /// A warning about strong density far from the molecule.
    public static func distantDensityWarning(_ d: [DistantDensity]) -> String? {
        guard let biggest = d.max(by: { $0.volume < $1.volume }) else { return nil }
        return String(format: "strong density lies %.0f Å away from the molecule (%d separate region%@, the largest %.0f Å³ = %.0f %% of the molecule's volume, centred at %.0f, %.0f, %.0f Å): the solvent mask counts it as molecule and leaves less of the real molecule unflattened; mask it out (give a mask), crop the box, or check for a neighbouring particle, a micelle or an artefact",
                      biggest.distance, d.count, d.count == 1 ? "" : "s", biggest.volume, 100 * biggest.fractionOfMolecule,
                      biggest.centre[0], biggest.centre[1], biggest.centre[2])
    }
}
