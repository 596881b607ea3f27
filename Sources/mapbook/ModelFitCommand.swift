import ArgumentParser
import Foundation
import MapbookCore
import MapModel
import ModelValidation
import Reports

/// `mapbook model-fit`: how well a model fits a map, as EMDB and Phenix report it.
struct ModelFitCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [ModelFitParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "model-fit",
        abstract: "Map–model validation: map–model FSC, CC_mask/box/volume/peaks, d99 and d_model, Q-score, atom inclusion.",
        discussion: """
        Writes to OUTDIR: model_fit.json (every number and curve), model_fit_residues.tsv (Q-score, \
        B and local resolution per residue) and model_fit_fsc.tsv (the map–model FSC curves). With \
        --half-maps the map–model FSC is also computed against each half (the overfitting check \
        of Brown et al. 2015) and the resolution is their FSC 0.143 crossing unless given.

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "The map (MRC/CCP4, optionally .gz).") var map: String
    @Argument(help: "The atomic model (PDB or mmCIF, optionally .gz).") var model: String
    @Option(name: .long, parsing: .upToNextOption, help: "The two half maps of the map.") var halfMaps: [String] = []
    @Option(name: .long, help: "A local-resolution map (Å) on the map's grid: each residue's local resolution.") var localResolution: String?
    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if !halfMaps.isEmpty && halfMaps.count != 2 { throw ValidationError("--half-maps takes exactly two maps") }
    }

    /// Every file the command writes.
    static let outputNames = ["model_fit.json", "model_fit_residues.tsv", "model_fit_fsc.tsv"]

    func run() throws {
        let p = try CommandParameters.value(ModelFitParameters.self)
        let progress = compute.apply()
        defer { progress.finish() }
        let inputs = [map, model] + halfMaps + (localResolution.map { [$0] } ?? [])
        try MemoryCheck.require("model fit", maps: [map] + halfMaps, copies: ModelFit.peakMapCopies + Double(halfMaps.count), progress: progress)
        progress.step("Reading \(map) and \(model)")
        let volume = try MapLoader.load(map)
        let atoms = try AtomicModelFile.read(path: model)
        let halves = halfMaps.count == 2 ? try MapLoader.halves(halfMaps, on: volume, referencePath: map) : nil
        var local: Volume? = nil
        if let localResolution {
            var l = try MapLoader.load(localResolution)
            if let why = volume.grid.mismatch(with: l.grid) { throw MapbookError("does not match \(map): \(why)", path: localResolution) }
            l.grid = volume.grid
            local = l
        }
        let bundle = try OutputBundle(directory: output, inputs: inputs, outputs: Self.outputNames)
        do {
            let r = try ModelFit.run(map: volume, model: atoms, halves: halves, localResolution: local, parameters: p,
                                     names: ModelFit.Names(map: map, model: model), progress: progress)
            progress.step("Writing \(output)")
            struct Record: Encodable { var mapbookVersion: String; var map: String; var model: String; var halfMaps: [String]; var result: ModelFitReport }
            try bundle.add("model_fit.json", data: try JSONOutput.encode(Record(mapbookVersion: MapbookVersion.string, map: map, model: model,
                                                                                halfMaps: halfMaps, result: r)))
            try bundle.add("model_fit_residues.tsv", data: Data(ModelFitTables.residues(r).utf8))
            try bundle.add("model_fit_fsc.tsv", data: Data(ModelFitTables.fsc(r).utf8))
            try bundle.commit()
            progress.finish()
            print(ModelFitTables.summary(r))
            for w in r.warnings { progress.warn(w) }
        } catch {
            bundle.discard()
            throw error
        }
    }
}
