import ArgumentParser
import Foundation
import FourierEngine
import HalfMapSharpening
import MapbookCore
import MapModel
import Reports

/// `mapbook halfmap-sharpen`: half-map sharpening for the highest expected correlation with the
/// true map, globally or in soft local windows.
struct HalfMapSharpenCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [HalfMapSharpeningParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "halfmap-sharpen",
        abstract: "Half-map sharpening for the highest expected correlation with the true map, globally or locally.",
        discussion: """
        Each shell of the average of the half maps is weighted by the full map's FSC, \
        2·FSC/(1 + FSC), and the signal's own envelope (its fall-off against an ideal protein's, \
        fitted from the halves' cross-power) is divided out down to --target-bfactor. In local \
        mode the same is measured in soft windows over the molecule and blended smoothly; auto \
        chooses local when enough windows hold signal, with a per-direction correction when \
        the FSC differs by direction (the rule is in the README). Writes to OUTDIR: sharpened.mrc (the \
        half maps' grid) and halfmap_sharpen.json (what was measured and applied).

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "Half map 1: unfiltered, unmasked.") var half1: String
    @Argument(help: "Half map 2: unfiltered, unmasked.") var half2: String
    @Option(name: .long, help: "Soft mask of the molecule, where the statistics are measured (default: the whole box).") var mask: String?
    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        let p = try CommandParameters.value(HalfMapSharpeningParameters.self)
        let progress = compute.apply()
        defer { progress.finish() }
        let inputs = [half1, half2] + (mask.map { [$0] } ?? [])
        let bundle = try OutputBundle(directory: output, inputs: inputs, outputs: ["sharpened.mrc", "halfmap_sharpen.json"])
        try MemoryCheck.require("half-map sharpening", maps: inputs, copies: HalfMapSharpening.peakMapCopies, progress: progress)
        progress.step("Reading \(inputs.joined(separator: ", "))")
        var loaded = try MapLoader.loadAll(inputs)
        var h1 = loaded.removeFirst(), h2 = loaded.removeFirst()
        if let why = h1.grid.mismatch(with: h2.grid) { throw MapbookError("is not on the grid of \(half1): \(why)", path: half2) }
        h2.grid = h1.grid
        (h1, h2) = try HalfMapPair.checked(h1, h2, paths: (half1, half2))
        var maskVolume: Volume? = nil
        if let mask { maskVolume = try MaskInput.checked(loaded.removeFirst(), path: mask, on: h1.grid) }
        try FSCInput.requireVarying(h1, name: half1)
        try FSCInput.requireVarying(h2, name: half2)
        let result = try HalfMapSharpening.sharpen(half1: h1, half2: h2, mask: maskVolume, parameters: p, progress: progress)
        let r = result.report
        try bundle.add("sharpened.mrc") {
            try MRCFile.write(result.map, to: $0, labels: [MapLoader.label("half-map sharpened (\(r.applied.rawValue))")], inputs: inputs)
        }
        try bundle.add("halfmap_sharpen.json", data: try JSONOutput.encode(r))
        try bundle.commit()
        progress.finish()
        let envelope = r.signal.map { String(format: "signal envelope B %.1f Å² → target %.1f Å²", $0.bFactor, r.targetBFactor) } ?? "no signal past 10 Å: Wiener filter only"
        print("Half-map sharpening (\(r.applied.rawValue)): \(envelope)")
        if let reason = r.reason { print("Auto: \(reason)") }
        if let d = r.windowDiameter, let m = r.measuredWindows { print(String(format: "Local windows: %d over the molecule, %.0f Å across", m, d)) }
        for note in r.notes { print("Note: \(note)") }
        print("Wrote \(output)/sharpened.mrc")
    }
}
