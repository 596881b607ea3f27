import Foundation
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps

/// Simulated cryo-EM datasets with known truth: a model map, blurred in space by a known local
/// resolution, and two half maps whose noise gives a chosen FSC.
public enum DatasetSimulator {
    /// Simulates a dataset from `model` (the built-in helix bundle when nil) on `grid` (fitted
    /// to the model when nil). Deterministic: the same parameters, seed and inputs give the same
    /// bytes on any thread count (FFTs use `FFTPlanning.reproducible`).
    public static func make(_ p: SimulationParameters, model supplied: AtomicModel? = nil, modelSource: String? = nil,
                            grid given: VoxelGrid? = nil, progress: ProgressReporter = .silent) throws -> SimulatedDataset {
        try validate(p)
        let planning = FFTPlanning.reproducible
        let placed = try placement(p, supplied: supplied, grid: given)
        var model = placed.0
        let grid = placed.1
        // The box is known only now (fitted to the model): check memory before any map is made.
        let memory = MemoryEstimate(work: "the simulation", voxels: grid.count, mapCopies: peakMapCopies)
        progress.step("Memory: \(memory.summary)")
        try memory.requireFits(advice: "choose a smaller box or a larger voxel size")
        // Coordinates as model.pdb will hold them, so the PDB file reproduces the truth.
        for i in model.atoms.indices { model.atoms[i].position = (model.atoms[i].position * 1000).rounded(.toNearestOrEven) / 1000 }
        let shells = FourierShells(grid: grid)
        guard p.fsc.resolution >= shells.nyquistResolution else {
            throw ParameterProblem(key: "resolution", value: p.fsc.resolution.parameterText,
                                   String(format: "is finer than Nyquist (%.2f Å)", shells.nyquistResolution))
        }

        progress.step("Model map of \(model.atoms.count) atoms on \(grid.size.x)×\(grid.size.y)×\(grid.size.z)")
        let modelMap = try ModelMap.density(of: model, on: grid, parameters: ModelMapParameters(extraBFactor: p.extraBFactor), planning: planning)
        var spectrum = FFT.forward(modelMap, planning: planning)

        let centre = model.boxCentre
        let radius = model.atoms.map { a in ((a.position - centre) * (a.position - centre)).sum().squareRoot() }.max() ?? 0
        let design = p.localResolution
        var modelPower: [Double] = []
        var truth = modelMap
        var levels: [Double] = []
        var field: Volume
        var bEnvelope: (blend: Volume, levels: [Double])? = nil
        if design.blur == .bfactor {
            // The truth stays the sharp model map; only the half maps' signal is attenuated.
            let blend = design.pattern == .uniform ? Volume(grid: grid) : design.blend(on: grid, model: model, centre: centre, radius: radius)
            let bLevels = design.pattern == .uniform ? [design.sharpBFactor] : LocalEnvelope.levels(sharp: design.sharpBFactor, blurred: design.blurredBFactor)
            progress.step("B-factor envelope, \(design.pattern.rawValue) pattern, B = \(bLevels.first!)–\(bLevels.last!) Å²")
            let signal = LocalEnvelope.apply(spectrum, blend: blend, levels: bLevels, shells: shells, planning: planning)
            modelPower = shells.meanPower(spectrum)
            spectrum = FFT.forward(signal, planning: planning)
            bEnvelope = (blend, bLevels)
            field = blend   // replaced by the resolutions once the noise is known
        } else if design.pattern == .uniform {
            field = Volume(grid: grid, voxels: AlignedArray(repeating: Float(p.fsc.resolution), count: grid.count))
        } else {
            progress.step("Local blur, \(design.pattern.rawValue) pattern, \(design.best)–\(design.worst) Å")
            field = design.field(on: grid, model: model, centre: centre, radius: radius)
            (truth, levels) = LocalBlur.apply(spectrum, field: field, best: design.best, worst: design.worst,
                                              shells: shells, planning: planning)
            spectrum = FFT.forward(truth, planning: planning)
        }

        progress.step("Noise for FSC \(p.fsc.shape.rawValue), 0.143 at \(p.fsc.resolution) Å")
        let signalPower = shells.meanPower(spectrum)
        let requested = p.fsc.requestedFSC(signalPower: signalPower, shells: shells)
        var noisePower = p.fsc.noisePower(signalPower: signalPower, shells: shells)
        var amplitude: [Float]? = nil
        if p.anisotropy.isAnisotropic {
            progress.step(String(format: "Anisotropic noise: 0.143 at %.2f Å in the xy plane, %.2f Å along z", p.fsc.resolution, p.anisotropy.ratio * p.fsc.resolution))
            (amplitude, noisePower) = p.anisotropy.noisePower(requested: requested, signal: spectrum, shells: shells)
        }
        let softMask = ModelMask.soft(model, grid: grid, radius: p.maskRadius, edge: p.maskEdge)
        var envelope: Volume? = nil
        if p.solventNoiseScale != 1 {
            var e = softMask
            let s = Float(p.solventNoiseScale)
            e.voxels.withUnsafeMutableBufferPointer { m in for i in 0..<m.count { m[i] = m[i] + s * (1 - m[i]) } }
            envelope = e
        }
        var seeds = SeededGenerator(seed: p.seed)
        let noiseSeeds = (seeds.next(), seeds.next())
        let (half1, half2) = NoiseShaper(shells: shells, planning: planning)
            .halfMaps(signal: spectrum, noisePower: noisePower, seeds: noiseSeeds, envelope: envelope, amplitude: amplitude, exact: p.exactFSC)

        var envelopeResolutions: [Double]? = nil
        if let bEnvelope {
            let r = LocalEnvelope.resolutions(levels: bEnvelope.levels, signalPower: modelPower, noisePower: noisePower, shells: shells)
            field = LocalEnvelope.resolutionField(blend: bEnvelope.blend, levelResolutions: r)
            envelopeResolutions = r
        }
        // The truth about local resolution, inside the molecule only.
        let molecule = ModelMask.binary(model, grid: grid, radius: p.maskRadius)
        var localResolution = field
        var inside = 0
        var range = (Float.infinity, -Float.infinity)
        localResolution.voxels.withUnsafeMutableBufferPointer { r in
            for i in 0..<r.count {
                if molecule[i] { inside += 1; range = (min(range.0, r[i]), max(range.1, r[i])) } else { r[i] = 0 }
            }
        }
        var masked: (Volume, Volume)? = nil
        if p.maskedHalves { masked = (half1.multiplied(by: softMask), half2.multiplied(by: softMask)) }

        var elements: [String: Int] = [:]
        for (e, n) in model.elementCounts { elements[e.symbol] = n }
        let bs = model.atoms.map(\.bFactor)
        let record = SimulationRecord(
            generator: "mapbook simulate", parameters: p, seed: p.seed, noiseSeeds: [noiseSeeds.0, noiseSeeds.1], grid: grid,
            modelSource: modelSource ?? (supplied == nil ? "built-in helix bundle" : "supplied model"),
            atoms: model.atoms.count, elements: elements, bFactorRange: [bs.min() ?? 0, bs.max() ?? 0],
            modelCentre: [centre.x, centre.y, centre.z], modelRadius: radius, blurLevels: levels,
            envelopeBFactors: bEnvelope?.levels, envelopeResolutions: envelopeResolutions,
            localResolutionRange: inside > 0 ? [Double(range.0), Double(range.1)] : [0, 0],
            directionalResolution: p.anisotropy.isAnisotropic
                ? .init(axis: [0, 0, 1], alongAxis: p.anisotropy.ratio * p.fsc.resolution, perpendicular: p.fsc.resolution) : nil,
            moleculeFraction: Double(inside) / Double(grid.count),
            shells: (0..<shells.shellCount).map { i in
                SimulationRecord.Shell(shell: i, frequency: shells.frequency(i), resolution: shells.resolution(i),
                                       coefficients: shells.counts[i], signalPower: signalPower[i], noisePower: noisePower[i],
                                       requestedFSC: requested[i],
                                       expectedFSC: i == 0 ? 1 : (signalPower[i] + noisePower[i] > 0 ? signalPower[i] / (signalPower[i] + noisePower[i]) : 0))
            })
        return SimulatedDataset(model: model, truth: truth, half1: half1, half2: half2, localResolution: localResolution,
                                mask: softMask, maskedHalves: masked, record: record)
    }

    /// The parameters' ranges and checks together, and the local pattern's best resolution
    /// against the Nyquist limit of the voxel size (known only now: a copied grid sets it).
    static func validate(_ p: SimulationParameters) throws {
        try p.validate()
        let d = p.localResolution
        if d.pattern != .uniform, d.blur == .lowpass, d.best < 2 * p.voxelSize {
            throw ParameterProblem(key: "best_resolution", value: d.best.parameterText,
                                   String(format: "is finer than Nyquist (%.2f Å)", 2 * p.voxelSize))
        }
    }

    /// The model in its box, and the box.
    static func placement(_ p: SimulationParameters, supplied: AtomicModel?, grid given: VoxelGrid?) throws -> (AtomicModel, VoxelGrid) {
        if let given {
            guard let model = supplied else { throw MapbookError("a grid to copy needs a supplied model") }
            return (model, given)
        }
        let v = p.voxelSize
        guard let model = supplied else {
            let n = p.size ?? 64
            let bundle = try HelixBundle.make(p.builtInModel)
            let grid = VoxelGrid(cube: n, voxel: v)
            let placed = bundle.translated(by: SIMD3(repeating: Double(n / 2) * v))
            let b = placed.bounds
            let reach = p.maskRadius + p.maskEdge
            if (b.min - reach).min() < 0 || (b.max + reach).max() > Double(n - 1) * v {
                let extent = (bundle.bounds.max - bundle.bounds.min).max() + 2 * reach
                throw ParameterProblem(key: "size", value: String(n),
                                       String(format: "does not fit the built-in model (%.0f Å across, with the mask) at %.2f Å per voxel; use %d or more, or fewer or shorter helices",
                                              extent, v, Int((extent / v).rounded(.up)) + 2))
            }
            return (placed, grid)
        }
        guard !model.atoms.isEmpty else { throw MapbookError("the model has no atoms") }
        let b = model.bounds
        let n = p.size ?? max(16, 2 * Int((((b.max - b.min).max() + 2 * p.padding) / v / 2).rounded(.up)))
        // The model's centre at the box centre, on a grid commensurate with one through 0.
        let first = ((model.boxCentre - SIMD3(repeating: Double(n / 2) * v)) / v).rounded(.toNearestOrEven) * v
        return (model, VoxelGrid(size: SIMD3(n, n, n), voxelSize: SIMD3(repeating: v), origin: first))
    }
}
