import ArgumentParser
import Foundation
import LocalResolution
import MapbookCore
import MapModel
import Reports

/// `mapbook local-resolution`: MonoRes local resolution from one map or two half maps.
struct LocalResolutionCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [LocalResolutionParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "local-resolution",
        abstract: "Local resolution by MonoRes (monogenic signal), from two half maps or one map.",
        discussion: """
        Writes to OUTDIR: localres.mrc (Å inside the mask, 0 outside), localres_colouring.mrc \
        (median outside, for surface colouring), localres_mask.mrc (voxels that got a value), \
        localres.json (summary, histogram, tested resolutions) and localres_chimerax.cxc (a \
        ChimeraX script that colours the map by local resolution).

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "Map, or half map 1 (unfiltered, unmasked).") var half1: String
    @Argument(help: "Half map 2: switches on half-map mode (noise from the half-map difference).") var half2: String?
    @Option(name: .long, help: "Mask of the molecule (soft masks are binarised at --mask-threshold). Default: made from the map.") var mask: String?
    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        let p = try CommandParameters.value(LocalResolutionParameters.self)
        if p.method == .localFSC && half2 == nil { throw MapbookError("--method local_fsc needs two half maps") }
        let progress = compute.apply()
        defer { progress.finish() }
        let paths = [half1] + (half2.map { [$0] } ?? [])
        try MemoryCheck.require("local resolution", maps: paths + (mask.map { [$0] } ?? []),
                                copies: p.method.peakMapCopies, progress: progress)
        progress.step("Reading \(paths.joined(separator: " and "))")
        var maps = try MapLoader.loadAll(paths)
        if maps.count == 2 { (maps[0], maps[1]) = try HalfMapPair.checked(maps[0], maps[1], paths: (half1, half2!)) }
        var m: Volume? = nil
        if let mask {
            m = try MaskInput.checked(try MapLoader.load(mask), path: mask, on: maps[0].grid)
        }
        let bundle = try OutputBundle(directory: output, inputs: paths + (mask.map { [$0] } ?? []),
                                      outputs: ["localres.mrc", "localres_colouring.mrc", "localres_mask.mrc", "localres.json", "localres_chimerax.cxc"])
        do {
            let second = maps.count == 2 ? maps.removeLast() : nil
            let first = maps.removeLast()
            let result = try LocalResolutionEstimate.run(half1: consume first, half2: consume second, mask: m, parameters: p,
                                                         names: (paths[0], paths[paths.count - 1]), progress: progress)
            let inputs = paths
            try MapLoader.writeAll([
                { try bundle.add("localres.mrc") { try MRCFile.write(result.resolution, to: $0, labels: [MapLoader.label("MonoRes local resolution (A)")], inputs: inputs) } },
                { try bundle.add("localres_colouring.mrc") { try MRCFile.write(result.resolutionForColouring, to: $0, labels: [MapLoader.label("MonoRes local resolution, median outside")], inputs: inputs) } },
                { try bundle.add("localres_mask.mrc") { try MRCFile.write(result.assignedMask, to: $0, labels: [MapLoader.label("MonoRes assigned voxels")], inputs: inputs) } },
            ])
            try bundle.add("localres.json", data: try JSONOutput.encode(result.summary))
            // The script sits in OUTDIR: it names the map it colours by its path from there.
            let script = try ChimeraXScript.localResolution(map: RelativePath.from(directory: output, to: half1),
                                                            resolutionMap: "localres_colouring.mrc", summary: result.summary)
            try bundle.add("localres_chimerax.cxc", data: Data(script.utf8))
            try bundle.commit()
            let s = result.summary
            print(String(format: "Local resolution: median %.2f Å, 5–95%% %.2f–%.2f Å, range %.2f–%.2f Å", s.median, s.percentile5, s.percentile95, s.best, s.worst))
            print(String(format: "Assigned %.1f%% of %d masked voxels; sweep of %d resolutions stopped: %@", 100 * s.assignedFraction, s.maskVoxels, s.testedResolutions.count, s.stopReason.rawValue))
            for w in s.warnings { progress.warn(w) }
        } catch {
            bundle.discard()
            throw error
        }
    }
}
