import Foundation
import MapbookCore

/// The contour level at which to show a map: the level whose surface encloses the molecule's
/// expected volume, as EMDB asks depositors to choose their recommended contour level.
///
/// The expected volume comes from the sequence (residue masses at 1.23 Å³/Da for protein,
/// 0.98 Å³/Da for nucleic acid: `SequenceComposition.molecularVolume`) or from a molecular mass
/// at protein density. Without either, the map decides by the *solvent-noise rule*: the voxels
/// outside the sphere inscribed in the box (the box's corners, 48 % of a cube) are taken as
/// solvent, and the level is their mean plus three standard deviations. A voxel of Gaussian
/// noise exceeds that with probability 0.13 %, so the surface shows density rather than noise,
/// whatever the map's scale or sharpening; it needs no guess at the molecule's size. A map
/// whose corners are constant (masked) has no noise to measure: it falls back to ChimeraX's own
/// initial level, the one that encloses 1 % of the grid points.
public struct RecommendedContour: Sendable, Equatable, Codable {
    /// Where the level came from.
    public enum Source: String, Sendable, Codable {
        /// The molecular volume from a sequence.
        case sequence
        /// The molecular volume from a molecular mass (protein density).
        case molecularMass = "molecular-mass"
        /// Three standard deviations above the solvent in the box corners.
        case solventNoise = "solvent-noise"
        /// 1 % of the grid points (ChimeraX's initial level), for a map with constant corners.
        case gridFraction = "grid-fraction"
    }

    /// The level, in the map's units.
    public var level: Float
    /// Where it came from.
    public var source: Source
    /// The volume (Å³) of the voxels at or above the level.
    public var enclosedVolume: Double
    /// The molecular volume (Å³) aimed at, for the sequence and mass sources.
    public var targetVolume: Double?

    /// Standard deviations of solvent noise above the solvent mean (the solvent-noise rule).
    public static let noiseSigmas = 3.0
    /// Share of the grid enclosed when the corners hold no noise (ChimeraX's initial level).
    public static let fallbackGridFraction = 0.01

    /// The recommended level of `map`: from the molecular volume of `sequence` when given,
    /// else of `molecularMass` (Da) when given, else by the solvent-noise rule.
    public static func of(_ map: Volume, sequence: SequenceComposition? = nil, molecularMass: Double? = nil) -> RecommendedContour {
        if let sequence, sequence.molecularVolume > 0 {
            return enclosing(volume: sequence.molecularVolume, in: map, source: .sequence)
        }
        if let molecularMass, molecularMass > 0, molecularMass.isFinite {
            return enclosing(volume: molecularMass * SequenceComposition.proteinVolumePerDalton, in: map, source: .molecularMass)
        }
        return fromSolventNoise(map)
    }

    /// The level whose voxels at or above it fill `volume` Å³ (at least one voxel, at most
    /// the box): the k-th highest value, k = volume / voxel volume, found by selection in
    /// expected linear time.
    public static func enclosing(volume: Double, in map: Volume, source: Source) -> RecommendedContour {
        let voxelVolume = map.grid.voxelVolume
        let n = map.grid.count
        let k = min(n, max(1, Int((volume / voxelVolume).rounded())))
        var values = Array(map.voxels)
        let level = Selection.kthSmallest(&values, n - k)
        return RecommendedContour(level: level, source: source, enclosedVolume: enclosed(map, level: level), targetVolume: volume)
    }

    /// The solvent-noise rule, or the grid-fraction fallback when the corners are constant or
    /// the noise level would enclose nothing.
    static func fromSolventNoise(_ map: Volume) -> RecommendedContour {
        let g = map.grid
        let centre = SIMD3<Double>(Double(g.size.x - 1), Double(g.size.y - 1), Double(g.size.z - 1)) / 2
        let radius = Double(min(g.size.x, g.size.y, g.size.z)) / 2
        var sum = 0.0, sumSquares = 0.0, count = 0
        for z in 0..<g.size.z {
            for y in 0..<g.size.y {
                let dy = Double(y) - centre.y, dz = Double(z) - centre.z
                let row = g.index(0, y, z)
                for x in 0..<g.size.x {
                    let dx = Double(x) - centre.x
                    guard dx * dx + dy * dy + dz * dz > radius * radius else { continue }
                    let v = Double(map.voxels[row + x])
                    sum += v; sumSquares += v * v; count += 1
                }
            }
        }
        if count > 1 {
            let mean = sum / Double(count)
            let sd = (max(0, sumSquares / Double(count) - mean * mean)).squareRoot()
            let level = Float(mean + noiseSigmas * sd)
            if sd > 0, level < map.statistics.max {
                return RecommendedContour(level: level, source: .solventNoise, enclosedVolume: enclosed(map, level: level), targetVolume: nil)
            }
        }
        let voxelVolume = g.voxelVolume
        var fallback = enclosing(volume: fallbackGridFraction * Double(g.count) * voxelVolume, in: map, source: .gridFraction)
        fallback.targetVolume = nil
        return fallback
    }

    /// The volume (Å³) of the voxels of `map` at or above `level`.
    public static func enclosed(_ map: Volume, level: Float) -> Double {
        let g = map.grid
        var count = 0
        for v in map.voxels where v >= level { count += 1 }
        return Double(count) * g.voxelVolume
    }

    /// One sentence saying how the level was chosen, for captions and scripts.
    public var explanation: String {
        switch source {
        case .sequence:
            return String(format: "encloses %.0f Å³, the molecular volume of the sequence (1.23 Å³/Da protein, 0.98 Å³/Da nucleic acid)", enclosedVolume)
        case .molecularMass:
            return String(format: "encloses %.0f Å³, the volume of the molecular mass at 1.23 Å³/Da", enclosedVolume)
        case .solventNoise:
            return String(format: "%.0f standard deviations above the solvent in the box corners (no sequence given); encloses %.0f Å³", Self.noiseSigmas, enclosedVolume)
        case .gridFraction:
            return String(format: "encloses 1 %% of the box, ChimeraX's initial level (no sequence, and the box corners hold no noise); %.0f Å³", enclosedVolume)
        }
    }
}
