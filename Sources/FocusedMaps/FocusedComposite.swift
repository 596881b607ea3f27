import Foundation
import MapbookCore
import MapModel
import ModelMaps
import ModelValidation

/// phenix.combine_focused_maps: a weighted composite of locally focused maps, each part of
/// each map weighted by how well it correlates with its model there.
///
/// Steps:
/// 1. Every map is placed on the composite's grid (`PlacedMap`: trilinear, honouring its
///    ORIGIN, NSTART and voxel size) and brought to one scale: s_i = (m_i − b_i)/σ_i, b_i its
///    mean over the covered voxels away from its model (the solvent level), σ_i its RMS about b_i
///    over the voxels within `scoringRadius` of its model's atoms.
/// 2. Each map's model gives a B = 0 model map on the composite's grid (each atom's own
///    scattering factor, no B-factor, low-passed at the grid's Nyquist so it is sampled).
/// 3. For each residue r of map i's model, CC_i(r) is the correlation of m_i with that model
///    map over the voxels within `scoringRadius` of the atoms of the residues of r's chain
///    numbered within `residueWindow` of r (voxel sums added over the window's residues);
///    undefined when map i covers less than `minimumCoverage` of those voxels. The same sums
///    over a whole chain give the chain's correlation.
/// 4. Weights. q_i(r) = max(0, CC_i(r))^p (0 when undefined), p = `weightPower`; Q_i the same
///    of map i's correlation over all its residues. Spread into space with a Gaussian of width
///    σ = `smoothing` about each residue's centre c_r:
///        A_i(x) = Σ_r q_i(r)·exp(−|x − c_r|²/2σ²),
///        W_i(x) = cov_i(x)·(A_i(x) + β·Q_i) / Σ_j cov_j(x)·(A_j(x) + β·Q_j),
///    cov_i(x) = 1 where map i reaches, else 0, β = `background`. The weights sum to 1
///    wherever a map reaches and vary smoothly (the Gaussians) except at a map's box edge;
///    far from every residue the overall scores Q decide. Where every Q is 0, covering maps
///    share equally.
/// 5. The composite is Σ_i W_i(x)·s_i(x).
public enum FocusedComposite {
    /// The composite, the weights and the scores.
    public struct Result {
        /// The composite map.
        public var composite: Volume
        /// One weight map per input, on the composite's grid.
        public var weights: [Volume]
        /// Which map won where, and each map's scores.
        public var report: FocusedCompositeReport
        /// The inputs placed on the composite's grid and scaled (s_i), for comparisons.
        public var placed: [Volume]
    }

    /// Map-sized float buffers at the peak: per input its placed map, its weight field and
    /// its coverage flags (a quarter), plus the model map and the composite.
    public static func peakMapCopies(inputs: Int) -> Double { 2.25 * Double(inputs) + 2 }

    /// The composite of `inputs` on `target` (default `CompositeGrid.covering` the inputs).
    public static func run(_ inputs: [FocusedMapInput], target: VoxelGrid? = nil, parameters p: FocusedMapsParameters = FocusedMapsParameters(),
                           progress: ProgressReporter = .silent) throws -> Result {
        try p.validate()
        try FocusedMapChecks.check(inputs)
        let grid = target ?? CompositeGrid.covering(inputs.map(\.map.grid), voxelSize: p.voxelSize)
        progress.step("Composite grid \(grid.size.x)×\(grid.size.y)×\(grid.size.z) of \(String(format: "%.3f", grid.voxelSize.x)) Å")

        // Models: one B = 0 model map and one set of residue voxels per distinct model.
        var modelIndex: [Int] = []
        var models: [AtomicModel] = []
        for input in inputs {
            if let k = models.firstIndex(of: input.model) { modelIndex.append(k) } else { modelIndex.append(models.count); models.append(input.model) }
        }
        progress.step("B = 0 model map\(models.count > 1 ? "s" : "") and residue regions")
        var modelMaps: [Volume] = []
        var residueSets: [ResidueVoxels] = []
        for m in models {
            var sharp = AtomicModel(atoms: ModelValidation.scoredAtoms(m))
            for i in sharp.atoms.indices { sharp.atoms[i].bFactor = 0 }
            modelMaps.append(try ModelMap.density(of: sharp, on: grid, parameters: ModelMapParameters(resolution: 2 * grid.voxelSize.max())))
            residueSets.append(ResidueVoxels(m, grid: grid, radius: p.scoringRadius))
        }

        var placed: [PlacedMap] = []
        var scores: [MapScores] = []
        for (i, input) in inputs.enumerated() {
            progress.step("Placing and scoring \(input.name)")
            var pm = PlacedMap(input.map, on: grid)
            let residues = residueSets[modelIndex[i]]
            Self.standardise(&pm, residues: residues)
            let sums = residues.sums(map: pm.map, covered: pm.covered, modelMap: modelMaps[modelIndex[i]])
            scores.append(MapScores(residues: residues, sums: sums, window: p.residueWindow, coverage: p.minimumCoverage))
            placed.append(pm)
        }

        progress.step("Weights and composite")
        var composite = Volume(grid: grid)
        let fields = weights(scores: scores, centres: modelIndex.map { residueSets[$0].centres }, placed: placed, parameters: p, composite: &composite)
        let report = FocusedCompositeReport(inputs: inputs, residueSets: residueSets, modelIndex: modelIndex, scores: scores,
                                            weights: fields, grid: grid, parameters: p)
        return Result(composite: composite, weights: fields, report: report, placed: placed.map(\.map))
    }

    /// max(0, cc)^p, 0 when undefined.
    static func q(_ p: FocusedMapsParameters, _ cc: Double?) -> Double { pow(max(0, cc ?? 0), p.weightPower) }

    /// The weight maps W_i (step 4), and the composite Σ W_i s_i written into `composite`.
    /// The fields are built side by side in one buffer, turned into weights in place, then
    /// handed out one volume each.
    static func weights(scores: [MapScores], centres: [[SIMD3<Double>]], placed: [PlacedMap], parameters p: FocusedMapsParameters,
                        composite: inout Volume) -> [Volume] {
        let grid = composite.grid
        let count = grid.count
        let m = placed.count
        let overall = scores.map { q(p, $0.overall) }
        var planes = AlignedArray<Float>(repeating: 0, count: m * count)
        planes.withUnsafeMutableBufferPointer { all in
            for i in 0..<m {
                WeightFields.add(centres: centres[i], scores: scores[i].window.map { q(p, $0) }, grid: grid, sigma: p.smoothing,
                                 into: UnsafeMutableBufferPointer(rebasing: all[(i * count)..<((i + 1) * count)]))
            }
            // Pass 1, map by map: the denominator Σ_j cov_j·(A_j + β·Q_j) and how many maps reach each voxel.
            var total = [Float](repeating: 0, count: count)
            var reach = [UInt8](repeating: 0, count: count)
            total.withUnsafeMutableBufferPointer { t in
                reach.withUnsafeMutableBufferPointer { n in
                    for i in 0..<m {
                        let a = UnsafeMutableBufferPointer(rebasing: all[(i * count)..<((i + 1) * count)])
                        let floor = Float(p.background * overall[i])
                        placed[i].covered.withUnsafeBufferPointer { cov in
                            Parallelism.forEachRange(count, minimumPerChunk: 1 << 16) { _, range in
                                for v in range {
                                    if cov[v] { a[v] += floor; t[v] += a[v]; n[v] += 1 } else { a[v] = 0 }
                                }
                            }
                        }
                    }
                    // Pass 2, map by map: the weights, and the composite Σ W_i·s_i.
                    composite.voxels.withUnsafeMutableBufferPointer { out in
                        for i in 0..<m {
                            let a = UnsafeMutableBufferPointer(rebasing: all[(i * count)..<((i + 1) * count)])
                            placed[i].covered.withUnsafeBufferPointer { cov in
                                placed[i].map.voxels.withUnsafeBufferPointer { s in
                                    Parallelism.forEachRange(count, minimumPerChunk: 1 << 16) { _, range in
                                        for v in range {
                                            let w: Float = t[v] > 0 ? a[v] / t[v] : (cov[v] ? 1 / Float(n[v]) : 0)
                                            a[v] = w
                                            out[v] += w * s[v]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (0..<m).map { i in
            Volume(grid: grid, voxels: planes.withUnsafeBufferPointer { all in
                AlignedArray(unsafeUninitializedCount: count) { o in _ = o.initialize(from: UnsafeBufferPointer(rebasing: all[(i * count)..<((i + 1) * count)])) }
            })
        }
    }

    /// Puts a placed map on the common scale: solvent level subtracted, RMS over its model's
    /// voxels 1 (see step 1).
    static func standardise(_ pm: inout PlacedMap, residues: ResidueVoxels) {
        var molecule = [Bool](repeating: false, count: pm.covered.count)
        for list in residues.voxels { for i in list { molecule[Int(i)] = true } }
        let covered = pm.covered
        // Sums over the solvent (covered, away from the model) and the molecule, in Double.
        let (level, rms): (Double, Double) = molecule.withUnsafeBufferPointer { mol in
            covered.withUnsafeBufferPointer { cov in
                pm.map.voxels.withUnsafeBufferPointer { v in
                    var bg = 0.0, nbg = 0.0
                    for i in 0..<v.count where cov[i] && !mol[i] { bg += Double(v[i]); nbg += 1 }
                    let level = nbg > 0 ? bg / nbg : 0
                    var ss = 0.0, n = 0.0
                    for i in 0..<v.count where cov[i] && mol[i] { let d = Double(v[i]) - level; ss += d * d; n += 1 }
                    return (level, n > 0 && ss > 0 ? (ss / n).squareRoot() : 1)
                }
            }
        }
        let (l, scale) = (Float(level), Float(1 / rms))
        covered.withUnsafeBufferPointer { cov in
            pm.map.voxels.withUnsafeMutableBufferPointer { v in
                Parallelism.forEachRange(v.count, minimumPerChunk: 1 << 16) { _, range in
                    for i in range where cov[i] { v[i] = (v[i] - l) * scale }
                }
            }
        }
    }
}

/// One map's correlations: per residue window, per chain, overall.
struct MapScores {
    /// CC over each residue's window (nil: not covered enough).
    var window: [Double?]
    /// CC over each chain.
    var chains: [String: Double?]
    /// CC over all residues.
    var overall: Double?

    init(residues: ResidueVoxels, sums: [CorrelationSums], window half: Int, coverage: Double) {
        window = residues.windows(half: half).map { r in sums[r].reduce(CorrelationSums(), +).correlation(coverage: coverage) }
        var byChain: [String: CorrelationSums] = [:]
        for (id, s) in zip(residues.residues, sums) { byChain[id.chainID, default: CorrelationSums()] = byChain[id.chainID, default: CorrelationSums()] + s }
        chains = byChain.mapValues { $0.correlation(coverage: coverage) }
        overall = sums.reduce(CorrelationSums(), +).correlation(coverage: 0)
    }
}
