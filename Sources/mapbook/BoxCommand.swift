import ArgumentParser
import Foundation
import MapBoxing
import MapbookCore
import MapModel
import Reports

/// `mapbook box`: a box cut out of a map as phenix.map_box does, with its half maps, mask and
/// model carried along, and `box.json` recording both frames and every shift.
struct BoxCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [BoxParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "box",
        abstract: "Cut a box out of a map around a model, a selection, a mask, a density threshold or given bounds (phenix.map_box).",
        discussion: """
        Writes to OUTDIR: box.mrc, and with the inputs given half1_box.mrc and half2_box.mrc \
        (boxed like the map), mask_box.mrc and model_box.pdb (the model in the box's frame), plus \
        box.json: the original and boxed frames (size, voxel size, NSTART, ORIGIN, first voxel \
        position), the box's first voxel in the original grid and the shift added to the model. \
        --frame original keeps NSTART and ORIGIN so the box overlays the input; --frame origin \
        moves it to (0,0,0) and shifts the model with it. --unique GROUP (or auto) keeps only the \
        asymmetric unit: the density in the cone of the unique copy, everything else zero (map_box's \
        exact unique); `mapbook sharpen` refuses such maps. `mapbook unbox` puts a box back.

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "The map (MRC/CCP4, optionally .gz).") var map: String
    @Option(name: .long, help: "Atomic model in the map (PDB or mmCIF): the region, unless another is given; shifted with the box.") var model: String?
    @Option(name: .long, parsing: .upToNextOption, help: "The map's two half maps, boxed identically.") var halfMaps: [String] = []
    @Option(name: .long, help: "A mask on the map's grid: the region (voxels ≥ 0.5) unless bounds or a threshold are given; boxed identically.") var mask: String?
    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if !halfMaps.isEmpty && halfMaps.count != 2 { throw ValidationError("--half-maps takes exactly two maps") }
    }

    /// Every file the command may write.
    static let outputNames = ["box.mrc", "half1_box.mrc", "half2_box.mrc", "mask_box.mrc", "model_box.pdb", "box.json"]

    func run() throws {
        let p = try CommandParameters.value(BoxParameters.self)
        let progress = compute.apply()
        defer { progress.finish() }
        let inputs = [map] + halfMaps + [mask, model].compactMap { $0 }
        try MemoryCheck.require("box", maps: [map] + halfMaps + (mask.map { [$0] } ?? []), copies: 2 + 2 * Double(halfMaps.count), progress: progress)
        progress.step("Reading \(map)")
        let file = try MRCFile.read(path: map)
        let halves = halfMaps.count == 2 ? try MapLoader.halves(halfMaps, on: file.volume, referencePath: map) : nil
        let maskVolume = try mask.map { try MapLoader.load($0) }
        let atoms = try model.map { try AtomicModelFile.read(path: $0) }
        let bundle = try OutputBundle(directory: output, inputs: inputs, outputs: Self.outputNames)
        try writingBundle(bundle) {
            let r = try MapBoxing.run(BoxInputs(map: file.volume, halfMaps: halves, mask: maskVolume, model: atoms, mapName: map,
                                                halfMapNames: halfMaps.count == 2 ? (halfMaps[0], halfMaps[1]) : ("half map 1", "half map 2"),
                                                maskName: mask ?? "the mask", modelName: model ?? "the model"),
                                      parameters: p, progress: progress)
            progress.step("Writing \(output)")
            let labels = [MapLoader.label("box")] + r.labels
            try bundle.add("box.mrc") { try MRCFile.write(r.map, to: $0, labels: labels, inputs: inputs) }
            if let (h1, h2) = r.halfMaps {
                try bundle.add("half1_box.mrc") { try MRCFile.write(h1, to: $0, labels: labels, inputs: inputs) }
                try bundle.add("half2_box.mrc") { try MRCFile.write(h2, to: $0, labels: labels, inputs: inputs) }
            }
            if let m = r.mask { try bundle.add("mask_box.mrc") { try MRCFile.write(m, to: $0, labels: labels, inputs: inputs) } }
            if let shifted = r.model {
                let s = r.record.modelShift
                try bundle.add("model_box.pdb") {
                    try AtomicModelFile.writePDB(shifted, to: $0, remarks: [String(format: "mapbook box: shifted by (%.3f, %.3f, %.3f) A into the box's frame", s[0], s[1], s[2])])
                }
            }
            struct Record: Encodable { var mapbookVersion: String; var map: String; var halfMaps: [String]; var mask: String?; var model: String?; var result: BoxRecord }
            try bundle.add("box.json", data: try JSONOutput.encode(Record(mapbookVersion: MapbookVersion.string, map: map, halfMaps: halfMaps,
                                                                           mask: mask, model: model, result: r.record)))
            try bundle.commit()
            progress.finish()
            let b = r.record.box.region, f = r.map.grid.firstVoxelPosition, s = r.record.modelShift
            print("Box:          \(b.size.x)×\(b.size.y)×\(b.size.z) voxels from voxel (\(b.start.x), \(b.start.y), \(b.start.z)) of \(file.volume.grid.size.x)×\(file.volume.grid.size.y)×\(file.volume.grid.size.z); region: \(r.record.regionFrom)")
            print("Frame:        \(p.frame); first voxel at (\(fmt(f.x, 2)), \(fmt(f.y, 2)), \(fmt(f.z, 2))) Å; model shift (\(fmt(s[0], 2)), \(fmt(s[1], 2)), \(fmt(s[2], 2))) Å")
            if let u = r.record.unique { print("Unique part:  \(u.group)\(u.found ? " (found)" : ""), \(fmt(100 * u.keptFraction, 1)) % of the voxels kept") }
        }
    }
}

/// `mapbook unbox`: a box put back into the frame it was cut from, as `box.json` records it.
struct UnboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unbox",
        abstract: "Put a map made by `mapbook box` back on the original map's grid (exact inside the box).",
        discussion: """
        Reads the box's grid from BOX_JSON. Outside the box the output holds --into's voxels (the \
        original map, or any map on its grid) or zeros. Inside it holds the boxed map's voxels, \
        bit for bit, so box then unbox restores the original exactly.
        """)

    @Argument(help: "The boxed map.") var boxed: String
    @Argument(help: "The box.json `mapbook box` wrote with it.") var boxJSON: String
    @Option(name: .long, help: "A map on the original grid whose voxels fill the outside of the box (default: zeros).") var into: String?
    @Option(name: [.short, .customLong("output")], help: "Output map file.") var output: String
    @Flag(name: .long, help: "Replace an existing output file.") var force = false

    func run() throws {
        let inputs = [boxed, boxJSON] + (into.map { [$0] } ?? [])
        try checkSingleFileOutputs([output], inputs: inputs, force: force)
        struct Record: Decodable { var result: BoxRecord }
        let record: BoxRecord
        do {
            record = try JSONDecoder().decode(Record.self, from: try Data(contentsOf: URL(fileURLWithPath: boxJSON))).result
        } catch {
            throw MapbookError("not a box.json written by mapbook box (\(error.localizedDescription))", path: boxJSON)
        }
        let file = try MRCFile.read(path: boxed)
        let surroundings = try into.map { try MapLoader.load($0) }
        let restored: Volume
        do { restored = try record.box.restore(file.volume, surroundings: surroundings) } catch let e as MapbookError {
            throw MapbookError(e.problem, path: e.problem.hasPrefix("the map to restore into") ? into : boxed)
        }
        try MRCFile.write(restored, to: output, labels: [MapLoader.label("unbox")] + file.header.labels.dropFirst().prefix(8), inputs: inputs)
        let b = record.box.region
        print("Restored \(b.size.x)×\(b.size.y)×\(b.size.z) voxels at (\(b.start.x), \(b.start.y), \(b.start.z)) of \(record.box.original.size.x)×\(record.box.original.size.y)×\(record.box.original.size.z)")
    }
}
