import ArgumentParser
import Foundation
import FourierEngine
import MapbookCore
import MapModel
import ModelMaps
import Postprocessing
import Reports

/// `mapbook fsc`: the half-map FSC, optionally masked and corrected by phase randomisation; or,
/// with `--model`, the FSC between a map and the map of an atomic model.
struct FSCCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [HalfMapFSCParameters.self, DirectionalFSCParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "fsc",
        abstract: "Fourier shell correlation of two half maps, or of a map against an atomic model.",
        discussion: """
        Two half maps: the gold-standard FSC with 0.143, 0.5 and half-bit resolutions, and (unless \
        --no-directional) the directional FSC: the 0.143 resolution in cones around directions, \
        its spread and the sphericity (JSON field "directional"). \
        One map with --model MODEL: the map-model FSC against the model's map on the same grid \
        (electron scattering factors, atomic B-factors and occupancies), with its 0.5 and 0.143 \
        crossings and the real-space correlation; mask it with --mask or --model-mask. The \
        parameters below apply to half maps.

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "Two half maps, or one map together with --model.") var maps: [String]
    @Option(name: .long, help: "Atomic model (PDB or mmCIF, optionally .gz): compare the one map with it.") var model: String?
    @Option(name: .long, help: "Soft mask: adds the masked and phase-randomisation-corrected FSC (with --model: masks both maps).") var mask: String?
    @Flag(name: .long, help: "Half maps: make a soft mask from their average (the mask_* parameters) and correct the masked FSC.") var autoMask = false
    @Flag(name: .long, help: "With --model: mask both maps with a soft mask around the model.") var modelMask = false
    @Option(name: .long, parsing: .unconditional, help: "With --model-mask: radius around atoms, Å.") var modelMaskRadius: Double = 3
    @Option(name: .long, parsing: .unconditional, help: "With --model-mask: soft-edge width, Å.") var modelMaskEdge: Double = 3
    @Option(name: .long, parsing: .unconditional, help: "With --model: B-factor added to every atom, Å².") var bfactor: Double = 0
    @Option(name: .long, help: "Also write every curve and number as JSON to this file.") var json: String?
    @Option(name: .long, help: "Also write the final curve in EMDB FSC XML format to this file.") var xml: String?
    @Flag(name: .long, help: "Replace existing --json and --xml files.") var force = false
    @OptionGroup var compute: ComputeOptions

    /// Printed under a table with empty FSC fields.
    static let undefinedNote = "# empty FSC fields: undefined, one map has no power above rounding level in that shell"

    func validate() throws {
        if model == nil && maps.count != 2 { throw ValidationError("give two half maps, or one map and --model") }
        if model != nil && maps.count != 1 { throw ValidationError("with --model, give exactly one map") }
        if modelMask && model == nil { throw ValidationError("--model-mask needs --model") }
        if modelMask && mask != nil { throw ValidationError("give either --mask or --model-mask, not both") }
        if autoMask && mask != nil { throw ValidationError("give either --mask or --auto-mask, not both") }
        if autoMask && model != nil { throw ValidationError("--auto-mask is for half maps; with --model use --mask or --model-mask") }
    }

    func run() throws {
        let parameters = try CommandParameters.value(HalfMapFSCParameters.self)
        let directional = try CommandParameters.value(DirectionalFSCParameters.self)
        let progress = compute.apply()
        defer { progress.finish() }
        let inputs = maps + [mask, model].compactMap { $0 }
        try checkSingleFileOutputs([json, xml], inputs: inputs, force: force)
        try MemoryCheck.require("fsc", maps: inputs.filter { $0 != model }, copies: model == nil ? Postprocess.fscPeakMapCopies : ModelMap.peakMapCopies + 4,
                                progress: progress)
        if let model { try compareWithModel(maps[0], model, progress: progress) } else { try halfMaps(parameters, directional, progress: progress) }
    }

    private func halfMaps(_ parameters: HalfMapFSCParameters, _ directional: DirectionalFSCParameters, progress: ProgressReporter) throws {
        let (half1, half2) = (maps[0], maps[1])
        let (h1, h2) = try HalfMapPair.checked(try MapLoader.load(half1), try MapLoader.load(half2), paths: (half1, half2))
        var choice = MaskChoice.none
        if let mask {
            choice = .supplied(try MaskInput.checked(try MapLoader.load(mask), path: mask, on: h1.grid))
        } else if autoMask {
            choice = .automatic(parameters.automaticMask)
        }
        // The FSC phase alone: nothing is weighted or sharpened.
        let names = PostprocessInputNames(half1: half1, half2: half2, mask: mask ?? "the automatic mask")
        let out = try Postprocess.fsc(half1: h1, half2: h2, mask: choice, parameters: parameters, names: names, progress: progress)
        let r = out.report
        // The same half maps and mask, in cones (h1 and h2 are still held: no second read).
        let cones = directional.enabled
            ? try Postprocess.directionalFSC(half1: h1, half2: h2, mask: out.mask, parameters: directional, names: names, progress: progress) : nil
        progress.finish()
        print(FSCTable.text(r), terminator: "")
        if (1..<r.fscCorrected.shellCount).contains(where: { !r.fscCorrected.isDefined($0) }) { print(Self.undefinedNote) }
        print("# final resolution: \(r.resolution.summary)")
        print("# FSC 0.5: \(r.resolutionHalf.summary)")
        print("# half-bit: \(r.resolutionHalfBit.summary)")
        if r.fscMasked != nil { print("# unmasked: \(r.resolutionUnmasked.summary)") }
        if let d = cones {
            let s = d.spread
            print(String(format: "# directional (%d cones of %g°, %@): 0.143 from %.2f Å to %.2f Å, mean %.2f ± %.2f Å; sphericity %.3f",
                         d.directions.count, d.parameters.coneHalfAngle, d.masked ? "masked" : "unmasked", s.minimum, s.maximum, s.mean, s.standardDeviation, d.sphericity))
        }
        if let json { try AtomicFile.write(try JSONOutput.encode(FSCRecord(report: r, directional: cones)), to: json) }
        if let xml {
            try AtomicFile.write(Data(EMDBFSCXML.document(r.fscCorrected, title: r.fscMasked == nil ? "mapbook unmasked FSC" : "mapbook masked-corrected FSC").utf8), to: xml)
        }
        for w in r.warnings { progress.warn(w) }
    }

    private func compareWithModel(_ mapPath: String, _ modelPath: String, progress: ProgressReporter) throws {
        let map = try MapLoader.load(mapPath)
        let atoms = try AtomicModelFile.read(path: modelPath)
        progress.step("Model map of \(atoms.atoms.count) atoms")
        let modelMap = try namingModel(modelPath) {
            try ModelMap.density(of: atoms, on: map.grid, parameters: ModelMapParameters(extraBFactor: bfactor))
        }
        var maskVolume: Volume? = nil
        if let mask {
            maskVolume = try MaskInput.checked(try MapLoader.load(mask), path: mask, on: map.grid, of: "the map")
        } else if modelMask {
            maskVolume = ModelMask.soft(atoms, grid: map.grid, radius: modelMaskRadius, edge: modelMaskEdge)
        }
        let c = try MapModelFSC.compare(map: map, modelMap: modelMap, mask: maskVolume,
                                        names: (mapPath, "the map of \(modelPath)", mask ?? "the model mask"))
        progress.finish()
        print("# shell\tresolution_A\tmap_model_fsc")
        for i in 1..<c.fsc.shellCount {
            print("\(i)\t\(fmt(c.fsc.resolution(i), 3))\t\(c.fsc.isDefined(i) ? fmt(c.fsc.fsc[i], 4) : "")")
        }
        if (1..<c.fsc.shellCount).contains(where: { !c.fsc.isDefined($0) }) { print(Self.undefinedNote) }
        print("# FSC 0.5: \(c.resolutionAtHalf.summary)")
        print("# FSC 0.143: \(c.resolutionAtGoldStandard.summary)")
        print("# real-space CC\(c.masked ? " (masked)" : ""): \(fmt(c.correlation, 4))")
        if let json {
            struct Record: Encodable { var map: String; var model: String; var mask: String?; var comparison: MapModelComparison }
            let maskName = mask ?? (modelMask ? "model mask, radius \(modelMaskRadius) Å, edge \(modelMaskEdge) Å" : nil)
            try AtomicFile.write(try JSONOutput.encode(Record(map: mapPath, model: modelPath, mask: maskName, comparison: c)), to: json)
        }
        if let xml {
            try AtomicFile.write(Data(EMDBFSCXML.document(c.fsc, title: "mapbook map-model FSC").utf8), to: xml)
        }
    }
}

/// `mapbook fsc --json`: the FSC report's fields at the top level, with the directional FSC
/// beside them under "directional".
struct FSCRecord: Encodable {
    var report: HalfMapFSCReport
    var directional: DirectionalFSCReport?

    enum Keys: String, CodingKey { case directional }

    func encode(to encoder: Encoder) throws {
        try report.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encodeIfPresent(directional, forKey: .directional)
    }
}
