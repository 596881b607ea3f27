import ArgumentParser
import DensityModification
import Foundation
import MapbookCore
import MapModel
import Reports

/// `mapbook density-modify`: density modification of two unmasked half maps.
struct DensityModifyCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [DensityModificationParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "density-modify",
        abstract: "Density modification of two unmasked half maps (phenix.resolve_cryo_em style).",
        discussion: """
        Each half map is modified on its own (solvent flattened under a mask made from that half; \
        optionally the molecule moved to its local expectation), and the modified and original \
        Fourier coefficients are combined shell by shell with weights from the cross-half FSCs. \
        Writes to OUTDIR: densmod_map.mrc (the final map: average of the modified halves, weighted \
        by its estimated correlation with the truth and sharpened), densmod_half1.mrc and \
        densmod_half2.mrc (the modified halves), densmod_fsc.tsv (FSC and FSC_ref before and after, \
        per shell) and densmod.json (every number). With --model, an ensemble of the model is \
        refined against each half map on its own (each member randomised, then refined: rigid \
        body per chain and restrained coordinates), and each half's ensemble map joins that \
        half's combination, weighted by its correlation with the truth as the other half \
        measures it; densmod.json records every member. With --symmetry (RELION's point groups,
        about the box centre, or auto), each half is averaged over its symmetry copies before
        it is modified.

        """ + CommandParameters.helpSection(parameterSets))

    @Argument(help: "Half map 1 (unfiltered, unmasked).") var half1: String
    @Argument(help: "Half map 2 (unfiltered, unmasked).") var half2: String
    @Option(name: .long, help: "Sequence file (FASTA) of the molecule's contents, for the solvent fraction.") var sequence: String?
    @Option(name: .long, help: "Mask: the molecule may lie only where it is ≥ 0.5.") var mask: String?
    @Option(name: .long, help: "Atomic model (PDB/mmCIF) in the map's frame: an ensemble refined against each half joins that half's combination.") var model: String?
    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        let p = try CommandParameters.value(DensityModificationParameters.self)
        try p.solvent.requireOneSource(sequenceGiven: sequence != nil)
        let progress = compute.apply()
        defer { progress.finish() }
        // Memory first, from the headers alone: a box that cannot fit stops before it is read.
        try MemoryCheck.require("density modification", maps: [half1, half2] + (mask.map { [$0] } ?? []),
                                copies: DensityModification.peakMapCopies(withModel: model != nil),
                                advice: DensityModification.memoryAdvice, progress: progress)
        progress.step("Reading \(half1) and \(half2)")
        var maps = try MapLoader.loadAll([half1, half2])
        (maps[0], maps[1]) = try HalfMapPair.checked(maps[0], maps[1], paths: (half1, half2))
        let grid = maps[0].grid
        let box = DensityModification.boxVolume(grid)
        let solvent = try p.solvent.fraction(sequence: try sequence.map { try SequenceComposition.read(path: $0) },
                                             sequencePath: sequence, boxVolume: box)
        progress.step(String(format: "Solvent fraction %.3f (%@)", solvent.value, solvent.source))
        var maskVolume: Volume? = nil
        if let mask {
            maskVolume = try MaskInput.checked(try MapLoader.load(mask), path: mask, on: grid)
        }
        var modelInput: DensityModification.ModelInput? = nil
        if let model {
            progress.step("Reading the model \(model)")
            modelInput = .atomic(try DensityModification.model(path: model))
        }
        let inputs = [half1, half2] + [sequence, mask, model].compactMap { $0 }
        let bundle = try OutputBundle(directory: output, inputs: inputs)
        do {
            let second = maps.removeLast(), first = maps.removeLast()
            let result = try DensityModification.run(half1: first, half2: second, solvent: solvent, mask: maskVolume,
                                                     model: modelInput, names: (half1, half2), parameters: p, progress: progress)
            try MapLoader.writeAll([
                { try bundle.add("densmod_map.mrc") { try MRCFile.write(result.map, to: $0, labels: [MapLoader.label("density-modified map")], inputs: inputs) } },
                { try bundle.add("densmod_half1.mrc") { try MRCFile.write(result.half1, to: $0, labels: [MapLoader.label("density-modified half map 1")], inputs: inputs) } },
                { try bundle.add("densmod_half2.mrc") { try MRCFile.write(result.half2, to: $0, labels: [MapLoader.label("density-modified half map 2")], inputs: inputs) } },
            ])
            try bundle.add("densmod.json", data: try JSONOutput.encode(result.report))
            try bundle.add("densmod_fsc.tsv", data: Data(Self.table(result.report).utf8))
            try bundle.commit()
            let r = result.report
            print(String(format: "Solvent fraction %.3f (%@); resolution used %.2f Å; %d cycle%@", solvent.value, solvent.source, r.resolution, r.cycles.count, r.cycles.count == 1 ? "" : "s"))
            if let sym = r.symmetry {
                print(String(format: "Averaged over %@ (%d copies%@; symmetry-related density correlates %.2f)", sym.group, sym.order, sym.detected ? ", found in the map" : "", sym.meanCorrelation))
            }
            print("Half-map FSC 0.143:      \(r.resolutionBefore.summary)  →  \(r.resolutionAfter.summary)")
            print("Map-to-truth FSC_ref 0.5: \(r.fscRefHalfBefore.summary)  →  \(r.fscRefHalfAfter.summary)")
            for e in r.modelEnsembles {
                print(String(format: "Model ensemble, half map %d: %d members, CC with the half %.3f (supplied model %.3f), spread %.2f Å",
                             e.halfMap, e.members.count, e.ensembleCorrelation, e.suppliedCorrelation, e.spread))
            }
            print(String(format: "Estimated gain: %.2f Å at FSC_ref 0.5, %.2f Å at FSC 0.143; final map %@ with B = %.1f Å²", r.fscRefHalfGain, r.resolutionGain, r.appliedBFactor > 0 ? "blurred" : "sharpened", r.appliedBFactor))
            for w in r.warnings { progress.warn(w) }
        } catch {
            bundle.discard()
            throw error
        }
    }

    /// FSC and FSC_ref before and after, one line per shell.
    static func table(_ r: DensityModificationReport) -> String {
        var lines = ["# mapbook density-modify: FSC of the half maps and estimated map-to-truth correlation (FSC_ref), before and after",
                     "shell\tfrequency_per_A\tresolution_A\tfsc_before\tfsc_after\tfsc_ref_before\tfsc_ref_after"]
        for s in 0..<r.fscBefore.shellCount {
            lines.append([String(s), fmt(r.fscBefore.frequency[s], 5), fmt(r.fscBefore.resolution(s), 3), fmt(r.fscBefore.fsc[s], 4),
                          fmt(r.fscAfter.fsc[s], 4), fmt(r.fscRefBefore[s], 4), fmt(r.fscRefAfter[s], 4)].joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
