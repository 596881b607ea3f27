import Foundation
import FourierEngine
import HalfMapSharpening
import MapbookCore
import MapModel

/// Cube sharpening (local sharpening by cubes; LocalDeblur is the LocalSharpening target):
/// overlapping cubes of the map, each sharpened by its own choice of the globally chosen
/// method, blended smoothly.
///
/// Cubes of edge E start every E/2 voxels. Each is weighted by sin²(π(x + ½)/E) along each
/// axis, and these weights of overlapping cubes add up to exactly one, so the blend is seamless
/// and each voxel's value is a smooth mixture of the cubes around it. Cubes with too little
/// molecule are not sharpened on their own; there, and near the box faces where fewer cubes
/// overlap, the globally sharpened map makes up the missing weight.
///
/// With half maps, each cube's searched choice passes the same guard as the global one
/// (`ExpectedTruthCorrelation`, from the envelope-masked half maps cut to the cube): a cube
/// whose best-scoring sharpening is expected to correlate less well with the true map than the
/// cube left as it is keeps the unsharpened map, and so does a cube where the half maps show no
/// signal past 10 Å (nothing there for sharpening to bring out).
enum CubeSharpening {
    static func run(map: Volume, global: Volume, inputs: SharpeningInputs, modelMap: Volume?, envelope: MoleculeEnvelope,
                    molecule: MolecularVolume, method: SharpeningMethod, maskedHalves: (Volume, Volume)?, regionWeight: Double,
                    parameters p: SharpeningParameters, local: CubeSharpeningParameters, cutoff: SharpeningCutoff,
                    progress: ProgressReporter) throws -> (map: Volume, report: LocalSharpeningReport) {
        let grid = map.grid
        let n = grid.size
        let edge = cubeEdge(local, resolution: p.resolution, grid: grid)
        let spacing = edge / 2
        let starts = (0..<3).map { axisStarts(n[$0], edge: edge, spacing: spacing) }
        let window = (0..<edge).map { x -> Float in
            let s = sin(Double.pi * (Double(x) + 0.5) / Double(edge))
            return Float(s * s)
        }
        let voxelVolume = grid.voxelVolume
        let insideAll = envelope.insideCount
        let moleculePerEnvelopeVoxel = insideAll > 0 ? molecule.volume / Double(insideAll) : voxelVolume

        // Local searches: the global grid, coarser, with the global region weight.
        var plan = p.search
        plan.steps = max(5, p.search.steps / 2 + 1)
        plan.refinementLevels = min(2, p.search.refinementLevels)
        plan.logScaleSteps = []

        var blended = [Float](repeating: 0, count: grid.count)
        var weights = [Float](repeating: 0, count: grid.count)
        var cubes: [LocalSharpeningReport.Cube] = []
        var skipped = 0
        let total = starts[0].count * starts[1].count * starts[2].count
        var done = 0
        for z0 in starts[2] {
            for y0 in starts[1] {
                for x0 in starts[0] {
                    done += 1
                    progress.update("Local sharpening", fraction: Double(done) / Double(total))
                    let box = SubBox(start: SIMD3(x0, y0, z0), size: SIMD3(repeating: edge))
                    var weighted = 0.0, sum = 0.0, inside = 0
                    for z in 0..<edge { for y in 0..<edge {
                        let row = n.x * ((y0 + y) + n.y * (z0 + z))
                        let wyz = Double(window[y] * window[z])
                        for x in 0..<edge {
                            let w = wyz * Double(window[x])
                            sum += w
                            if envelope.inside[row + x0 + x] { weighted += w; inside += 1 }
                        }
                    } }
                    let share = weighted / sum
                    guard share >= local.minimumMoleculeShare else { skipped += 1; continue }

                    let solvent = molecule.solventFraction(boxVolume: Double(box.count) * voxelVolume,
                                                           moleculeVolume: Double(inside) * moleculePerEnvelopeVoxel)
                    let enclosed = max(1, Int((p.enclosedFraction * (1 - solvent) * Double(box.count)).rounded()))
                    let bench = TrialBench(box: box.cut(map), cutoff: cutoff, enclosedVoxels: enclosed)
                    let mapB = MapBFactor.estimate(bench.spectrum, shells: bench.shells, resolution: p.resolution)
                    let search = SharpeningSearch(bench: bench, target: p.scoreTarget, mapB: mapB.bFactor, resolution: p.resolution,
                                                  plan: plan, dCut: p.dCut ?? p.resolution, kSharpen: p.kSharpen,
                                                  blur: p.blurBeyondCut, regionWeight: regionWeight)
                    var derived: [SharpeningMethod: SharpeningSettings] = [:]
                    if method == .halfMap, let (h1, h2) = inputs.halfMaps {
                        derived[.halfMap] = ShellAmplitudeScale.halfMap(map: bench.spectrum, half1: FFT.forward(box.cut(h1)),
                                                                       half2: FFT.forward(box.cut(h2)), shells: bench.shells).settings
                    }
                    let searched = AutoSharpen.needsSearch(method, p)
                    if searched, let (m1, m2) = maskedHalves {
                        // The envelope-masked halves, as the global guard reads them: the solvent's
                        // noise would otherwise dominate a cube's FSC.
                        search.expectation = ExpectedTruthCorrelation(half1: FFT.forward(box.cut(m1)), half2: FFT.forward(box.cut(m2)),
                                                                      shells: bench.shells, targetBFactor: HalfMapSharpeningParameters().targetBFactor)
                    }
                    if method == .model, let modelMap {
                        derived[.model] = ShellAmplitudeScale.model(map: bench.spectrum, model: FFT.forward(box.cut(modelMap)),
                                                                   shells: bench.shells).settings
                    }
                    guard let best = AutoSharpen.bestTrial(method, search: search, parameters: p, derived: derived),
                          let settings = search.trials[best].settings else { skipped += 1; continue }
                    // Half maps without signal past 10 Å in the cube (no expectation) show nothing
                    // sharpening could bring out there.
                    let keptUnsharpened = searched && maskedHalves != nil && (search.expectation == nil || search.expectedWorseThanUnsharpened(best))
                    let sharpened = keptUnsharpened ? box.cut(map) : bench.sharpened(settings)
                    sharpened.voxels.withUnsafeBufferPointer { l in
                        for z in 0..<edge { for y in 0..<edge {
                            let row = n.x * ((y0 + y) + n.y * (z0 + z)) + x0
                            let wyz = window[y] * window[z]
                            let local = edge * (y + edge * z)
                            for x in 0..<edge {
                                let w = wyz * window[x]
                                blended[row + x] += w * l[local + x]
                                weights[row + x] += w
                            }
                        } }
                    }
                    cubes.append(LocalSharpeningReport.Cube(box: box, moleculeShare: share, settings: keptUnsharpened ? .bIso(0) : settings,
                                                            mapBAfter: keptUnsharpened ? nil : search.trials[best].mapBAfter,
                                                            score: search.trials[best].score, keptUnsharpened: keptUnsharpened))
                }
            }
        }
        var out = global
        out.voxels.withUnsafeMutableBufferPointer { o in
            for i in 0..<o.count {
                let w = weights[i]
                o[i] = (blended[i] + max(0, 1 - w) * o[i]) / max(1, w)
            }
        }
        return (out, LocalSharpeningReport(edge: edge, spacing: spacing, cubes: cubes, skipped: skipped))
    }

    /// Even, FFT-friendly cube edge: the given edge in Å, or 12 × resolution, at least 24
    /// voxels and at most the map's shortest axis.
    static func cubeEdge(_ local: CubeSharpeningParameters, resolution: Double, grid: VoxelGrid) -> Int {
        let voxel = grid.voxelSize.max()
        let wanted = local.boxEdge.map { Int(($0 / voxel).rounded()) } ?? max(24, Int((12 * resolution / voxel).rounded()))
        var e = SubBox.fftFriendlyLength(atLeast: max(8, wanted))
        while e % 2 != 0 { e = SubBox.fftFriendlyLength(atLeast: e + 1) }
        let shortest = grid.size.min()
        return min(e, shortest - shortest % 2)
    }

    /// Cube starts along one axis: every `spacing` voxels, and one flush with the far face.
    static func axisStarts(_ n: Int, edge: Int, spacing: Int) -> [Int] {
        var starts = Array(stride(from: 0, through: n - edge, by: spacing))
        if let last = starts.last, last + edge < n { starts.append(n - edge) }
        return starts
    }
}
