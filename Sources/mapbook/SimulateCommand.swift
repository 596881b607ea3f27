import ArgumentParser
import Foundation
import MapbookCore
import MapModel
import Reports
import Simulation

extension FSCShape: ExpressibleByArgument {}
extension LocalResolutionPattern: ExpressibleByArgument {}

/// `mapbook simulate`: a dataset with known truth — a model map, its local resolution, and two
/// half maps with a designed FSC.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a cryo-EM dataset with known truth: model map, half maps with a designed FSC, true local resolution.",
        discussion: """
        Writes to DIR: truth.mrc (noise-free map), half1.mrc and half2.mrc (truth plus independent \
        noise), localres.mrc (true local resolution in Å inside the molecule, 0 outside), \
        mask.mrc (soft mask around the model), model.pdb, simulate.json (every parameter, the \
        seed, and the FSC design shell by shell) and, with --masked-halves, half1_masked.mrc and \
        half2_masked.mrc. Without --model a built-in bundle of ideal α-helices is used. The same \
        seed gives the same bytes.
        """)

    @Option(name: .long, help: "Atomic model (PDB or mmCIF, optionally .gz); default: the built-in helix bundle.") var model: String?
    @Option(name: .long, help: "With --model: take the grid of this map instead of fitting a box to the model.") var like: String?
    @Option(name: .long, parsing: .unconditional, help: "Box edge in voxels (default: 64 for the built-in model, fitted to a supplied one).") var size: Int?
    @Option(name: .long, parsing: .unconditional, help: "Voxel size, Å.") var voxel: Double = 1
    @Option(name: .long, parsing: .unconditional, help: "Resolution where the half-map FSC is 0.143, Å.") var resolution: Double = 4
    @Option(name: .long, help: "FSC curve: white-noise (against the B-decayed signal) or logistic.") var fscCurve: FSCShape = .whiteNoise
    @Option(name: .long, parsing: .unconditional, help: "Logistic curve width, as a fraction of 1/resolution.") var logisticWidth: Double = 0.1
    @Flag(name: .long, help: "Let the FSC scatter about the design as real data do, instead of matching it exactly.") var naturalFsc = false
    @Option(name: .long, parsing: .unconditional, help: "B-factor added to every atom, Å².") var bfactor: Double = 0
    @Option(name: .long, help: "Local-resolution pattern: uniform, split (two halves along x) or radial.") var localPattern: LocalResolutionPattern = .uniform
    @Option(name: .long, parsing: .unconditional, help: "Best local resolution, Å.") var bestResolution: Double = 3.5
    @Option(name: .long, parsing: .unconditional, help: "Worst local resolution, Å.") var worstResolution: Double = 6
    @Option(name: .long, parsing: .unconditional, help: "Width of the split pattern's transition, Å.") var transition: Double = 8
    @Option(name: .long, parsing: .unconditional, help: "Noise amplitude in the solvent relative to the molecule.") var solventNoise: Double = 1
    @Option(name: .long, parsing: .unconditional, help: "Radius around atoms that counts as the molecule, Å.") var maskRadius: Double = 3
    @Option(name: .long, parsing: .unconditional, help: "Soft-edge width of the mask, Å.") var maskEdge: Double = 4
    @Flag(name: .long, help: "Also write the half maps multiplied by the mask.") var maskedHalves = false
    @Option(name: .long, parsing: .unconditional, help: "Built-in model: number of helices.") var helices: Int = 4
    @Option(name: .long, parsing: .unconditional, help: "Built-in model: residues per helix.") var helixResidues: Int = 24
    @Option(name: .long, parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 1
    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if like != nil && model == nil { throw ValidationError("--like needs --model") }
        if like != nil && size != nil { throw ValidationError("give either --like or --size, not both") }
    }

    /// The library parameters for these options.
    var parameters: SimulationParameters {
        var p = SimulationParameters()
        p.size = size
        p.voxelSize = voxel
        p.builtInModel.helices = helices
        p.builtInModel.residuesPerHelix = helixResidues
        p.extraBFactor = bfactor
        p.fsc = FSCDesign(shape: fscCurve, resolution: resolution, logisticWidth: logisticWidth)
        p.localResolution = LocalResolutionDesign(pattern: localPattern, best: bestResolution, worst: worstResolution, transitionWidth: transition)
        p.exactFSC = !naturalFsc
        p.solventNoiseScale = solventNoise
        p.maskRadius = maskRadius
        p.maskEdge = maskEdge
        p.maskedHalves = maskedHalves
        p.seed = seed
        return p
    }

    func run() throws {
        let progress = compute.apply()
        defer { progress.finish() }
        var p = parameters
        var atoms: AtomicModel? = nil
        var grid: VoxelGrid? = nil
        if let model { atoms = try AtomicModelFile.read(path: model) }
        if let like {
            grid = try MRCFile.readGrid(path: like)
            p.voxelSize = grid!.voxelSize.x
        }
        let inputs = [model, like].compactMap { $0 }
        let bundle = try OutputBundle(directory: output, inputs: inputs,
                                      outputs: ["truth.mrc", "half1.mrc", "half2.mrc", "localres.mrc", "mask.mrc", "half1_masked.mrc",
                                                "half2_masked.mrc", "model.pdb", "simulate.json"])
        do {
            let data = try DatasetSimulator.make(p, model: atoms, modelSource: model, grid: grid, progress: progress)
            progress.step("Writing \(output)")
            let label = "mapbook \(MapbookVersion.string) simulate seed \(seed)"
            var maps: [(String, Volume, String)] = [
                ("truth.mrc", data.truth, "noise-free truth"), ("half1.mrc", data.half1, "half map 1"),
                ("half2.mrc", data.half2, "half map 2"), ("localres.mrc", data.localResolution, "true local resolution, A"),
                ("mask.mrc", data.mask, "soft mask around the model"),
            ]
            if let (m1, m2) = data.maskedHalves {
                maps += [("half1_masked.mrc", m1, "half map 1 times the mask"), ("half2_masked.mrc", m2, "half map 2 times the mask")]
            }
            try MapLoader.writeAll(maps.map { name, volume, what in {
                try bundle.add(name) { try MRCFile.write(volume, to: $0, labels: [label, what], inputs: inputs) }
            } })
            try bundle.add("model.pdb") { path in
                try AtomicModelFile.writePDB(data.model, to: path, remarks: ["\(label): the model of truth.mrc"])
            }
            struct Record: Encodable {
                var mapbookVersion: String
                var files: [String: String]
                var simulation: SimulationRecord
            }
            var files = Dictionary(uniqueKeysWithValues: maps.map { ($0.0, $0.2) })
            files["model.pdb"] = "the model, in the maps' frame"
            let record = Record(mapbookVersion: MapbookVersion.string, files: files, simulation: data.record)
            try bundle.add("simulate.json", data: try JSONOutput.encode(record))
            try bundle.commit()
            progress.finish()
            let r = data.record
            print("Simulated \(r.grid.size.x)³ at \(fmt(r.grid.voxelSize.x, 3)) Å from \(r.modelSource) (\(r.atoms) atoms), seed \(seed)")
            print("Half-map FSC: \(p.fsc.shape.rawValue), 0.143 at \(fmt(p.fsc.resolution, 2)) Å\(p.exactFSC ? " (exact)" : "")")
            print("Local resolution: \(p.localResolution.pattern.rawValue), \(fmt(r.localResolutionRange[0], 2))–\(fmt(r.localResolutionRange[1], 2)) Å inside the molecule")
            print("Wrote \(output)/: \((maps.map(\.0) + ["model.pdb", "simulate.json"]).joined(separator: ", "))")
        } catch {
            bundle.discard()
            throw error
        }
    }
}
