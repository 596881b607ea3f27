import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// How well a map agrees with a map computed from a model.
public struct MapModelComparison: Sendable, Codable {
    /// The map–model FSC, per Fourier shell of the map's grid.
    public var fsc: FSCCurve
    /// Where the FSC falls below 0.5 (the usual map–model criterion).
    public var resolutionAtHalf: ResolutionEstimate
    /// Where the FSC falls below 0.143.
    public var resolutionAtGoldStandard: ResolutionEstimate
    /// Real-space correlation of the two maps (weighted by the mask when there is one).
    public var correlation: Double
    /// Whether both maps were multiplied by a mask first.
    public var masked: Bool
}

/// Map–model comparison: FSC and real-space correlation between a map and a model map on the
/// same grid.
public enum MapModelFSC {
    /// Compares `map` with `modelMap` (same grid), both multiplied by `mask` when one is given
    /// (a soft mask, so the FSC measures the masked region without sharp-edge artefacts).
    public static func compare(map: Volume, modelMap: Volume, mask: Volume? = nil) throws -> MapModelComparison {
        if let why = map.grid.mismatch(with: modelMap.grid) { throw MapbookError("model map is not on the map's grid: \(why)") }
        if let mask, let why = map.grid.mismatch(with: mask.grid, originTolerance: 0.1) {
            throw MapbookError("mask is not on the map's grid: \(why)")
        }
        var a = map, b = modelMap
        b.grid = a.grid
        if let mask {
            multiply(&a, by: mask)
            multiply(&b, by: mask)
        }
        let shells = FourierShells(grid: a.grid)
        var curve = shells.fsc(FFT.forward(a), FFT.forward(b))
        if !curve.fsc.isEmpty { curve.fsc[0] = 1 } // the DC term, as RELION reports it
        let correlation = Volume.correlation(map, modelMap, mask: mask)
        guard correlation.isFinite else {
            // A constant map or model map (inside the mask): the correlation is undefined.
            throw MapbookError("the real-space correlation is undefined: the map or the model map is constant\(mask == nil ? "" : " inside the mask")")
        }
        return MapModelComparison(fsc: curve,
                                  resolutionAtHalf: curve.resolution(at: .fixed(0.5)),
                                  resolutionAtGoldStandard: curve.resolution(at: .goldStandard),
                                  correlation: correlation,
                                  masked: mask != nil)
    }

    private static func multiply(_ v: inout Volume, by mask: Volume) {
        v.voxels.withUnsafeMutableBufferPointer { out in
            mask.voxels.withUnsafeBufferPointer { m in
                Parallelism.forEachRange(out.count, minimumPerChunk: 1 << 15) { _, r in
                    for i in r { out[i] *= m[i] }
                }
            }
        }
    }
}
