import Foundation
import MapbookCore
import MapModel

/// A local-resolution map made ready for LocalDeblur, with the binary mask of valid resolution.
public struct PreparedResolutionMap: Sendable {
    /// Local resolution (Å) inside the mask, raised to at least Nyquist; 0 outside.
    public var resolution: Volume
    /// 1 where the resolution is valid (the voxels LocalDeblur changes), 0 elsewhere.
    public var mask: Volume
    /// What preparation did and found.
    public var record: ResolutionMapRecord
}

/// Facts about a prepared local-resolution map, for records and reports.
public struct ResolutionMapRecord: Sendable, Codable, Equatable {
    /// Voxels inside the mask of valid resolution.
    public var maskVoxels: Int
    /// Smallest, median and largest local resolution inside the mask (Å), after preparation.
    public var minimum: Double, median: Double, maximum: Double
    /// When the map had no zero background: the level above which values were taken as
    /// background and set to 0 (max − 1 Å, as Scipion's LocalDeblur protocol does).
    public var backgroundLevel: Double?
    /// Voxels set to 0 as background.
    public var backgroundVoxels: Int
    /// Voxels set to 0 because a supplied mask excludes them.
    public var voxelsOutsideSuppliedMask: Int
    /// Voxels whose value lay between 0 and Nyquist and was raised to Nyquist (as xmipp does).
    public var raisedToNyquist: Int
    /// Histogram of the local resolutions inside the mask: bin edges (Å, 0.25 Å bins) and counts.
    public var histogramEdges: [Double], histogramCounts: [Int]
}

/// Preparation of a local-resolution map (Scipion's `checkBackgroundStep` and `createMaskStep`
/// plus xmipp's clamping), with the checks an imported map needs.
public enum ResolutionMapPreparation {
    /// A minimum above this (Å) means the map has no zero background.
    public static let backgroundThreshold: Float = 0.01
    /// Values above this (Å) count as valid resolution (Scipion's mask threshold).
    public static let validThreshold: Float = 0.1

    /// Prepares `resolution` for a map on `grid`.
    ///
    /// 1. The grids must match (size, voxel size, origin to 1 % of a voxel).
    /// 2. With `mask` (binarised at 0.5), values outside it are set to 0 first, so a map that
    ///    covers the whole box (RELION's) is cut to the molecule and needs no background guess.
    /// 3. When the minimum is still above 0.01 (no zero background) and `detectBackground` is
    ///    on, the background-like largest values — those above max − 1 Å — are set to 0, and
    ///    `warnings` says so. Off, every voxel with a value counts (a map valid in the whole box).
    /// 4. Voxels above 0.1 Å form the mask; values there below Nyquist are raised to it.
    ///
    /// Throws when nothing is left, or when the values look like frequencies rather than Å.
    public static func prepare(_ resolution: Volume, for grid: VoxelGrid, restrictTo mask: Volume? = nil,
                               detectBackground: Bool = true, warnings: inout [String]) throws -> PreparedResolutionMap {
        if let why = grid.mismatch(with: resolution.grid) {
            throw MapbookError("the local-resolution map is not on the map's grid: \(why)")
        }
        if let mask, let why = grid.mismatch(with: mask.grid) {
            throw MapbookError("the mask is not on the map's grid: \(why)")
        }
        let nyquist = Float(2 * grid.voxelSize.max())
        var rho = resolution.voxels
        let count = rho.count
        var outsideSupplied = 0
        if let mask {
            rho.withUnsafeMutableBufferPointer { r in
                mask.voxels.withUnsafeBufferPointer { m in
                    for i in 0..<count where !(m[i] > 0.5) && r[i] != 0 { r[i] = 0; outsideSupplied += 1 }
                }
            }
        }
        if let bad = rho.first(where: { !$0.isFinite || $0 < 0 }) {
            throw MapbookError("the local-resolution map holds \(bad); local resolutions must be finite and not negative (Å)")
        }
        var low = Float.infinity, high = -Float.infinity
        for v in rho { low = min(low, v); high = max(high, v) }
        var backgroundLevel: Double? = nil
        var backgroundVoxels = 0
        if detectBackground && low > backgroundThreshold {
            let level = high - 1
            rho.withUnsafeMutableBufferPointer { r in
                for i in 0..<count where r[i] > level { r[i] = 0; backgroundVoxels += 1 }
            }
            backgroundLevel = Double(level)
            warnings.append(String(format: "the local-resolution map has no zero background (minimum %.2f Å): its largest values, above max − 1 = %.2f Å (%d voxels), were taken as background and set to 0; give a mask of the molecule to choose the region instead",
                                   low, level, backgroundVoxels))
        }
        var inside: [Float] = []
        var raised = 0
        var binary = AlignedArray<Float>(repeating: 0, count: count)
        rho.withUnsafeMutableBufferPointer { r in
            binary.withUnsafeMutableBufferPointer { m in
                for i in 0..<count {
                    if r[i] > validThreshold {
                        if r[i] < nyquist { r[i] = nyquist; raised += 1 }
                        m[i] = 1
                        inside.append(r[i])
                    } else {
                        r[i] = 0
                    }
                }
            }
        }
        guard !inside.isEmpty else {
            throw MapbookError(backgroundVoxels > 0
                ? "the local-resolution map has no voxel left once its background (values above max − 1 Å) is removed; give a mask of the molecule to choose the region"
                : "the local-resolution map is empty: no voxel holds a resolution above \(validThreshold) Å")
        }
        let maximum = inside.max()!, minimum = inside.min()!
        // Every value at Nyquist or below means the map is in another unit (digital frequency or
        // 1/Å gives values below 1) or belongs to a much finer grid.
        if maximum <= nyquist, raised == inside.count {
            throw MapbookError(String(format: "the local-resolution map's values (at most %.3f) are all finer than Nyquist (%.2f Å): is it in Å, and for this map?", maximum, nyquist))
        }
        if raised > 0 {
            warnings.append(String(format: "%d voxels of the local-resolution map were finer than Nyquist (%.2f Å) and were raised to it", raised, nyquist))
        }
        if maximum > 50 {
            warnings.append(String(format: "the local-resolution map reaches %.1f Å inside its mask; values this coarse usually mean background was left in (give a mask of the molecule)", maximum))
        }
        let median = Selection.median(&inside)
        let binWidth = 0.25
        let lo = (Double(minimum) / binWidth).rounded(.down) * binWidth
        let bins = max(1, Int(((Double(maximum) - lo) / binWidth).rounded(.down)) + 1)
        var counts = [Int](repeating: 0, count: bins)
        for v in inside { counts[min(bins - 1, Int((Double(v) - lo) / binWidth))] += 1 }
        var out = resolution
        out.grid = grid
        out.voxels = rho
        let record = ResolutionMapRecord(
            maskVoxels: inside.count, minimum: Double(minimum), median: Double(median), maximum: Double(maximum),
            backgroundLevel: backgroundLevel, backgroundVoxels: backgroundVoxels, voxelsOutsideSuppliedMask: outsideSupplied,
            raisedToNyquist: raised, histogramEdges: (0...bins).map { lo + Double($0) * binWidth }, histogramCounts: counts)
        return PreparedResolutionMap(resolution: out, mask: Volume(grid: grid, voxels: binary), record: record)
    }
}
