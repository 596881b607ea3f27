import ArgumentParser
import Foundation
import FourierEngine
import MapbookCore
import MapModel
import Postprocessing
import Reports

/// `mapbook postprocess`: RELION-style post-processing of two half maps.
struct PostprocessCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [PostprocessParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "postprocess",
        abstract: "Masked, phase-randomisation-corrected FSC and B-factor sharpening of two half maps.",
        discussion: """
        Writes to OUTDIR: postprocess.mrc (sharpened average), postprocess_masked.mrc, \
        postprocess_mask.mrc (an automatic mask), postprocess.json (every curve and number), \
        postprocess_fsc.xml (EMDB format) and postprocess_fsc.tsv. B-factors follow one \
        convention: the applied factor is exp(-B s^2/4), so a negative B sharpens.

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "First half map (MRC/CCP4, optionally .gz).") var half1: String
    @Argument(help: "Second half map.") var half2: String

    @Option(name: .long, help: "Soft mask file (values in [0, 1], same grid).") var mask: String?
    @Flag(name: .long, help: "Make a soft mask from the average map (low-pass, threshold, extend, cosine edge; the mask_* parameters).") var autoMask = false
    @Option(name: .long, parsing: .unconditional, help: "Override the voxel size of the inputs, Å.") var angpix: Double?

    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String

    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if mask != nil && autoMask { throw ValidationError("give either --mask or --auto-mask, not both") }
    }

    func run() throws {
        let p = try CommandParameters.value(PostprocessParameters.self)
        let progress = compute.apply()
        defer { progress.finish() }
        try MemoryCheck.require("postprocess", maps: [half1, half2] + (mask.map { [$0] } ?? []), copies: Postprocess.peakMapCopies, progress: progress)
        progress.step("Reading \(half1) and \(half2)" + (mask.map { " with the mask \($0)" } ?? ""))
        // The mask is read with the half maps, one thread per file.
        var loaded = try MapLoader.loadAll([half1, half2] + (mask.map { [$0] } ?? []), voxelSize: angpix)
        let (h1, h2) = try HalfMapPair.checked(loaded[0], loaded[1], paths: (half1, half2))
        let suppliedMask = loaded.count > 2 ? loaded[2] : nil
        loaded.removeAll()   // h1 and h2 own their voxels alone: the transforms can run in place
        var maskChoice = MaskChoice.none
        if let mask, let suppliedMask {
            maskChoice = .supplied(try MaskInput.checked(suppliedMask, path: mask, on: h1.grid))
        } else if autoMask {
            maskChoice = .automatic(p.fsc.automaticMask)
        }

        // Check the output folder before the work, so a bad path fails fast; nothing appears
        // in it until every output is complete.
        let inputs = [half1, half2] + (mask.map { [$0] } ?? [])
        let bundle = try OutputBundle(directory: output, inputs: inputs, outputs: Self.outputNames)
        do {
            let result = try Postprocess.run(half1: consume h1, half2: consume h2, mask: maskChoice, parameters: p,
                                             names: PostprocessInputNames(half1: half1, half2: half2, mask: mask ?? "the automatic mask"),
                                             progress: progress)
            progress.step("Writing \(output)")
            try write(result, to: bundle)
            try bundle.commit()
            progress.finish()
            printSummary(result.report)
            for w in result.report.warnings { progress.warn(w) }
        } catch {
            bundle.discard()
            throw error
        }
    }

    /// Every file the command may write.
    static let outputNames = ["postprocess.mrc", "postprocess_masked.mrc", "postprocess_mask.mrc", "postprocess.json",
                              "postprocess_fsc.xml", "postprocess_fsc.tsv"]

    func write(_ result: PostprocessOutput, to bundle: OutputBundle) throws {
        let inputs = [half1, half2]
        var maps: [(name: String, volume: Volume, label: String)] = [("postprocess.mrc", result.sharpened, "postprocess sharpened")]
        if let masked = result.sharpenedMasked { maps.append(("postprocess_masked.mrc", masked, "postprocess sharpened, masked")) }
        if autoMask, let m = result.mask { maps.append(("postprocess_mask.mrc", m, "postprocess automatic mask")) }
        // The maps are large and independent: write them at the same time.
        try MapLoader.writeAll(maps.map { map in {
            try bundle.add(map.name) { try MRCFile.write(map.volume, to: $0, labels: [MapLoader.label(map.label)], inputs: inputs) }
        } })
        let report = PostprocessJSON(mapbookVersion: MapbookVersion.string, half1: half1, half2: half2, mask: mask,
                                     autoMask: autoMask, result: result.report)
        try bundle.add("postprocess.json", data: try JSONOutput.encode(report))
        let title = result.report.fscMasked != nil ? "mapbook masked-corrected FSC" : "mapbook unmasked FSC"
        try bundle.add("postprocess_fsc.xml", data: Data(EMDBFSCXML.document(result.report.fscCorrected, title: title).utf8))
        try bundle.add("postprocess_fsc.tsv", data: Data(FSCTable.text(result.report.fscReport).utf8))
    }

    func printSummary(_ r: PostprocessReport) {
        var lines: [String] = []
        lines.append("Final resolution:  \(r.resolution.summary)")
        lines.append("Half-bit:          \(r.resolutionHalfBit.summary)")
        lines.append("Unmasked FSC:      \(r.resolutionUnmasked.summary)")
        if let s = r.randomizationShell, let d = r.randomizationResolution {
            lines.append("Phases randomised beyond shell \(s) (\(fmt(d, 2)) Å)")
        }
        if let fit = r.guinierFit {
            lines.append("B-factor:          \(fmt(r.appliedBFactor, 1)) Å² (fit \(fmt(fit.lowResolution, 2))–\(fmt(fit.highResolution, 2)) Å, \(fit.points) points, r² \(fmt(fit.correlation, 4)))")
        } else {
            lines.append("B-factor:          \(fmt(r.appliedBFactor, 1)) Å² (given)")
        }
        print(lines.joined(separator: "\n"))
    }
}

/// The JSON written by `mapbook postprocess`: inputs plus the full report.
struct PostprocessJSON: Encodable {
    var mapbookVersion: String
    var half1: String
    var half2: String
    var mask: String?
    var autoMask: Bool
    var result: PostprocessReport
}
