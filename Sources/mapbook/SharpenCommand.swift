import ArgumentParser
import Foundation
import MapbookCore
import MapModel
import Reports
import Sharpening

/// `mapbook sharpen`: automatic sharpening as phenix.map_sharpening does it.
struct SharpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sharpen",
        abstract: "Automatic map sharpening: keep the resolution-dependent amplitude scaling that gives the clearest map.",
        discussion: """
        Tries sharpening functions on a box of density and keeps the one with the highest \
        adjusted surface area (default) or kurtosis, then applies it to the whole map. Methods: \
        b_iso, b_iso_to_d_cut (default), resolution_dependent, target_b_iso, half_map (needs \
        --half-maps), model (needs --model). Writes to OUTDIR: sharpened.mrc, sharpen_trials.tsv \
        (every trial), sharpen_choice.tsv and sharpen.json (the choice and why). B-factors \
        follow one convention: the applied factor is exp(-B s^2/4), so a negative B sharpens. \
        --box takes voxel indices x0,y0,z0,x1,y1,z1 (first voxel included, end excluded).
        """)

    @Argument(help: "Map to sharpen (MRC/CCP4, optionally .gz), unmasked and unsharpened.") var map: String
    @Option(name: .long, parsing: .upToNextOption, help: "Two half maps (for the half_map method).") var halfMaps: [String] = []
    @Option(name: .long, help: "Atomic model placed on the map (for the model method).") var model: String?
    @Option(name: .long, help: "Sequence file (FASTA) of everything in the map: sets the molecular volume.") var sequence: String?
    @Option(name: .long, parsing: .unconditional, help: "Molecular mass in Da: sets the molecular volume.") var molecularMass: Double?
    @Option(name: .long, parsing: .unconditional, help: "Nominal resolution of the map, Å.") var resolution: Double
    @Option(name: .long, parsing: .singleValue, help: "Sharpening method(s), comma-separated or repeated (default b_iso_to_d_cut).") var method: [String] = []
    @Option(name: .long, help: "Score: adjusted-sa (default) or kurtosis.") var score: String = "adjusted-sa"
    @Option(name: .long, parsing: .unconditional, help: "Score on this box: x0,y0,z0,x1,y1,z1 in voxels (end excluded).") var box: String?
    @Flag(name: .long, help: "Score on the whole map instead of a box of density.") var wholeMap = false
    @Flag(name: .long, help: "Sharpen overlapping cubes separately and blend them.") var local = false
    @Option(name: .long, parsing: .unconditional, help: "Local sharpening cube edge, Å (default 12 × resolution, at least 24 voxels).") var localBox: Double?
    @Flag(name: .long, help: "Sharpen maps the guards refuse (mostly constant, masked, already sharpened).") var force = false

    @Option(name: .long, parsing: .unconditional, help: "Apply this B (Å², negative sharpens) with b_iso or b_iso_to_d_cut, without a search.") var bfactor: Double?
    @Option(name: .long, parsing: .unconditional, help: "resolution_dependent parameters b0,b1,b2, without a search.") var resolutionDependent: String?
    @Option(name: .long, parsing: .unconditional, help: "b_iso_to_d_cut: switch resolution, Å (default: --resolution).") var dCut: Double?
    @Option(name: .long, parsing: .unconditional, help: "b_iso_to_d_cut: switch steepness, 1/Å.") var kSharpen: Double = SharpeningDefaults.kSharpen
    @Option(name: .long, parsing: .unconditional, help: "b_iso_to_d_cut: extra B beyond d_cut, Å².") var bBlur: Double = SharpeningDefaults.blurBeyondCut
    @Option(name: .long, parsing: .unconditional, help: "Search: lowest map B after sharpening, Å².") var searchBMin: Double = SharpeningDefaults.searchTargetBMin
    @Option(name: .long, parsing: .unconditional, help: "Search: highest map B after sharpening, Å².") var searchBMax: Double = SharpeningDefaults.searchTargetBMax
    @Option(name: .long, parsing: .unconditional, help: "Search: grid points.") var searchSteps: Int = SharpeningDefaults.searchSteps
    @Option(name: .long, parsing: .unconditional, help: "Search: refinement rounds after the grid.") var refinementLevels: Int = 3
    @Option(name: .long, parsing: .unconditional, help: "Region weight of the adjusted surface area (default: calibrated on the map).") var regionWeight: Double?
    @Option(name: .long, parsing: .unconditional, help: "Fraction of the molecular volume the score's contour encloses.") var enclosedFraction: Double = SharpeningDefaults.enclosedFraction
    @Option(name: .long, parsing: .unconditional, help: "Override the voxel size of the inputs, Å.") var angpix: Double?

    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if !halfMaps.isEmpty && halfMaps.count != 2 { throw ValidationError("--half-maps takes exactly two maps") }
        if sequence != nil && molecularMass != nil { throw ValidationError("give either --sequence or --molecular-mass, not both") }
        if box != nil && wholeMap { throw ValidationError("give either --box or --whole-map, not both") }
        if localBox != nil && !local { throw ValidationError("--local-box needs --local") }
    }

    /// The parameters the options describe (errors name the option).
    func parameters() throws -> SharpeningParameters {
        var p = SharpeningParameters(resolution: resolution)
        let names = method.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        if !names.isEmpty {
            p.methods = try names.map { name in
                guard let m = SharpeningMethod(name: name) else {
                    throw MapbookError("--method \(name) is not a method; choose from \(SharpeningMethod.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return m
            }
        }
        guard let target = SharpeningScoreTarget(rawValue: score) else {
            throw MapbookError("--score \(score) is not a score; choose adjusted-sa or kurtosis")
        }
        p.scoreTarget = target
        if wholeMap { p.box = .wholeMap }
        if let box {
            let v = box.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard v.count == 6, v.allSatisfy({ $0 != nil }) else {
                throw MapbookError("--box needs six whole numbers x0,y0,z0,x1,y1,z1 (voxels, end excluded), got \"\(box)\"")
            }
            let n = v.map { $0! }
            p.box = .given(MapBox(start: SIMD3(n[0], n[1], n[2]), size: SIMD3(n[3] - n[0], n[4] - n[1], n[5] - n[2])))
        }
        p.bFactor = bfactor
        if let resolutionDependent {
            let v = resolutionDependent.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard v.count == 3, v.allSatisfy({ $0 != nil }) else {
                throw MapbookError("--resolution-dependent needs three numbers b0,b1,b2, got \"\(resolutionDependent)\"")
            }
            p.resolutionDependent = v.map { $0! }
        }
        // No method named: the library's rule, the same as a plan's.
        if names.isEmpty { p.methods = p.impliedMethods(halfMaps: halfMaps.count == 2, model: model != nil) }
        p.dCut = dCut
        p.kSharpen = kSharpen
        p.blurBeyondCut = bBlur
        p.search.targetBMin = searchBMin
        p.search.targetBMax = searchBMax
        p.search.steps = searchSteps
        p.search.refinementLevels = refinementLevels
        p.regionWeight = regionWeight
        p.enclosedFraction = enclosedFraction
        if local { p.local = CubeSharpeningParameters(boxEdge: localBox) }
        p.force = force
        try p.validate()
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
            let loaded = try MapLoader.loadAll(halfMaps, voxelSize: angpix)
            for (path, h) in zip(halfMaps, loaded) {
                if let why = volume.grid.mismatch(with: h.grid) { throw MapbookError("does not match \(map): \(why)", path: path) }
            }
            var (h1, h2) = try HalfMapPair.checked(loaded[0], loaded[1], paths: (halfMaps[0], halfMaps[1]))
            h1.grid = volume.grid; h2.grid = volume.grid
            halves = (h1, h2)
        }
        let atoms = try model.map { try AtomicModelFile.read(path: $0) }
        var molecule: MolecularVolume? = nil
        if let sequence { molecule = MolecularVolume.fromSequence(try SequenceComposition.read(path: sequence)) }
        if let molecularMass { molecule = try MolecularVolume.fromMass(molecularMass) }

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
