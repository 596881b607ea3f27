import ArgumentParser
import Foundation
import HalfMapSharpening
import MapbookCore
import MapModel
import Reports
import Sharpening

/// `mapbook sharpen`: automatic sharpening as phenix.map_sharpening does it.
struct SharpenCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [SharpeningParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "sharpen",
        abstract: "Automatic map sharpening: keep the resolution-dependent amplitude scaling that gives the clearest map.",
        discussion: """
        Tries sharpening functions on a box of density and keeps the one with the highest \
        adjusted surface area (default) or kurtosis, then applies it to the whole map. Methods: \
        b_iso, b_iso_to_d_cut, resolution_dependent, target_b_iso, half_map (needs \
        --half-maps), model (needs --model); with no --method, half maps imply half_map, a \
        model implies model, else b_iso_to_d_cut. Writes to OUTDIR: sharpened.mrc, \
        sharpen_trials.tsv (every trial), sharpen_choice.tsv and sharpen.json (the choice and \
        why). B-factors follow one convention: the applied factor is exp(-B s^2/4), so a \
        negative B sharpens. --box takes auto, whole, or voxel indices x0,y0,z0,x1,y1,z1 \
        (first voxel included, end excluded).

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "Map to sharpen (MRC/CCP4, optionally .gz), unmasked and unsharpened.") var map: String
    @Option(name: .long, parsing: .upToNextOption, help: "Two half maps (for the half_map method).") var halfMaps: [String] = []
    @Option(name: .long, help: "Atomic model placed on the map (for the model method).") var model: String?
    @Option(name: .long, help: "Sequence file (FASTA) of everything in the map: sets the molecular volume.") var sequence: String?
    @Option(name: .long, parsing: .unconditional, help: "Molecular mass in Da: sets the molecular volume.") var molecularMass: Double?
    @Option(name: .long, parsing: .unconditional, help: "Nominal resolution of the map, Å.") var resolution: Double
    @Flag(name: .long, help: "Sharpen maps the guards refuse (mostly constant, masked, already sharpened).") var force = false
    @Option(name: .long, parsing: .unconditional, help: "Override the voxel size of the inputs, Å.") var angpix: Double?

    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if !halfMaps.isEmpty && halfMaps.count != 2 { throw ValidationError("--half-maps takes exactly two maps") }
        if sequence != nil && molecularMass != nil { throw ValidationError("give either --sequence or --molecular-mass, not both") }
    }

    /// The parameters the command line gives (a bad value is an error naming its flag); the
    /// methods, when none is named, are settled by the library from the inputs.
    func parameters() throws -> SharpeningParameters {
        var p = try CommandParameters.value(SharpeningParameters.self)
        p.resolution = resolution
        p.force = force
        do { try p.validateResolution() } catch let problem as ParameterProblem { throw CommandParameters.phrased(problem) }
        return p
    }

    func run() throws {
        let progress = compute.apply()
        defer { progress.finish() }
        let p = try parameters()
        try MemoryCheck.require("sharpen", maps: [map] + halfMaps, copies: AutoSharpen.peakMapCopies(halfMaps: !halfMaps.isEmpty), progress: progress)
        progress.step("Reading \(map)")
        let file = try MRCFile.read(path: map)
        var volume = file.volume
        if let angpix {
            guard angpix > 0, angpix.isFinite else { throw MapbookError("--angpix must be a positive size in Å") }
            volume.grid.voxelSize = SIMD3(repeating: angpix)
        }
        var halves: (Volume, Volume)? = nil
        if halfMaps.count == 2 {
            halves = try MapLoader.halves(halfMaps, on: volume, referencePath: map, voxelSize: angpix)
        }
        let atoms = try model.map { try AtomicModelFile.read(path: $0) }
        var molecule: MolecularVolume? = nil
        if let sequence { molecule = MolecularVolume.fromSequence(try SequenceComposition.read(path: sequence)) }
        do {
            if let molecularMass { molecule = try MolecularVolume.fromMass(molecularMass) }
        } catch let problem as ParameterProblem { throw CommandParameters.phrased(problem) }

        let inputs = [map] + halfMaps + [model, sequence].compactMap { $0 }
        let bundle = try OutputBundle(directory: output, inputs: inputs)
        do {
            let result = try AutoSharpen.run(SharpeningInputs(map: volume, halfMaps: halves, model: atoms, molecularVolume: molecule,
                                                              labels: file.header.labels, mapPath: map),
                                             parameters: p, progress: progress)
            progress.step("Writing \(output)")
            let r = result.report
            try bundle.add("sharpened.mrc") {
                try MRCFile.write(result.map, to: $0, labels: [MapLoader.label("\(SharpeningGuards.sharpenedLabel) \(r.choice.settings.method.rawValue)"),
                                                              String(r.choice.settings.summary.prefix(80))], inputs: inputs)
            }
            try bundle.add("sharpen_trials.tsv", data: Data(SharpeningTables.trials(r).utf8))
            try bundle.add("sharpen_choice.tsv", data: Data(SharpeningTables.choice(r).utf8))
            let json = SharpenJSON(mapbookVersion: MapbookVersion.string, map: map, halfMaps: halfMaps.isEmpty ? nil : halfMaps,
                                   model: model, sequence: sequence, molecularMass: molecularMass, result: r)
            try bundle.add("sharpen.json", data: try JSONOutput.encode(json))
            try bundle.commit()
            progress.finish()
            printSummary(r)
            for w in r.warnings { progress.warn(w) }
        } catch let problem as ParameterProblem {
            bundle.discard()
            throw CommandParameters.phrased(problem)
        } catch var refusal as MapbookError where refusal.problem.hasSuffix(SharpeningGuards.forceAdvice) {
            // The guards' way past a refusal, as this command's switch.
            bundle.discard()
            refusal.problem = String(refusal.problem.dropLast(SharpeningGuards.forceAdvice.count)) + "--force"
            throw refusal
        } catch {
            bundle.discard()
            throw error
        }
    }

    func printSummary(_ r: SharpeningReport) {
        let b = r.region.box
        var lines = ["Chosen:            \(r.choice.reason)"]
        lines.append("Map B:             \(fmt(r.mapBFactor.bFactor, 1)) Å²\(r.mapBFactor.fit == nil ? " (no Guinier fit; phenix's default)" : "")")
        lines.append("Scored region:     \(r.region.how), \(b.size.x)×\(b.size.y)×\(b.size.z) from (\(b.start.x), \(b.start.y), \(b.start.z)); solvent \(fmt(r.region.solventFraction, 3)); contour encloses \(r.region.enclosedVoxels) voxels")
        lines.append("Molecular volume:  \(fmt(r.molecularVolume.volume, 0)) Å³ (\(r.molecularVolume.source.rawValue))")
        lines.append("Trials:            \(r.trials.count); region weight \(fmt(r.regionWeight, 2)) (\(r.regionWeightSource))")
        if let local = r.local { lines.append("Local sharpening:  \(local.cubes.count) cubes of \(local.edge) voxels, \(local.skipped) skipped (little molecule)") }
        if let w = r.halfMapLocal?.windowsSummary { lines.append("Local sharpening:  \(w)") }
        print(lines.joined(separator: "\n"))
    }
}

/// The JSON written by `mapbook sharpen`: inputs plus the full report.
struct SharpenJSON: Encodable {
    var mapbookVersion: String
    var map: String
    var halfMaps: [String]?
    var model: String?
    var sequence: String?
    var molecularMass: Double?
    var result: SharpeningReport
}
