import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Parameters of MonoRes (Vilas et al. 2018), with xmipp's defaults.
public struct MonoResParameters: DeclaredParameters, Equatable {
    /// Coarsest resolution tested (Å), where the sweep starts. Nil: 12 Å or 5 voxels,
    /// whichever is coarser.
    @Parameter("low", .positive, unit: "Å", "MonoRes: coarsest resolution tested, where the sweep starts",
               source: "Vilas et al. 2018 (MonoRes); Xmipp xmipp_resolution_monogenic_signal --minRes",
               defaultMeaning: "12 Å or 5 voxels, whichever is coarser", inStarterPlan: false)
    public var lowResolution: Double? = nil
    /// Step between trial resolutions (Å); at least `minimumStep`. The default is what
    /// Scipion's MonoRes protocol passes when its step is left empty (0.5 Å since 2021; the
    /// xmipp program's own default, 0.25 Å, doubles the sweep's cost for steps finer than the
    /// shells at low resolution).
    @Parameter("step", .atLeast(MonoResParameters.minimumStep), unit: "Å", "MonoRes: step between trial resolutions",
               source: "Vilas et al. 2018 (MonoRes); Scipion XmippProtMonoRes default (0.5 Å); xmipp_resolution_monogenic_signal --step")
    public var step: Double = 0.5
    /// The finest step allowed, Å: xmipp's MonoRes clamps its step there, and finer steps
    /// only add cost below what the amplitude's noise can resolve.
    public static let minimumStep = 0.25

    /// Significance of the noise threshold (the noise amplitude quantile a voxel must beat).
    @Parameter("significance", .open(0.5, 1), "MonoRes: significance of the noise threshold (the noise quantile a voxel must beat)",
               source: "Vilas et al. 2018 (MonoRes); Xmipp xmipp_resolution_monogenic_signal --significance")
    public var significance: Double = 0.95
    /// Use a Gaussian threshold (mean + z·sd of the noise) instead of the empirical quantile.
    @Parameter("gaussian", "MonoRes: Gaussian noise threshold (mean + z·sd) instead of the empirical quantile",
               source: "Xmipp xmipp_resolution_monogenic_signal --gaussian", inStarterPlan: false)
    public var gaussianThreshold = false
    /// Half-map mode: also take noise from outside the mask (by default only from the
    /// half-map difference inside it, as Scipion does).
    @Parameter("noise_outside_mask", "MonoRes with half maps: also take noise from outside the mask",
               source: "Xmipp xmipp_resolution_monogenic_signal --noiseonlyinhalves (inverted)", inStarterPlan: false)
    public var noiseOutsideMask = false
    /// Half-map mode only: take noise only from the half-map difference inside the mask (the
    /// Scipion default); otherwise also from outside the mask.
    public var noiseOnlyInHalves: Bool {
        get { !noiseOutsideMask }
        set { noiseOutsideMask = !newValue }
    }
    /// Binarisation level for a supplied soft mask (set by `LocalResolutionParameters`).
    public var maskThreshold: Double = 0.5
    /// Allow working in a box cut around the mask (half-map mode, noise inside the mask only).
    public var allowCrop = true

    /// The defaults above.
    public init() {}

    /// The low limit used for `grid`.
    public func resolvedLowResolution(for grid: VoxelGrid) -> Double {
        lowResolution ?? max(12, 5 * grid.voxelSize.max())
    }
}

/// Why the sweep stopped.
public enum MonoResStopReason: String, Sendable, Codable {
    /// 97.5 % of the mask had been assigned.
    case maskFinished = "nearly every masked voxel was assigned"
    /// No voxel was left under test.
    case noVoxelsLeft = "no voxel was left to test"
    /// The mean signal amplitude fell below 0.1 % of its maximum.
    case signalTooLow = "the signal amplitude fell below 0.1% of its peak"
    /// The signal no longer exceeded the noise significantly (z < 1.645).
    case notSignificant = "the signal was no longer significantly above the noise"
    /// The sweep reached Nyquist.
    case reachedNyquist = "the sweep reached Nyquist"
}

/// What MonoRes produced.
public struct MonoResResult: Sendable {
    /// Local resolution (Å) inside the refined mask, 0 outside.
    public var resolution: Volume
    /// The same inside the mask, the median outside (for surface colouring, as xmipp writes it).
    public var resolutionForColouring: Volume
    /// The voxels that received a resolution (1) or not (0).
    public var assignedMask: Volume
    /// Numbers for reports.
    public var summary: MonoResSummary
}

/// Numbers describing a MonoRes run.
public struct MonoResSummary: Sendable, Codable, Equatable {
    /// Half-map or single-map mode.
    public var halfMapMode: Bool
    /// The trial resolutions actually tested (Å).
    public var testedResolutions: [Double]
    /// Why the sweep stopped.
    public var stopReason: MonoResStopReason
    /// Median, 5th and 95th percentile of the assigned resolutions (Å).
    public var median: Double, percentile5: Double, percentile95: Double
    /// Lowest and highest assigned resolution values (Å).
    public var best: Double, worst: Double
    /// Voxels in the input mask, and the fraction of them that received a resolution.
    public var maskVoxels: Int, assignedFraction: Double
    /// Histogram of assigned resolutions: bin edges (Å) and counts.
    public var histogramEdges: [Double], histogramCounts: [Int]
    /// Things the user should know.
    public var warnings: [String]
    /// The parameters used (low limit resolved).
    public var lowResolution: Double, step: Double, significance: Double
}

/// MonoRes local resolution, following what xmipp's `resolution_monogenic_signal` does (see
/// docs: sweep from a low limit towards Nyquist; at each trial frequency a voxel passes when
/// its monogenic amplitude beats the noise quantile; two failures in a row end its search).
public enum MonoRes {
    /// MonoRes works in a box around the mask only when that box holds at most this fraction
    /// of the map's voxels.
    static let cropFraction = 0.75

    /// Runs MonoRes. With `half2`, noise comes from the half-map difference (half-map mode);
    /// without, from outside the mask. `mask` is a soft or binary mask on the same grid (nil:
    /// one is made from the map). Pass the maps with `consume` to free them early.
    ///
    /// In half-map mode with noise taken only inside the mask (the default), only the mask's
    /// region matters, so the work is done in a box cut around it when that saves a quarter of
    /// the volume or more; the results are placed back on the full grid. The margin — the low
    /// limit in voxels, at least 8 — keeps the molecule's copies across the periodic boundary
    /// two filter widths apart (the widest high-pass kernel, at the low limit, reaches about
    /// 8 voxels).
    public static func run(half1: consuming Volume, half2: consuming Volume?, mask: Volume?, parameters p: MonoResParameters = MonoResParameters(),
                           progress: ProgressReporter = .silent) throws -> MonoResResult {
        let grid = half1.grid
        if let h2 = half2, let why = grid.mismatch(with: h2.grid) { throw MapbookError("half maps do not share a grid: \(why)") }
        if let mask, let why = grid.mismatch(with: mask.grid) { throw MapbookError("mask is not on the map's grid: \(why)") }
        try p.validate()
        let voxel = grid.voxelSize.max()
        let low = p.resolvedLowResolution(for: grid)
        guard low > 2 * voxel else {
            throw MapbookError(String(format: "the low resolution limit %.2f Å must be coarser than Nyquist (%.2f Å)", low, 2 * voxel))
        }
        let step = p.step
        let halfMode = half2 != nil
        let sweep = ResolutionSweep(low: low, step: step, voxel: voxel, boxVoxels: grid.size.max())
        guard !sweep.resolutions.isEmpty else { throw MapbookError("no trial resolution between the low limit and Nyquist") }

        progress.step("MonoRes: preparing \(halfMode ? "half-map" : "single-map") mode")
        // Signal S = (V1 + V2)/2 and, in half-map mode, noise N = (V1 − V2)/2, in real space.
        var signalMap = half1
        var noiseMap: Volume? = nil
        if let h2 = half2 {
            var n = signalMap
            n.voxels.withUnsafeMutableBufferPointer { a in
                h2.voxels.withUnsafeBufferPointer { b in
                    Parallelism.forEachRange(a.count, minimumPerChunk: 1 << 16) { _, r in for i in r { a[i] = 0.5 * (a[i] - b[i]) } }
                }
            }
            signalMap.voxels.withUnsafeMutableBufferPointer { a in
                h2.voxels.withUnsafeBufferPointer { b in
                    Parallelism.forEachRange(a.count, minimumPerChunk: 1 << 16) { _, r in for i in r { a[i] = 0.5 * (a[i] + b[i]) } }
                }
            }
            noiseMap = n
        }
        half2 = nil
        let count = grid.count

        // Mask codes: 1 protein under test, 2 failed once, 0 noise, −1 ignored.
        var code = [Int8](repeating: 0, count: count)
        var maskVoxels = 0
        do {
            let binary: [Bool]
            if let mask {
                let t = Float(p.maskThreshold)
                binary = mask.voxels.withUnsafeBufferPointer { m in (0..<count).map { m[$0] > t } }
            } else {
                binary = automaticMask(signalMap)
            }
            for i in 0..<count where binary[i] { code[i] = 1; maskVoxels += 1 }
        }
        guard maskVoxels > 0 else { throw MapbookError("the mask is empty: no voxel above \(p.maskThreshold)") }
        var warnings: [String] = []
        excludeBeyondCliff(signalMap, code: &code, warnings: &warnings)

        let noiseOnlyInside = halfMode && p.noiseOnlyInHalves
        if noiseOnlyInside {
            for i in 0..<count where code[i] < 1 { code[i] = -1 }
        } else {
            let noiseCount = code.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            guard noiseCount > 0 else {
                throw MapbookError("no voxel outside the mask is left to measure noise from (the mask fills the box); give two half maps")
            }
            if !halfMode {
                // A map masked before MonoRes has exactly flat solvent: the threshold would be 0
                // and every voxel would reach Nyquist.
                var sum = 0.0, sum2 = 0.0, n = 0.0
                signalMap.voxels.withUnsafeBufferPointer { v in
                    for i in 0..<count where code[i] == 0 { sum += Double(v[i]); sum2 += Double(v[i]) * Double(v[i]); n += 1 }
                }
                let variance = sum2 / n - (sum / n) * (sum / n)
                if !(variance > 1e-12 * max(1e-30, sum2 / n)) {
                    throw MapbookError("the map is flat outside the mask (it was masked already), so there is no noise to compare with; give two unmasked half maps")
                }
            }
            try refineMask(FFT.forward(signalMap), code: &code, voxel: voxel, warnings: &warnings)
        }
        guard code.contains(where: { $0 >= 1 }) else {
            throw MapbookError("no masked voxel is left after refining the mask: the map shows no signal above the noise")
        }

        // Work in a box around the mask when only the mask's region matters and the box is at
        // least a quarter smaller (Fourier work shrinks with the volume).
        let crop = noiseOnlyInside && p.allowCrop
            ? SubBox.enclosing(size: grid.size, margin: max(8, Int((low / voxel).rounded(.up)))) { code[$0] >= 1 }
                .flatMap { Double($0.count) <= Self.cropFraction * Double(grid.count) ? $0 : nil }
            : nil
        let work = crop.map { $0.grid(of: grid) } ?? grid
        var workCode = code
        if let crop {
            signalMap = crop.cut(signalMap)
            noiseMap = noiseMap.map { crop.cut($0) }
            workCode = crop.extract(code, fullSize: grid.size)
        }
        let signal = FFT.forward(signalMap)
        let noise = noiseMap.map { FFT.forward($0) }
        signalMap = Volume(grid: VoxelGrid(size: .zero, voxelSize: grid.voxelSize))
        noiseMap = nil

        let sweepResult = runSweep(signal: signal, noise: noise, code: &workCode, sweep: sweep, maskVoxels: maskVoxels,
                                   significance: p.significance, gaussian: p.gaussianThreshold, progress: progress)
        progress.finish()
        var result = try postProcess(res: sweepResult.res, grid: work, tested: sweepResult.tested, stop: sweepResult.stop,
                                     maskVoxels: maskVoxels, halfMode: halfMode, low: low, step: step,
                                     significance: p.significance, warnings: warnings)
        if let crop {
            let fill = Float(result.summary.median)
            result.resolution = crop.embed(result.resolution, in: grid, outside: 0)
            result.resolutionForColouring = crop.embed(result.resolutionForColouring, in: grid, outside: fill)
            result.assignedMask = crop.embed(result.assignedMask, in: grid, outside: 0)
        }
        return result
    }

    /// The resolution sweep proper: per trial frequency, the signal (and noise) amplitude, the
    /// noise threshold, the per-voxel pass/fail state machine and the stopping rules.
    static func runSweep(signal: HalfSpectrum, noise: HalfSpectrum?, code: inout [Int8], sweep: ResolutionSweep, maskVoxels: Int,
                         significance: Double, gaussian: Bool, progress: ProgressReporter) -> (res: [Float], tested: [Double], stop: MonoResStopReason) {
        let grid = signal.grid
        let count = grid.count
        let halfMode = noise != nil
        let amplitude = MonogenicAmplitude(grid: grid)
        var aSignal = Volume(grid: grid)
        var aNoise = Volume(grid: grid)
        var res = [Float](repeating: 0, count: count)
        var noiseSample = [Float]()
        var maxMeanS = 0.0
        var stop = MonoResStopReason.reachedNyquist
        var tested: [Double] = []
        for (iter, (r, u)) in zip(sweep.resolutions, sweep.digitalFrequencies).enumerated() {
            progress.update(String(format: "MonoRes: %.2f Å", r), fraction: Double(iter) / Double(sweep.resolutions.count))
            amplitude.amplitude(of: signal, u: u, into: &aSignal)
            if let noise { amplitude.amplitude(of: noise, u: u, into: &aNoise) }
            tested.append(r)
            let r2 = tested[max(0, tested.count - 3)]

            let stats = sampleStatistics(signal: aSignal, noise: halfMode ? aNoise : aSignal, code: code, halfMode: halfMode, into: &noiseSample)
            let nS = stats.nS, nN = noiseSample.count
            if Double(nS) / Double(maskVoxels) < 0.025 { stop = .maskFinished; break }
            if nS == 0 || nN == 0 { stop = .noVoxelsLeft; break }
            maxMeanS = max(maxMeanS, stats.meanS)
            if stats.meanS < 0.001 * maxMeanS { stop = .signalTooLow; break }
            let threshold: Float = gaussian
                ? Float(stats.meanN + 1.6448536269514722 * stats.varN.squareRoot())
                : Selection.quantile(&noiseSample, significance)

            // Per-voxel state machine: pass → code 1 and this resolution; two failures in a row
            // → finished with the last resolution passed (R two steps back).
            code.withUnsafeMutableBufferPointer { c in
                res.withUnsafeMutableBufferPointer { rs in
                    aSignal.voxels.withUnsafeBufferPointer { a in
                        Parallelism.forEachRange(count, minimumPerChunk: 1 << 15) { _, range in
                            for i in range where c[i] >= 1 {
                                if a[i] > threshold {
                                    c[i] = 1
                                    rs[i] = Float(r)
                                } else {
                                    c[i] += 1
                                    if c[i] == 3 {
                                        rs[i] = Float(r2)
                                        c[i] = halfMode ? 0 : -1
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // The amplitudes are smooth (the envelope is low-passed at u + 0.02), so neighbouring
            // voxels are not independent samples; xmipp's z-test treats them as such and, on pure
            // noise, lets the sweep run on. Count one sample per correlation volume instead:
            // (1/(2·u_L))³ voxels for an envelope band-limited at u_L.
            let uL = min(u + 0.02, 0.5)
            let correlationVolume = max(1, pow(1 / (2 * uL), 3))
            let z = (stats.meanS - stats.meanN) / ((stats.varS / Double(nS) + stats.varN / Double(nN)) * correlationVolume).squareRoot()
            if !(z >= 1.6448536269514722) { stop = .notSignificant; break }
        }
        return (res, tested, stop)
    }

    /// Mean and variance of the signal amplitude over voxels under test, and of the noise
    /// amplitude over the noise voxels, whose values are gathered into `sample` (for the
    /// quantile). One parallel pass.
    static func sampleStatistics(signal: Volume, noise: Volume, code: [Int8], halfMode: Bool, into sample: inout [Float])
        -> (nS: Int, meanS: Double, varS: Double, meanN: Double, varN: Double) {
        let count = code.count
        let minimum = 1 << 16
        let chunks = Parallelism.chunkCount(count, minimumPerChunk: minimum)
        // Pass 1: signal sums and, per chunk, how many noise values it holds; pass 2: each
        // chunk writes its noise values at its offset. No per-step allocation once `sample`
        // has its size (in half-map mode the noise voxels never change).
        var parts = [(nS: Int, sS: Double, sS2: Double, nN: Int)](repeating: (0, 0, 0, 0), count: chunks)
        code.withUnsafeBufferPointer { c in
            signal.voxels.withUnsafeBufferPointer { a in
                parts.withUnsafeMutableBufferPointer { out in
                    Parallelism.forEachRange(count, minimumPerChunk: minimum) { chunk, range in
                        var nS = 0, nN = 0, sS = 0.0, sS2 = 0.0
                        for i in range {
                            let ci = c[i]
                            if ci >= 1 { let v = Double(a[i]); sS += v; sS2 += v * v; nS += 1 }
                            if halfMode ? ci >= 0 : ci == 0 { nN += 1 }
                        }
                        out[chunk] = (nS, sS, sS2, nN)
                    }
                }
            }
        }
        let total = parts.reduce(0) { $0 + $1.nN }
        if sample.count != total {
            sample.removeAll(keepingCapacity: true)
            sample.append(contentsOf: repeatElement(0, count: total))
        }
        var offsets = [Int](repeating: 0, count: chunks)
        for c in 1..<max(1, chunks) { offsets[c] = offsets[c - 1] + parts[c - 1].nN }
        var noiseSums = [(Double, Double)](repeating: (0, 0), count: chunks)
        code.withUnsafeBufferPointer { c in
            noise.voxels.withUnsafeBufferPointer { b in
                sample.withUnsafeMutableBufferPointer { out in
                    noiseSums.withUnsafeMutableBufferPointer { sums in
                        Parallelism.forEachRange(count, minimumPerChunk: minimum) { chunk, range in
                            var j = offsets[chunk]
                            var sN = 0.0, sN2 = 0.0
                            for i in range where halfMode ? c[i] >= 0 : c[i] == 0 {
                                let v = b[i]
                                out[j] = v; j += 1
                                sN += Double(v); sN2 += Double(v) * Double(v)
                            }
                            sums[chunk] = (sN, sN2)
                        }
                    }
                }
            }
        }
        let nS = parts.reduce(0) { $0 + $1.nS }
        let sS = parts.reduce(0) { $0 + $1.sS }, sS2 = parts.reduce(0) { $0 + $1.sS2 }
        let sN = noiseSums.reduce(0) { $0 + $1.0 }, sN2 = noiseSums.reduce(0) { $0 + $1.1 }
        let nN = Double(max(1, total))
        let meanS = nS > 0 ? sS / Double(nS) : 0
        let meanN = sN / nN
        return (nS, meanS, max(0, nS > 0 ? sS2 / Double(nS) - meanS * meanS : 0), meanN, max(0, sN2 / nN - meanN * meanN))
    }

    /// Median fill, Gaussian smoothing that may only improve a voxel (min(raw, smooth)), and
    /// the summary (xmipp `postProcessingLocalResolutions`).
    static func postProcess(res: [Float], grid: VoxelGrid, tested: [Double], stop: MonoResStopReason, maskVoxels: Int,
                            halfMode: Bool, low: Double, step: Double, significance: Double, warnings: [String],
                            smoothing: Bool = true) throws -> MonoResResult {
        var warnings = warnings
        let count = grid.count
        var assigned = res.filter { $0 > 0 }
        guard !assigned.isEmpty else {
            throw MapbookError(String(format: "no voxel shows signal above the noise even at the low limit (%.2f Å): the map looks like pure noise, or the mask misses the molecule", low))
        }
        let assignedCount = assigned.count
        // xmipp fills unassigned voxels with the median of the raw values; the numbers reported
        // below describe the map written (after smoothing), like the histogram.
        let fill = Selection.median(&assigned)
        let voxel = grid.voxelSize.max()

        var filled = Volume(grid: grid)
        filled.voxels.withUnsafeMutableBufferPointer { f in for i in 0..<count { f[i] = res[i] > 0 ? res[i] : fill } }
        // xmipp realGaussianFilter(σ = 3): transfer exp(−π² σ² u²), u in cycles/voxel, which is
        // exp(−B s²/4) with B = 4π²σ²a².
        let smooth: Volume
        if smoothing {
            var spectrum = FFT.forward(filled)
            FourierShells(grid: grid).apply(SpectralFilter(bFactor: 4 * Double.pi * Double.pi * 9 * voxel * voxel), to: &spectrum)
            smooth = FFT.backward(consume spectrum)
        } else {
            smooth = filled
        }

        var final = Volume(grid: grid)
        var colouring = Volume(grid: grid)
        var assignedMask = Volume(grid: grid)
        smooth.voxels.withUnsafeBufferPointer { sm in
            final.voxels.withUnsafeMutableBufferPointer { out in
                colouring.voxels.withUnsafeMutableBufferPointer { col in
                    assignedMask.voxels.withUnsafeMutableBufferPointer { am in
                        for i in 0..<count {
                            if res[i] > 0 {
                                let s = sm[i]
                                let v = s < Float(2 * voxel) ? res[i] : min(res[i], s)
                                out[i] = v; col[i] = v; am[i] = 1
                            } else {
                                col[i] = fill
                            }
                        }
                    }
                }
            }
        }
        let fraction = Double(assignedCount) / Double(maskVoxels)
        if fraction < 0.2 {
            warnings.append(String(format: "only %.0f%% of the masked voxels received a resolution: the estimate is unreliable (noisy map, or a mask much larger than the molecule)", 100 * fraction))
        }
        var written = final.voxels.filter { $0 > 0 }
        let median = Selection.median(&written)
        let p5 = Selection.quantile(&written, 0.05)
        let p95 = Selection.quantile(&written, 0.95)
        let best = written.min()!, worst = written.max()!
        // Histogram in 0.25 Å bins, as the Scipion viewer draws it.
        let binWidth = 0.25
        let lo = (Double(best) / binWidth).rounded(.down) * binWidth
        let bins = max(1, Int(((Double(worst) - lo) / binWidth).rounded(.up)) + 1)
        var counts = [Int](repeating: 0, count: bins)
        for v in final.voxels where v > 0 { counts[min(bins - 1, Int((Double(v) - lo) / binWidth))] += 1 }
        let summary = MonoResSummary(
            halfMapMode: halfMode, testedResolutions: tested, stopReason: stop,
            median: Double(median), percentile5: Double(p5), percentile95: Double(p95), best: Double(best), worst: Double(worst),
            maskVoxels: maskVoxels, assignedFraction: fraction,
            histogramEdges: (0...bins).map { lo + Double($0) * binWidth }, histogramCounts: counts,
            warnings: warnings, lowResolution: low, step: step, significance: significance)
        return MonoResResult(resolution: final, resolutionForColouring: colouring, assignedMask: assignedMask, summary: summary)
    }

    /// The automatic mask for a pair of half maps, as a volume (1 inside, 0 outside).
    public static func automaticMaskVolume(average a: Volume, _ b: Volume) throws -> Volume {
        if let why = a.grid.mismatch(with: b.grid) { throw MapbookError("half maps do not share a grid: \(why)") }
        let binary = automaticMask(HalfMapPair.average(a, b))
        return Volume(grid: a.grid, voxels: AlignedArray(binary.map { $0 ? Float(1) : 0 }))
    }

    /// A mask when none is given (Scipion's `ifNomask`): the map low-passed by xmipp's
    /// real_gaussian with σ = 0.02·box, thresholded at 5 % of its maximum.
    static func automaticMask(_ signalMap: Volume) -> [Bool] {
        let grid = signalMap.grid
        let sigma = 0.02 * Double(grid.size.max())
        let a = grid.voxelSize.max()
        var s = FFT.forward(signalMap)
        FourierShells(grid: grid).apply(SpectralFilter(bFactor: 4 * Double.pi * Double.pi * sigma * sigma * a * a), to: &s)
        let map = FFT.backward(consume s)
        let maxValue = map.statistics.max
        let t = 0.05 * maxValue
        return map.voxels.withUnsafeBufferPointer { v in (0..<v.count).map { v[$0] > t } }
    }

    /// xmipp's `findCliffValue`: if the map was masked by a sphere, the variance of spherical
    /// shells drops by 100× at its edge; voxels from there outwards (and the corners outside the
    /// inscribed sphere in any case) are ignored.
    static func excludeBeyondCliff(_ map: Volume, code: inout [Int8], warnings: inout [String]) {
        let n = map.grid.size
        let c = SIMD3<Double>(Double(n.x / 2), Double(n.y / 2), Double(n.z / 2))
        let half = n.min() / 2
        var proteinRadius = 0.0
        var shellSum = [Double](repeating: 0, count: half + 2), shellSum2 = shellSum, shellN = shellSum
        map.voxels.withUnsafeBufferPointer { v in
            var i = 0
            for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
                let d = SIMD3(Double(x), Double(y), Double(z)) - c
                let r = (d * d).sum().squareRoot()
                if code[i] == 1 { proteinRadius = max(proteinRadius, r) }
                let shell = Int(r)
                if shell <= half + 1 { shellSum[shell] += Double(v[i]); shellSum2[shell] += Double(v[i]) * Double(v[i]); shellN[shell] += 1 }
                i += 1
            } } }
        }
        func variance(_ s: Int) -> Double { shellN[s] > 0 ? shellSum2[s] / shellN[s] - pow(shellSum[s] / shellN[s], 2) : 0 }
        var limit = Double(half)
        var rad = Int(proteinRadius) + 1
        while rad < half {
            let previous = variance(rad - 1)
            if previous > 0 && variance(rad) / previous < 0.01 { limit = Double(rad - 1); break }
            rad += 1
        }
        if limit <= proteinRadius {
            warnings.append("the map seems masked by a sphere no larger than the molecule mask; too little noise may be left to measure")
        }
        var i = 0
        for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
            let d = SIMD3(Double(x), Double(y), Double(z)) - c
            if (d * d).sum().squareRoot() >= limit { code[i] = -1 }
            i += 1
        } } }
    }

    /// xmipp's `refiningMask`: masked voxels whose smoothed full-band amplitude is below the
    /// 95th percentile of that amplitude over the noise voxels are moved to the noise.
    static func refineMask(_ signal: HalfSpectrum, code: inout [Int8], voxel: Double, warnings: inout [String]) throws {
        let grid = signal.grid
        let amplitude = MonogenicAmplitude(grid: grid)
        var full = Volume(grid: grid)
        amplitude.fullBandAmplitude(of: signal, into: &full)
        var spectrum = FFT.forward(full)
        // realGaussianFilter(σ = 4).
        FourierShells(grid: grid).apply(SpectralFilter(bFactor: 4 * Double.pi * Double.pi * 16 * voxel * voxel), to: &spectrum)
        let smooth = FFT.backward(consume spectrum)
        var noiseValues: [Float] = []
        smooth.voxels.withUnsafeBufferPointer { v in for i in 0..<v.count where code[i] == 0 { noiseValues.append(v[i]) } }
        guard !noiseValues.isEmpty else { throw MapbookError("no noise voxels to refine the mask with") }
        let t = Selection.quantile(&noiseValues, 0.95)
        smooth.voxels.withUnsafeBufferPointer { v in for i in 0..<v.count where code[i] == 1 && v[i] < t { code[i] = 0 } }
    }
}
