import ArgumentParser
import Foundation
import MapbookCore
import MapModel
import ModelMaps

/// `mapbook model-map`: the map of an atomic model on another map's grid.
struct ModelMapCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [ModelMapParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "model-map",
        abstract: "Compute a map from an atomic model (PDB or mmCIF) on the grid of an existing map.",
        discussion: """
        Density from electron scattering factors (International Tables Vol. C 4.3.2.2), each atom \
        with its own B-factor and occupancy, sampled on MAP's grid, origin and voxel size. \
        --bfactor adds a B to every atom (exp(-B s^2/4): positive blurs); --resolution low-passes.

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "Atomic model: .pdb, .cif or .mmcif, optionally .gz.") var model: String
    @Option(name: .long, help: "Map whose grid, origin and voxel size the model map takes.") var like: String
    @Option(name: .long, help: "Keep only this alternate conformer (and atoms without one).") var conformer: String?
    @Option(name: [.short, .customLong("output")], help: "Output map file.") var output: String
    @Flag(name: .long, help: "Replace an existing output file.") var force = false
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        let p = try CommandParameters.value(ModelMapParameters.self)
        let progress = compute.apply()
        defer { progress.finish() }
        try checkSingleFileOutputs([output], inputs: [model, like], force: force)
        try MemoryCheck.require("model map", maps: [like], copies: ModelMap.peakMapCopies, progress: progress)
        progress.step("Reading \(model) and \(like)")
        var atoms = try AtomicModelFile.read(path: model)
        if let conformer { atoms = atoms.keepingConformer(conformer) }
        let grid = try MRCFile.readGrid(path: like)
        progress.step("Model map of \(atoms.atoms.count) atoms on \(grid.size.x)×\(grid.size.y)×\(grid.size.z)")
        let start = Date()
        let map = try namingModel(model) { try ModelMap.density(of: atoms, on: grid, parameters: p) }
        let seconds = Date().timeIntervalSince(start)
        try MRCFile.write(map, to: output, labels: [MapLoader.label("model-map"), "model \((model as NSString).lastPathComponent)"],
                          inputs: [model, like])
        progress.finish()
        let elements = atoms.elementCounts.sorted { $0.key < $1.key }.map { "\($0.key.symbol) \($0.value)" }.joined(separator: ", ")
        print("Model map: \(atoms.atoms.count) atoms (\(elements)), \(fmt(seconds, 2)) s; written to \(output)")
    }
}

/// `mapbook model-mask`: a soft mask around an atomic model.
struct ModelMaskCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [ModelMaskParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "model-mask",
        abstract: "Make a soft mask around an atomic model on the grid of an existing map.",
        discussion: """
        1 within --radius Å of an atom, falling to 0 over a raised-cosine edge --edge Å wide.

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "Atomic model: .pdb, .cif or .mmcif, optionally .gz.") var model: String
    @Option(name: .long, help: "Map whose grid the mask takes.") var like: String
    @Option(name: [.short, .customLong("output")], help: "Output mask file.") var output: String
    @Flag(name: .long, help: "Replace an existing output file.") var force = false
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        let p = try CommandParameters.value(ModelMaskParameters.self)
        _ = compute.apply()
        try checkSingleFileOutputs([output], inputs: [model, like], force: force)
        let atoms = try AtomicModelFile.read(path: model)
        let grid = try MRCFile.readGrid(path: like)
        try namingModel(model) { try ModelPlacement.requireOverlap(atoms, grid: grid) }
        let mask = try ModelMask.soft(atoms, grid: grid, parameters: p)
        try MRCFile.write(mask, to: output, labels: [MapLoader.label("model-mask"), "model \((model as NSString).lastPathComponent)"],
                          inputs: [model, like])
        let summary = mask.statistics
        print("Model mask: \(atoms.atoms.count) atoms, radius \(p.radius.parameterText) Å, edge \(p.edge.parameterText) Å, mean \(fmt(summary.mean, 4)); written to \(output)")
    }
}

/// Runs `body`; an error about no file in particular (an atom too sharp for the extra B) is
/// reported against the model file it came from.
func namingModel<T>(_ path: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as MapbookError where e.path == nil {
        throw MapbookError(e.problem, path: path)
    }
}
