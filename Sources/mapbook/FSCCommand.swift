import ArgumentParser
import Foundation
import FourierEngine
import MapbookCore
import MapModel
import Postprocessing
import Reports

/// `mapbook fsc`: the half-map FSC, optionally masked and corrected by phase randomisation.
struct FSCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsc",
        abstract: "Fourier shell correlation of two half maps, with 0.143, 0.5 and half-bit resolutions.")

    @Argument(help: "First half map.") var half1: String
    @Argument(help: "Second half map.") var half2: String
    @Option(name: .long, help: "Soft mask: adds the masked and phase-randomisation-corrected FSC.") var mask: String?
    @Option(name: .long, help: "Point-group order, for the half-bit threshold.") var symmetryOrder: Int = 1
    @Option(name: .long, help: "Seed of the phase randomisation.") var seed: UInt64 = 0
    @Option(name: .long, help: "Also write every curve and number as JSON to this file.") var json: String?
    @Option(name: .long, help: "Also write the final curve in EMDB FSC XML format to this file.") var xml: String?
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        let progress = compute.apply()
        defer { progress.finish() }
        let h1 = try MapLoader.load(half1)
        var h2 = try MapLoader.load(half2)
        if let why = h1.grid.mismatch(with: h2.grid) { throw MapbookError("does not match \(half1): \(why)", path: half2) }
        h2.grid = h1.grid
        var choice = MaskChoice.none
        if let mask {
            var m = try MapLoader.load(mask)
            try SoftMask.validate(m, path: mask, against: h1.grid)
            m.grid = h1.grid
            choice = .supplied(m)
        }
        for path in [json, xml].compactMap({ $0 }) where [half1, half2, mask].contains(path) {
            throw MapbookError("output would overwrite an input file", path: path)
        }
        var p = PostprocessParameters()
        p.bFactor = .fixed(0)
        p.seed = seed
        p.symmetryOrder = symmetryOrder
        let r = try Postprocess.run(half1: h1, half2: h2, mask: choice, parameters: p, progress: progress).report
        progress.finish()
        print(FSCTable.text(r), terminator: "")
        print("# final resolution: \(r.resolution.summary)")
        print("# FSC 0.5: \(r.resolutionHalf.summary)")
        print("# half-bit: \(r.resolutionHalfBit.summary)")
        if r.fscMasked != nil { print("# unmasked: \(r.resolutionUnmasked.summary)") }
        if let json { try AtomicFile.write(try JSONOutput.encode(r), to: json) }
        if let xml {
            try AtomicFile.write(Data(EMDBFSCXML.document(r.fscCorrected, title: mask == nil ? "mapbook unmasked FSC" : "mapbook masked-corrected FSC").utf8), to: xml)
        }
        for w in r.warnings { progress.warn(w) }
    }
}
