import ArgumentParser
import Foundation
import LocalResolution
import MapbookCore
import MapModel
import Reports

/// `mapbook local-resolution`: MonoRes local resolution from one map or two half maps.
struct LocalResolutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local-resolution",
        abstract: "Local resolution by MonoRes (monogenic signal), from two half maps or one map.",
        discussion: """
        Writes to OUTDIR: localres.mrc (Å inside the mask, 0 outside), localres_colouring.mrc \
        (median outside, for surface colouring), localres_mask.mrc (voxels that got a value), \
        localres.json (summary, histogram, tested resolutions) and localres_chimerax.cxc (a \
        ChimeraX script that colours the map by local resolution).
        """)

    @Argument(help: "Map, or half map 1 (unfiltered, unmasked).") var half1: String
    @Argument(help: "Half map 2: switches on half-map mode (noise from the half-map difference).") var half2: String?
    @Option(name: .long, help: "Mask of the molecule (soft masks are binarised at --mask-threshold). Default: made from the map.") var mask: String?
    @Option(name: .long, parsing: .unconditional, help: "Binarisation level of a soft mask.") var maskThreshold: Double = 0.5
    @Option(name: .long, parsing: .unconditional, help: "Low resolution limit where the sweep starts, Å (default: 12 Å or 5 voxels, whichever is coarser).") var low: Double?
    @Option(name: .long, parsing: .unconditional, help: "Step between trial resolutions, Å (at least \(MonoResParameters.minimumStep)).") var step: Double = 0.25
    @Option(name: .long, parsing: .unconditional, help: "Significance of the noise threshold.") var significance: Double = 0.95
    @Flag(name: .long, help: "Gaussian noise threshold (mean + z·sd) instead of the empirical quantile.") var gaussian = false
    @Flag(name: .long, help: "Half-map mode: also take noise from outside the mask.") var noiseOutsideMask = false
    @Option(name: .long, help: "monores (default) or local-fsc (windowed FSC, as RELION's LocRes / BlocRes; needs two half maps).") var method: String = "monores"
    @Option(name: .long, parsing: .unconditional, help: "local-fsc: window diameter, Å.") var window: Double = 24
    @Option(name: .long, parsing: .unconditional, help: "local-fsc: distance between window centres, voxels (default: a quarter of the window).") var windowStep: Int?
    @Option(name: .long, parsing: .unconditional, help: "local-fsc: FSC threshold read in each window.") var fscThreshold: Double = 0.143
    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String

    func validate() throws {
        guard ["monores", "local-fsc"].contains(method) else { throw ValidationError("--method must be monores or local-fsc, not '\(method)'") }
        if method == "local-fsc" && half2 == nil { throw ValidationError("--method local-fsc needs two half maps") }
        var p = MonoResParameters()
        p.step = step
        p.significance = significance
        if let problem = p.problem { throw ValidationError(problem) }
    }
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        let progress = compute.apply()
        defer { progress.finish() }
        let paths = [half1] + (half2.map { [$0] } ?? [])
        try MemoryCheck.require("local resolution", maps: paths + (mask.map { [$0] } ?? []),
                                copies: method == "local-fsc" ? LocalFSC.peakMapCopies : MonoRes.peakMapCopies, progress: progress)
        progress.step("Reading \(paths.joined(separator: " and "))")
        var maps = try MapLoader.loadAll(paths)
        if maps.count == 2 { (maps[0], maps[1]) = try HalfMapPair.checked(maps[0], maps[1], paths: (half1, half2!)) }
        var m: Volume? = nil
        if let mask {
            m = try MaskInput.checked(try MapLoader.load(mask), path: mask, on: maps[0].grid)
        }
        var p = MonoResParameters()
        p.lowResolution = low
        p.step = step
        p.significance = significance
        p.gaussianThreshold = gaussian
        p.noiseOnlyInHalves = !noiseOutsideMask
        p.maskThreshold = maskThreshold
        let bundle = try OutputBundle(directory: output, inputs: paths + (mask.map { [$0] } ?? []),
                                      outputs: ["localres.mrc", "localres_colouring.mrc", "localres_mask.mrc", "localres.json", "localres_chimerax.cxc"])
        do {
            let second = maps.count == 2 ? maps.removeLast() : nil
            let first = maps.removeLast()
            let result: MonoResResult
            if method == "local-fsc", let second {
                var lp = LocalFSCParameters()
                lp.windowDiameter = window
                lp.stepVoxels = windowStep
                lp.threshold = fscThreshold
                lp.maskThreshold = maskThreshold
                let maskVolume = try m ?? MonoRes.automaticMaskVolume(average: first, second)
                result = try LocalFSC.run(half1: first, half2: second, mask: maskVolume, parameters: lp,
                                          names: (paths[0], paths[paths.count - 1]), progress: progress)
            } else {
                result = try MonoRes.run(half1: consume first, half2: consume second, mask: m, parameters: p, progress: progress)
            }
            let inputs = paths
            try MapLoader.writeAll([
                { try bundle.add("localres.mrc") { try MRCFile.write(result.resolution, to: $0, labels: [MapLoader.label("MonoRes local resolution (A)")], inputs: inputs) } },
                { try bundle.add("localres_colouring.mrc") { try MRCFile.write(result.resolutionForColouring, to: $0, labels: [MapLoader.label("MonoRes local resolution, median outside")], inputs: inputs) } },
                { try bundle.add("localres_mask.mrc") { try MRCFile.write(result.assignedMask, to: $0, labels: [MapLoader.label("MonoRes assigned voxels")], inputs: inputs) } },
            ])
            try bundle.add("localres.json", data: try JSONOutput.encode(result.summary))
            try bundle.add("localres_chimerax.cxc", data: Data(ChimeraXScript.localResolution(map: URL(fileURLWithPath: half1).lastPathComponent, resolutionMap: "localres_colouring.mrc", summary: result.summary).utf8))
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
