import ArgumentParser
import Foundation
import MapbookCore
import MapModel
import Reports
import Simulation

/// `mapbook simulate`: a dataset with known truth — a model map, its local resolution, and two
/// half maps with a designed FSC.
struct SimulateCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [SimulationParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a cryo-EM dataset with known truth: model map, half maps with a designed FSC, true local resolution.",
        discussion: """
        Writes to DIR: truth.mrc (noise-free map), half1.mrc and half2.mrc (truth plus independent \
        noise), localres.mrc (true local resolution in Å inside the molecule, 0 outside), \
        mask.mrc (soft mask around the model), model.pdb, sequence.fasta (its chains), simulate.json (every parameter, the \
        seed, and the FSC design shell by shell) and, with --masked-halves, half1_masked.mrc and \
        half2_masked.mrc. Without --model a built-in bundle of ideal α-helices is used. The same \
        seed gives the same bytes.

        """ + CommandParameters.helpSection(parameterSets))

    @Option(name: .long, help: "Atomic model (PDB or mmCIF, optionally .gz); default: the built-in helix bundle.") var model: String?
    @Option(name: .long, help: "With --model: take the grid of this map (its box, origin and voxel size) instead of fitting a box to the model.") var like: String?
    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if like != nil && model == nil { throw ValidationError("--like needs --model") }
        if like != nil && CommandParameters.given["size"] != nil { throw ValidationError("give either --like or --size, not both") }
        if like != nil && CommandParameters.given["voxel"] != nil { throw ValidationError("give either --like or --voxel, not both") }
    }

    func run() throws {
        let progress = compute.apply()
        defer { progress.finish() }
        var p = try CommandParameters.value(SimulationParameters.self)
        var atoms: AtomicModel? = nil
        var grid: VoxelGrid? = nil
        if let model { atoms = try AtomicModelFile.read(path: model) }
        if let like {
            grid = try MRCFile.readGrid(path: like)
            p.voxelSize = grid!.voxelSize.x
        }
        let inputs = [model, like].compactMap { $0 }
        let outputs = Self.outputNames
        let bundle = try OutputBundle(directory: output, inputs: inputs, outputs: outputs)
        do {
            // A problem found only once the inputs are known (a resolution finer than the
            // grid's Nyquist limit) reaches Mapbook.main as a ParameterProblem and is phrased there.
            let data = try DatasetSimulator.make(p, model: atoms, modelSource: model, grid: grid, progress: progress)
            progress.step("Writing \(output)")
            let written = try Self.write(data, seed: p.seed, inputs: inputs, into: bundle)
            try bundle.commit()
            progress.finish()
            let r = data.record
            print("Simulated \(r.grid.size.x)³ at \(fmt(r.grid.voxelSize.x, 3)) Å from \(r.modelSource) (\(r.atoms) atoms), seed \(p.seed)")
            print("Half-map FSC: \(p.fsc.shape.rawValue), 0.143 at \(fmt(p.fsc.resolution, 2)) Å\(p.exactFSC ? " (exact)" : "")"
                  + (p.anisotropy.isAnisotropic ? " in the xy plane, \(fmt(p.anisotropy.ratio * p.fsc.resolution, 2)) Å along z" : ""))
            print("Local resolution: \(p.localResolution.pattern.rawValue), \(fmt(r.localResolutionRange[0], 2))–\(fmt(r.localResolutionRange[1], 2)) Å inside the molecule")
            print("Wrote \(output)/: \(written.joined(separator: ", "))")
        } catch {
            bundle.discard()
            throw error
        }
    }

    /// Every file `simulate` may write.
    static let outputNames = ["truth.mrc", "half1.mrc", "half2.mrc", "localres.mrc", "mask.mrc", "half1_masked.mrc",
                              "half2_masked.mrc", "model.pdb", "sequence.fasta", "simulate.json"]

    /// Stages a simulated dataset's files in `bundle` (maps, model, simulate.json); returns
    /// their names.
    static func write(_ data: SimulatedDataset, seed: UInt64, inputs: [String], into bundle: OutputBundle) throws -> [String] {
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
        // The model's sequence, for the cells that need one (density modification, sharpening).
        try bundle.add("sequence.fasta", data: Data(data.model.sequenceFASTA().utf8))
        struct Record: Encodable {
            var mapbookVersion: String
            var files: [String: String]
            var simulation: SimulationRecord
        }
        var files = Dictionary(uniqueKeysWithValues: maps.map { ($0.0, $0.2) })
        files["model.pdb"] = "the model, in the maps' frame"
        files["sequence.fasta"] = "the model's sequence, one record per chain"
        let record = Record(mapbookVersion: MapbookVersion.string, files: files, simulation: data.record)
        try bundle.add("simulate.json", data: try JSONOutput.encode(record))
        return maps.map(\.0) + ["model.pdb", "sequence.fasta", "simulate.json"]
    }
}
