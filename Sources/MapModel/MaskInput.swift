import Foundation
import MapbookCore

/// A supplied soft mask, checked and placed on the maps' grid: the one place every command,
/// cell and algorithm loads a mask through.
///
/// RELION's conventions: values in [0, 1] (to rounding), not all zero, on the maps' grid to
/// `VoxelGrid.placementTolerance` of a voxel. The returned mask carries the maps' grid exactly,
/// so later comparisons of grids are exact.
public enum MaskInput {
    /// `mask` checked against `grid` (the grid of `maps`, as messages call them) and snapped
    /// to it; errors name `path`.
    public static func checked(_ mask: Volume, path: String, on grid: VoxelGrid, of maps: String = "the half maps") throws -> Volume {
        if let why = grid.mismatch(with: mask.grid) {
            throw MapbookError("mask is not on \(maps)' grid: \(why)", path: path)
        }
        let stats = mask.statistics
        if stats.min < -1e-6 || stats.max > 1 + 1e-6 {
            throw MapbookError(String(format: "mask values must lie in [0, 1], found %.4g to %.4g", stats.min, stats.max), path: path)
        }
        if stats.max <= 0 {
            throw MapbookError("mask is empty (all values are zero)", path: path)
        }
        var placed = mask
        placed.grid = grid
        return placed
    }
}
