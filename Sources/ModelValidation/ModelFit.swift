import Foundation
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps

/// Map–model validation as EMDB and Phenix report it, in one run: placement, the map–model
/// FSC (and against each half map), the CC family, d99 and d_model, Q-score and atom inclusion.
public enum ModelFit {
    /// Map-sized buffers held at the peak: the map, the model maps and masks, a few transforms.
    public static let peakMapCopies = 10.0

    /// The inputs' names in errors.
    public struct Names: Sendable {
        /// The map, the model.
        public var map: String, model: String
        /// Names; the defaults are neutral.
        public init(map: String = "the map", model: String = "the model") { self.map = map; self.model = model }
    }

    /// Runs every measure. `halves` adds the overfitting check and, without a given resolution,
    /// supplies it (their FSC 0.143 crossing); `localResolution` (on the map's grid) adds each
    /// residue's local resolution.
    public static func run(map: Volume, model: AtomicModel, halves: (Volume, Volume)? = nil, localResolution: Volume? = nil,
                           parameters p: ModelFitParameters = ModelFitParameters(), names: Names = Names(),
                           progress: ProgressReporter = .silent) throws -> ModelFitReport {
        try p.validate()
        let inside = try ModelPlacementCheck.requireMostlyInside(model, grid: map.grid, mapPath: names.map)
        let (d, dSource) = try resolution(p, halves: halves)
        progress.step("Model map and map–model FSC")
        let modelMap = try ModelMap.density(of: model, on: map.grid)
        let fscNames = (map: names.map, model: "the map of \(names.model)", mask: "the model mask")
        let mask = ModelMask.soft(model, grid: map.grid, radius: p.fscMaskRadius)
        let fsc = try MapModelFSC.compare(map: map, modelMap: modelMap, names: fscNames)
        let fscMasked = try MapModelFSC.compare(map: map, modelMap: modelMap, mask: mask, names: fscNames)
        let fscHalves = try halves.map { h in
            [try MapModelFSC.compare(map: h.0, modelMap: modelMap, mask: mask, names: fscNames),
             try MapModelFSC.compare(map: h.1, modelMap: modelMap, mask: mask, names: fscNames)]
        }
        let shift = ModelPlacementCheck.bestShift(map: map, modelMap: modelMap)
        progress.step("CC family, d99 and d_model")
        let correlations = try MapModelCorrelation.compute(map: map, model: model, resolution: d)
        let resolutions = try ResolutionFromModel.estimate(map: map, model: model)
        progress.step("Q-score")
        let q = try QScore.compute(map: map, model: model, parameters: QScoreParameters(sigma: p.qSigma))
        progress.step("Atom inclusion")
        let inclusion = AtomInclusion(map: map, model: model)
        let contour = try p.contour ?? AtomInclusion.recommendedLevel(map: map, model: model, resolution: d)
        guard let included = inclusion.fraction(atLevel: contour) else { throw MapbookError("atom inclusion is undefined: no atom lies inside the map's box", path: names.map) }
        let levels = inclusionLevels(inclusion, contour: contour)
        let curve = inclusion.curve(levels: levels, count: 50)?.map { [$0.level, $0.fraction] } ?? []

        var warnings: [String] = []
        if inside < 0.99 { warnings.append(String(format: "%.1f %% of the model's atoms lie outside the map's box", 100 * (1 - inside))) }
        let voxel = map.grid.voxelSize
        let shiftÅ = SIMD3(Double(shift.shift.x), Double(shift.shift.y), Double(shift.shift.z)) * voxel
        if shift.shift != .zero && shift.correlationAtBest > shift.correlationAtZero + 0.1 {
            warnings.append(String(format: "the model fits the map better moved by (%.1f, %.1f, %.1f) Å (%d, %d, %d voxels): correlation %.2f against %.2f as placed; check the map's origin",
                                   shiftÅ.x, shiftÅ.y, shiftÅ.z, shift.shift.x, shift.shift.y, shift.shift.z, shift.correlationAtBest, shift.correlationAtZero))
        }
        let expected = abs(p.qSigma - 0.6) < 1e-9 ? QScore.expected(atResolution: d) : nil
        return ModelFitReport(
            grid: map.grid, resolution: d, resolutionSource: dSource,
            placement: .init(atoms: q.atoms.count, insideFraction: inside, bestShiftVoxels: shift.shift, bestShift: shiftÅ,
                             correlationAsPlaced: shift.correlationAtZero, correlationAtBestShift: shift.correlationAtBest),
            fsc: fsc, fscMasked: fscMasked, fscHalves: fscHalves, correlations: correlations, resolutions: resolutions,
            meanQ: q.mean, expectedQ: expected, qSigma: p.qSigma, unscoredAtoms: q.unscoredAtoms, chains: q.chains,
            residues: residues(q, localResolution: localResolution), contour: contour,
            contourSource: p.contour == nil ? "encloses the model's volume" : "given", atomInclusion: included,
            inclusionCurve: curve, warnings: warnings, parameters: p)
    }

    /// The resolution given, else the half maps' FSC 0.143 crossing; neither is a problem
    /// naming the `resolution` parameter.
    static func resolution(_ p: ModelFitParameters, halves: (Volume, Volume)?) throws -> (Double, String) {
        if let d = p.resolution { return (d, "given") }
        guard let (h1, h2) = halves else {
            throw ParameterProblem(key: "resolution", value: nil, "is needed when no half maps are given")
        }
        let shells = FourierShells(grid: h1.grid)
        let estimate = try shells.fsc(FFT.forward(h1), FFT.forward(h2)).resolution(at: .goldStandard)
        let d = estimate.interpolatedResolution
        guard d.isFinite, d > 0 else { throw ParameterProblem(key: "resolution", value: nil, "cannot be read from the half maps' FSC; give it") }
        return (d, "half-map FSC 0.143")
    }

    /// Levels for the inclusion curve: from 0 (or the lowest atom value when negative) to the
    /// highest atom value, with the contour inside.
    static func inclusionLevels(_ inclusion: AtomInclusion, contour: Double) -> ClosedRange<Double> {
        let values = inclusion.values.compactMap { $0 }.map(Double.init)
        let low = min(0, values.min() ?? 0, contour), high = max(values.max() ?? 1, contour)
        return low...(high > low ? high : low + 1)
    }

    /// Each residue's Q, mean B and, with a local-resolution map, mean local resolution at its atoms.
    static func residues(_ q: QScore, localResolution: Volume?) -> [ModelFitReport.Residue] {
        let qByResidue = Dictionary(q.residues.map { ($0.id, $0.q) }, uniquingKeysWith: { a, _ in a })
        return ModelValidation.residues(q.atoms).map { id, members in
            let b = members.reduce(0.0) { $0 + q.atoms[$1].bFactor } / Double(members.count)
            var local: Double? = nil
            if let map = localResolution {
                let values = members.compactMap { AtomInclusion.interpolate(map, at: q.atoms[$0].position) }.filter { $0 > 0 }
                if !values.isEmpty { local = values.reduce(0.0) { $0 + Double($1) } / Double(values.count) }
            }
            return ModelFitReport.Residue(id: id, q: qByResidue[id], bFactor: b, localResolution: local)
        }
    }
}
