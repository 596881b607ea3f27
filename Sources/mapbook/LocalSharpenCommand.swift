import ArgumentParser
import Foundation
import FourierEngine
import HalfMapSharpening
import LocalResolution
import LocalSharpening
import MapbookCore
import MapModel
import Reports

/// `mapbook local-sharpen`: LocalDeblur sharpening guided by a local-resolution map, with the
/// Xmipp/Scipion protocol around it (K, λ, outer rounds with MonoRes, automatic stop).
struct LocalSharpenCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [LocalSharpeningParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "local-sharpen",
        abstract: "Local-resolution-guided sharpening (LocalDeblur), optionally iterated with MonoRes.",
        discussion: """
        Writes to OUTDIR: sharpenedMap_last.mrc (input grid, voxel size and origin), \
        sharpenedMap_<t>.mrc for every round when --iterations is not 1, round_<t>.json per round \
        (λ, cost and norm per inner iteration, bands, timings), local_sharpen.json (everything, \
        with warnings) and localres_<t>.mrc for every local-resolution map computed here. \
        RESMAP is a local-resolution map in Å (MonoRes, ResMap, BlocRes, RELION); without it \
        --half-maps computes one with MonoRes first. An imported map is used as given, with a warning.

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "Map to sharpen: unfiltered, unmasked, unsharpened (a full map or the average of the halves).") var map: String
    @Argument(help: "Local-resolution map in Å on the map's grid (0 or a constant background outside the molecule).") var resolutionMap: String?
    @Option(name: .long, help: "Mask of the molecule (binarised at 0.5): the resolution map is ignored outside it; MonoRes uses it with --half-maps.") var mask: String?
    @Option(name: .long, parsing: .upToNextOption, help: "Two half maps: compute the local resolution with MonoRes (when RESMAP is omitted) and the global FSC resolution.") var halfMaps: [String] = []
    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if !halfMaps.isEmpty && halfMaps.count != 2 { throw ValidationError("--half-maps takes exactly two files, got \(halfMaps.count)") }
        if resolutionMap == nil && halfMaps.isEmpty {
            throw ValidationError("give a local-resolution map (RESMAP), or --half-maps H1 H2 to compute one with MonoRes")
        }
    }

    func run() throws {
        let p = try CommandParameters.value(LocalSharpeningParameters.self)
        let progress = compute.apply()
        defer { progress.finish() }
        let inputs = [map] + (resolutionMap.map { [$0] } ?? []) + halfMaps + (mask.map { [$0] } ?? [])
        // The outputs are checked before the (long) work: a run never ends by refusing them.
        let bundle = try OutputBundle(directory: output, inputs: inputs,
                                      outputs: ["sharpenedMap_*.mrc", "localres_*.mrc", "round_*.json", "local_sharpen.json"])
        try MemoryCheck.require("local sharpening", maps: inputs, copies: LocalSharpening.peakMapCopies, progress: progress)
        progress.step("Reading \(inputs.joined(separator: ", "))")
        var loaded = try MapLoader.loadAll(inputs)
        let volume = loaded.removeFirst()
        var resolution = resolutionMap != nil ? loaded.removeFirst() : nil
        var halves = halfMaps.isEmpty ? nil : (loaded.removeFirst(), loaded.removeFirst())
        var maskVolume = mask != nil ? loaded.removeFirst() : nil
        // Every other input must lie on the map's grid; the file at fault is named.
        func onGrid(_ v: inout Volume, _ path: String) throws {
            if let why = volume.grid.mismatch(with: v.grid) {
                throw MapbookError("is not on the grid of \(map): \(why)", path: path)
            }
            v.grid = volume.grid
        }
        if var r = resolution { try onGrid(&r, resolutionMap!); resolution = r }
        if var h = halves {
            try onGrid(&h.0, halfMaps[0]); try onGrid(&h.1, halfMaps[1])
            halves = try HalfMapPair.checked(h.0, h.1, paths: (halfMaps[0], halfMaps[1]))
        }
        if let m = maskVolume { maskVolume = try MaskInput.checked(m, path: mask!, on: volume.grid) }

        var globalResolution: Double? = nil
        if let (h1, h2) = halves {
            progress.step("Half-map FSC")
            try FSCInput.requireVarying(h1, name: halfMaps[0])
            try FSCInput.requireVarying(h2, name: halfMaps[1])
            let shells = FourierShells(grid: h1.grid)
            let f1 = FFT.forward(h1), f2 = FFT.forward(h2)
            let curve = shells.fsc(f1, f2)
            try FSCInput.requireDefined(curve, f1, f2, names: (halfMaps[0], halfMaps[1]), shells: shells)
            let fsc = try curve.resolution(at: .goldStandard)
            if fsc.interpolatedResolution.isFinite { globalResolution = fsc.interpolatedResolution }
        }
        let origin: ResolutionMapOrigin = resolution == nil ? .computed : .imported
        var computedFirst: Volume? = nil
        if resolution == nil, let (h1, h2) = halves {
            progress.step("MonoRes local resolution from the half maps")
            let estimate = try MonoRes.run(half1: h1, half2: h2, mask: maskVolume, progress: progress)
            resolution = estimate.resolution
            computedFirst = estimate.resolution
        }
        // The half maps judge LocalDeblur's iterates only when the map is their average.
        let judges = halves.flatMap { HalfMapJudge.isAverage(volume, of: $0) ? $0 : nil }
        if halves != nil && judges == nil {
            progress.note("the map is not the average of the half maps, so they cannot judge LocalDeblur's iterates: every round runs all its iterations")
        }
        halves = nil

        do {
            let labelInputs = inputs
            let keepRounds = p.rounds != 1
            let result = try LocalSharpening.run(
                map: volume, resolution: resolution!, origin: origin, mask: maskVolume, globalResolution: globalResolution,
                halves: judges, parameters: p, progress: progress) { round, sharpened, used in
                    let t = round.round
                    if keepRounds {
                        try bundle.add("sharpenedMap_\(t).mrc") { try MRCFile.write(sharpened, to: $0, labels: [MapLoader.label("LocalDeblur round \(t)")], inputs: labelInputs) }
                    }
                    if t > 1 || computedFirst != nil {
                        try bundle.add("localres_\(t).mrc") { try MRCFile.write(used, to: $0, labels: [MapLoader.label("local resolution used in round \(t) (A)")], inputs: labelInputs) }
                    }
                    try bundle.add("round_\(t).json", data: try JSONOutput.encode(round))
                    let d = round.deblur
                    let kept = d.keptIterate.map { "; kept iterate \($0)" } ?? ""
                    print(String(format: "Round %d: λ = %.3f%@, %d inner iterations (%@), cost %.4f, %d bands, %@, %.1f s%@",
                                 t, d.lambda, d.lambdaAutomatic ? " (automatic)" : "", d.innerIterations,
                                 d.stoppedByRule ? "stop rule" : "cap", d.costs.last ?? 0, d.bandResolutions.count,
                                 d.formulation, d.setupSeconds + d.iterationSeconds, kept))
                }
            if result.resolutionMaps.count > result.summary.rounds.count, let final = result.resolutionMaps.last {
                let t = result.resolutionMaps.count
                try bundle.add("localres_\(t).mrc") { try MRCFile.write(final, to: $0, labels: [MapLoader.label("local resolution after the last round (A)")], inputs: labelInputs) }
            }
            try bundle.add("sharpenedMap_last.mrc") { try MRCFile.write(result.sharpened, to: $0, labels: [MapLoader.label("LocalDeblur sharpened map")], inputs: labelInputs) }
            try bundle.add("local_sharpen.json", data: try JSONOutput.encode(result.summary))
            try bundle.commit()
            let s = result.summary
            print("Local sharpening: \(s.rounds.count) round\(s.rounds.count == 1 ? "" : "s") (\(s.stopReason.rawValue)); wrote \(output)/sharpenedMap_last.mrc")
            if s.resolutionMapOrigin == .imported { print("Note: the local-resolution map was imported (see the warnings in local_sharpen.json).") }
        } catch {
            bundle.discard()
            throw error
        }
    }
}
