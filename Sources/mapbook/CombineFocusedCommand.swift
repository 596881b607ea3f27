import ArgumentParser
import FocusedMaps
import Foundation
import MapbookCore
import MapModel
import Reports

/// `mapbook combine-focused`: a weighted composite of locally focused maps, as
/// phenix.combine_focused_maps builds it.
struct CombineFocusedCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [FocusedMapsParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "combine-focused",
        abstract: "Combine locally focused maps into one composite, each part weighted by its map–model correlation (phenix.combine_focused_maps).",
        discussion: """
        The maps may differ in grid, size, voxel size and origin: each is placed on the composite's \
        grid by trilinear interpolation honouring its ORIGIN and NSTART (--like gives that grid; by \
        default it covers every map at the finest voxel size). Each map is scored against a B = 0 map \
        of its model (--models, one per map, or --model shared) per chain and per residue window, and \
        weighted by W_i = cov_i·(A_i + β·Q_i) / Σ_j cov_j·(A_j + β·Q_j) with A_i(x) = Σ_r CC_i(r)^p \
        exp(−|x − c_r|²/2σ²) (see composite.json's weighting). Writes to OUTDIR: composite.mrc, \
        weights_1.mrc … (one per map), composite_table.tsv (per residue: each map's correlation and \
        weight, and the winner) and composite.json (per map and per chain).

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "The focused maps (MRC/CCP4, optionally .gz), at least two.") var maps: [String]
    @Option(name: .long, parsing: .upToNextOption, help: "One model per map, in the maps' order.") var models: [String] = []
    @Option(name: .long, help: "One model shared by every map.") var model: String?
    @Option(name: .long, help: "A map whose grid the composite takes (size, voxel size, NSTART, ORIGIN).") var like: String?
    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if maps.count < 2 { throw ValidationError("give at least two focused maps") }
        if (model == nil) == models.isEmpty { throw ValidationError("give either --model (shared) or --models (one per map)") }
        if !models.isEmpty && models.count != maps.count { throw ValidationError("--models has \(models.count) models for \(maps.count) maps") }
    }

    /// Every file the command writes (weights_<n>.mrc, one per map).
    static let outputNames = ["composite.mrc", "weights_*.mrc", "composite_table.tsv", "composite.json"]

    func run() throws {
        let p = try CommandParameters.value(FocusedMapsParameters.self)
        let progress = compute.apply()
        defer { progress.finish() }
        let modelPaths = models.isEmpty ? Array(repeating: model!, count: maps.count) : models
        let inputs = maps + Array(Set(modelPaths)).sorted() + (like.map { [$0] } ?? [])
        try MemoryCheck.require("composite", maps: maps + (like.map { [$0] } ?? []), copies: FocusedComposite.peakMapCopies(inputs: maps.count) * 2,
                                progress: progress)
        progress.step("Reading \(maps.count) maps")
        let volumes = try MapLoader.loadAll(maps)
        var read: [String: AtomicModel] = [:]
        for path in Set(modelPaths) { read[path] = try AtomicModelFile.read(path: path) }
        let target = try like.map { try MRCFile.checkedGrid(path: $0) }
        let focused = zip(zip(volumes, maps), modelPaths).map { FocusedMapInput(map: $0.0, model: read[$1]!, name: $0.1, modelName: $1) }
        let bundle = try OutputBundle(directory: output, inputs: inputs, outputs: Self.outputNames)
        try writingBundle(bundle) {
            let r = try FocusedComposite.run(focused, target: target, parameters: p, progress: progress)
            progress.step("Writing \(output)")
            let label = MapLoader.label("combine-focused")
            var writers: [() throws -> Void] = []
            try bundle.add("composite.mrc") { try MRCFile.write(r.composite, to: $0, labels: [label, "composite of \(maps.count) focused maps"], inputs: inputs) }
            for (i, w) in r.weights.enumerated() {
                let name = "weights_\(i + 1).mrc"
                writers.append { try bundle.add(name) { try MRCFile.write(w, to: $0, labels: [label, String("weights of \((maps[i] as NSString).lastPathComponent)".prefix(80))], inputs: inputs) } }
            }
            try MapLoader.writeAll(writers)
            try bundle.add("composite_table.tsv", data: Data(r.report.residueTable.utf8))
            struct Record: Encodable { var mapbookVersion: String; var maps: [String]; var models: [String]; var like: String?; var result: FocusedCompositeReport }
            try bundle.add("composite.json", data: try JSONOutput.encode(Record(mapbookVersion: MapbookVersion.string, maps: maps, models: modelPaths,
                                                                                 like: like, result: r.report)))
            try bundle.commit()
            progress.finish()
            print("map                          overall CC   residues won")
            for m in r.report.maps {
                print("\(m.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(m.correlation.map { fmt($0) } ?? "n/a")        \(m.residuesWon)")
            }
            for c in r.report.chains {
                print("chain \(c.chain): won by \(c.winner.map { r.report.maps[$0].name } ?? "no map") (\(c.residues) residues)")
            }
        }
    }
}
