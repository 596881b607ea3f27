import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Half-map sharpening that maximises the expected correlation of the sharpened map with the
/// true map (`ExpectedCorrelationWeight`), globally or in soft local windows blended smoothly.
///
/// Global: the halves, multiplied by the mask, give one weight per shell, applied to the
/// unmasked average. Local: the same weights measured in windows on a lattice over the box
/// (`LocalHalfMapStatistics`), each window's signal fall-off fitted on its own where it has
/// enough signal and the global fit used where it has not; the weights are gathered on
/// frequency nodes with triangular weights, so the map is the sum over nodes of the average
/// filtered by that node's triangle (one inverse transform per node) times the node's weight
/// interpolated trilinearly between window centres. Windows that the mask barely covers take
/// the global weights, so the solvent is filtered as the molecule's surroundings are.
public enum HalfMapSharpening {
    /// Sharpens the average of `half1` and `half2`, or `map` when given (a full map on their
    /// grid, filtered by the weights the halves measure); `mask` (soft, in [0, 1]) sets where
    /// the statistics are measured, the whole box when nil.
    public static func sharpen(map: Volume? = nil, half1: Volume, half2: Volume, mask: Volume?, parameters p: HalfMapSharpeningParameters,
                               progress: ProgressReporter = .silent) throws -> HalfMapSharpeningResult {
        try p.validate()
        let grid = half1.grid
        if let why = grid.mismatch(with: half2.grid) { throw MapbookError("the half maps are not on one grid: \(why)") }
        if let mask, let why = grid.mismatch(with: mask.grid) { throw MapbookError("the mask is not on the half maps' grid: \(why)") }
        if let map, let why = grid.mismatch(with: map.grid) { throw MapbookError("the map is not on the half maps' grid: \(why)") }
        let shells = FourierShells(grid: grid)

        progress.step("Half-map statistics over the masked map")
        let (bins, fsc, masked) = globalBins(half1, half2, mask: mask, shells: shells)
        guard fsc.isDefined(1) else { throw MapbookError(FSCCurve.undefinedAtFirstShell) }
        let model = SignalModel.fit(bins)
        var notes: [String] = []
        if model == nil {
            notes.append("no shell past 10 Å holds enough signal (full-map FSC ≥ 0.2) to measure the map's fall-off: the map is only Wiener-filtered, not sharpened")
        }
        let weights = ExpectedCorrelationWeight.weights(bins, model: model, targetBFactor: p.targetBFactor)
        let resolution = try? fsc.resolution(at: .goldStandard).interpolatedResolution

        var average = FFT.forward(map ?? HalfMapPair.average(half1, half2))
        var report = HalfMapSharpeningReport(mode: p.mode, applied: p.mode, targetBFactor: p.targetBFactor, fsc: fsc, resolution: resolution,
                                             signal: model, shellWeights: weights, notes: notes)
        func localWeights() -> LocalWeights {
            localFilter(half1: half1, half2: half2, mask: mask, global: (bins, model), shells: shells,
                        resolution: resolution ?? shells.nyquistResolution, parameters: p, report: &report, progress: progress)
        }
        func byDirection() -> DirectionalWeights {
            progress.step("Weights per shell in \(DirectionalWeights.directionCount) directions")
            return directional(masked, shells: shells, model: model, parameters: p, report: &report)
        }
        // Auto measures the windows and the directions to choose; a given mode only what it applies.
        var filter: LocalWeights? = nil, directions: DirectionalWeights? = nil
        if p.mode == .auto {
            filter = localWeights()
            directions = byDirection()
            chooseAutomatically(directions!, report: &report)
        }
        switch report.applied {
        case .global, .auto:
            progress.step("Applying one weight per shell")
            shells.apply(SpectralFilter(shellWeights: weights), to: &average)
        case .anisotropic:
            (directions ?? byDirection()).apply(to: &average, shells: shells)
        case .local, .localAnisotropic:
            let local = filter ?? localWeights()
            if report.applied == .localAnisotropic {
                (directions ?? byDirection()).applyRelative(to: &average, shells: shells, global: weights)
            }
            progress.step("Blending \(local.nodes.count) frequency bands")
            return HalfMapSharpeningResult(map: local.apply(to: average, shells: shells), report: report)
        }
        return HalfMapSharpeningResult(map: FFT.backward(consume average), report: report)
    }

    /// Auto's mode, from the windows' fits recorded in `report` and the spread of the
    /// directional FSC (`anisotropyThreshold`, `strongAnisotropyThreshold`): sets
    /// `report.applied` and `report.reason`, and drops the directional B range when no
    /// direction is weighted.
    static func chooseAutomatically(_ directions: DirectionalWeights, report: inout HalfMapSharpeningReport) {
        let ratio = directions.anisotropyRatio
        let (useLocal, localReason) = choice(report)
        let directionText = String(format: "the half-map FSC reaches 0.143 at %.2f Å in the best direction and %.2f Å in the worst (ratio %.2f)",
                                   directions.resolutions.min()!, directions.resolutions.max()!, ratio)
        if ratio >= strongAnisotropyThreshold || (ratio >= anisotropyThreshold && !useLocal) {
            report.applied = .anisotropic
            report.reason = String(format: "anisotropic: %@, at least %.2f; ", directionText, useLocal ? strongAnisotropyThreshold : anisotropyThreshold) + localReason
        } else if ratio >= anisotropyThreshold {
            report.applied = .localAnisotropic
            report.reason = localReason + String(format: ", with the per-direction correction: %@, from %.2f to %.2f", directionText, anisotropyThreshold, strongAnisotropyThreshold)
        } else {
            report.applied = useLocal ? .local : .global
            report.reason = (useLocal ? "" : "global: ") + localReason + String(format: ", and the FSC is about the same in every direction (worst over best 0.143 resolution %.2f, under %.2f)", ratio, anisotropyThreshold)
            report.directionalBFactorRange = nil
        }
    }

    /// The per-direction weights of the masked halves' spectra, with their range of fitted
    /// envelope B recorded in `report`.
    static func directional(_ masked: (HalfSpectrum, HalfSpectrum), shells: FourierShells, model: SignalModel?,
                            parameters p: HalfMapSharpeningParameters, report: inout HalfMapSharpeningReport) -> DirectionalWeights {
        let weights = DirectionalWeights(masked.0, masked.1, shells: shells, fallback: model, targetBFactor: p.targetBFactor)
        let fitted = weights.envelopeB.compactMap { $0 }
        if let lo = fitted.min(), let hi = fitted.max() { report.directionalBFactorRange = [lo, hi] }
        return weights
    }

    /// The ratio of the worst to the best directional 0.143 resolution from which auto applies
    /// the per-direction correction (on top of local weights where windows hold signal, else
    /// alone). Cones of an isotropic map scatter by a few per cent where the noise has the
    /// signal's spectrum; with white noise a helix bundle's layer-line spectrum spreads them
    /// by up to 1.38 (the harness's radial design). On top of local weights the correction
    /// costs little there (helix_radial_4A 0.849 against local's 0.856) and gains where the
    /// FSC truly differs by direction (helix_aniso_4A 0.791, against 0.781 for the
    /// per-direction weights alone and 0.777 for local ones).
    public static let anisotropyThreshold = 1.2

    /// The ratio from which auto applies the per-direction weights alone, without local ones:
    /// where the FSC differs strongly by direction, the windows' isotropic fits mix directions
    /// and the combination loses (ratio 2 at 40³: 0.703 combined, 0.722 per direction alone),
    /// while at a ratio of 1.5 it gains (helix_aniso_4A: 0.791 against 0.781).
    public static let strongAnisotropyThreshold = 1.5

    /// Auto's choice between local and global, from half-map evidence only: local when at least
    /// 8 windows hold enough signal to fit their own fall-off, global otherwise. The spread of
    /// the windows' envelope B is reported, not used: local weights scored at least as well as
    /// global ones on every isotropic design of the sharpening harness (within 0.002 where the
    /// envelope is the same everywhere, helix_uniform_3.5A 0.918 against 0.920; 0.008–0.028
    /// better elsewhere) and on the tests' own seeds, so a threshold on the spread only lost
    /// the local gain where regions differ smoothly.
    ///
    /// Judging the modes' maps by `HalfMapJudge` instead was tried and is not used: its
    /// reference undoes one global envelope, which favours the global weights where regions
    /// differ (two domains at 40³: global 0.809 chosen over local 0.835) and the isotropic
    /// ones where directions differ (local 0.685 chosen over anisotropic 0.722).
    static func choice(_ r: HalfMapSharpeningReport) -> (local: Bool, reason: String) {
        guard let p = r.localBFactorPercentiles, let fitted = r.fittedWindows, fitted >= 8 else {
            return (false, "too few local windows hold enough signal to measure their own fall-off")
        }
        return (true, String(format: "local: %d windows hold enough signal to measure their own fall-off (envelope B %.0f to %.0f Å² between their 5th and 95th percentile)",
                             fitted, p[0], p[2]))
    }

    /// The per-shell sums of the masked halves, their FSC (shell 0 set to 1, as RELION does) and
    /// their spectra.
    static func globalBins(_ half1: Volume, _ half2: Volume, mask: Volume?, shells: FourierShells) -> ([HalfMapBin], FSCCurve, (HalfSpectrum, HalfSpectrum)) {
        let f1 = FFT.forward(mask.map { half1.multiplied(by: $0) } ?? half1)
        let f2 = FFT.forward(mask.map { half2.multiplied(by: $0) } ?? half2)
        let bins = HalfMapBin.shells(f1, f2, shells: shells)
        var fsc = shells.fsc(f1, f2)
        if fsc.shellCount > 0 { fsc.fsc[0] = 1 }
        return (bins, fsc, (f1, f2))
    }

    /// The local mode's weights (see the type's description), ready to apply to a spectrum.
    static func localFilter(half1: Volume, half2: Volume, mask: Volume?, global: ([HalfMapBin], SignalModel?),
                            shells: FourierShells, resolution: Double, parameters p: HalfMapSharpeningParameters,
                            report: inout HalfMapSharpeningReport, progress: ProgressReporter) -> LocalWeights {
        let grid = half1.grid
        let diameter = p.windowDiameter(resolution: resolution, boxLength: grid.boxLength.min())
        let edge = LocalHalfMapStatistics.cubeEdge(diameter: diameter, grid: grid)
        // Nodes 1.5 window shells apart: each holds enough coefficients for a stable FSC.
        let nodes = FrequencyNodes(spacing: 1.5 / (Double(edge) * grid.voxelSize.max()),
                                   through: shells.frequency(shells.shellCount - 1))
        let lattice = WindowLattice(size: grid.size, spacing: diameter / 3 / grid.voxelSize.max())
        let stats = LocalHalfMapStatistics.windows(half1: half1, half2: half2, mask: mask, diameter: diameter, lattice: lattice,
                                                   nodes: nodes, progress: progress)
        // The global weights on the nodes: the fallback where a window has no statistics.
        let globalNodeWeights = (0..<nodes.count).map { k -> Double in
            let q = nodes.frequency(k)
            let i = min(shells.shellCount - 1, Int((q * shells.referenceLength).rounded()))
            return ExpectedCorrelationWeight.weights([global.0[i]], model: global.1, targetBFactor: p.targetBFactor)[0]
        }
        var nodeWeights = [[Float]](repeating: [Float](repeating: 0, count: lattice.count), count: nodes.count)
        var fitted = 0, measured = 0
        var localB: [Double] = []
        for c in 0..<lattice.count {
            var w = globalNodeWeights
            if let bins = stats[c] {
                measured += 1
                let own = SignalModel.fit(bins)
                if let own { fitted += 1; localB.append(own.bFactor) }
                w = ExpectedCorrelationWeight.weights(bins, model: own ?? global.1, targetBFactor: p.targetBFactor)
            }
            for k in 0..<nodes.count { nodeWeights[k][c] = Float(max(0, w[k])) }
        }
        localB.sort()
        report.windowDiameter = diameter
        report.windows = lattice.count
        report.measuredWindows = measured
        report.fittedWindows = fitted
        if !localB.isEmpty {
            report.localBFactorPercentiles = [0.05, 0.5, 0.95].map { localB[min(localB.count - 1, Int($0 * Double(localB.count)))] }
        }
        return LocalWeights(nodes: nodes, lattice: lattice, nodeWeights: nodeWeights)
    }

    /// Local weights: one per frequency node and window centre.
    struct LocalWeights {
        let nodes: FrequencyNodes
        let lattice: WindowLattice
        let nodeWeights: [[Float]]

        /// The sum over nodes of the spectrum filtered by the node's triangle (one inverse
        /// transform per node) times the node's weight interpolated between window centres.
        func apply(to spectrum: HalfSpectrum, shells: FourierShells) -> Volume {
            var out = Volume(grid: spectrum.grid)
            var band = Volume(grid: spectrum.grid)
            for k in 0..<nodes.count {
                var filtered = spectrum
                shells.apply(SpectralFilter(shellWeights: (0..<shells.shellCount).map { nodes.triangle(k, at: shells.frequency($0)) }), to: &filtered)
                FFT.backward(destroying: &filtered, into: &band)
                lattice.addInterpolated(nodeWeights[k], times: band, into: &out)
            }
            return out
        }
    }
}

extension HalfMapSharpening {
    /// Peak memory in map copies: two halves, two masked copies and their spectra (a half
    /// spectrum is one map of floats), the average's spectrum, one band and its volume, and
    /// the output. Measured with `bench/e2e_512.sh` (the `recommended` cell, automatic mode):
    /// 3.7 maps above the earlier count of 8 at 256³, 5.6 at 512³; 14 keeps a margin.
    public static let peakMapCopies: Double = 14
}
