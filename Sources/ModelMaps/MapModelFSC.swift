import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// How well a map agrees with a map computed from a model.
public struct MapModelComparison: Sendable, Codable {
    /// The map–model FSC, per Fourier shell of the map's grid (NaN where undefined: see
    /// `FourierShells.fsc`).
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
    ///
    /// Shells where either map holds only rounding residue (beyond a low-pass of the map, say)
    /// are undefined (see `FourierShells.fsc`); an FSC undefined at the lowest resolution — a
    /// constant map, an all-zero mask, a mask that misses the maps' density — is an error naming
    /// the input (`names`: map, model map, mask; file paths when they came from files).
    public static func compare(map: Volume, modelMap: Volume, mask: Volume? = nil,
                               names: (map: String, model: String, mask: String) = ("map", "model map", "mask")) throws -> MapModelComparison {
        if let why = map.grid.mismatch(with: modelMap.grid) { throw MapbookError("model map is not on the map's grid: \(why)") }
        if let mask, let why = map.grid.mismatch(with: mask.grid) {
            throw MapbookError("mask is not on the map's grid: \(why)")
        }
        try FSCInput.requireVarying(map, name: names.map)
        try FSCInput.requireVarying(modelMap, name: names.model)
        if let mask { try FSCInput.requireNonzeroMask(mask, name: names.mask) }
        var a = map, b = modelMap
        b.grid = a.grid
        if let mask {
            a.multiply(by: mask)
            b.multiply(by: mask)
        }
        let shells = FourierShells(grid: a.grid)
        let fa = FFT.forward(a), fb = FFT.forward(b)
        var curve = shells.fsc(fa, fb)
        if mask != nil, !curve.isDefined(1) {
            throw MapbookError("the masked maps have no power above rounding level at the lowest resolution (shell 1): the mask covers none of their density, so the masked FSC is undefined", path: names.mask)
        }
        try FSCInput.requireDefined(curve, fa, fb, names: (names.map, names.model), shells: shells)
        if !curve.fsc.isEmpty { curve.fsc[0] = 1 } // the DC term, as RELION reports it
        let correlation = Volume.correlation(map, modelMap, mask: mask)
        guard correlation.isFinite else {
            // A constant map or model map (inside the mask): the correlation is undefined.
            throw MapbookError("the real-space correlation is undefined: the map or the model map is constant\(mask == nil ? "" : " inside the mask")")
        }
        return MapModelComparison(fsc: curve,
                                  resolutionAtHalf: try curve.resolution(at: .fixed(0.5)),
                                  resolutionAtGoldStandard: try curve.resolution(at: .goldStandard),
                                  correlation: correlation,
                                  masked: mask != nil)
    }
}
