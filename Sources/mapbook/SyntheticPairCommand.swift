import ArgumentParser
import Foundation
import MapbookCore
import MapModel
import Reports
import Simulation

/// `mapbook synthetic-pair`: a half-map pair with a known FSC, for demos and benchmarks.
struct SyntheticPairCommand: ParameterCommand {
    static let parameterSets: [any DeclaredParameters.Type] = [SyntheticPairParameters.self]
    static let configuration = CommandConfiguration(
        commandName: "synthetic-pair",
        abstract: "Write a synthetic half-map pair (protein-like blob plus white noise) with a known FSC.",
        discussion: """
        Writes DIR/half1.mrc, DIR/half2.mrc, DIR/truth.mrc and DIR/synthetic.json (parameters and \
        expected FSC). Deterministic for a seed.

        """ + CommandParameters.helpSection(parameterSets))

    @Option(name: [.short, .customLong("output")], help: "Output folder.") var output: String
    @Flag(name: .long, help: "Replace the files of an earlier pair in the output folder.") var force = false
    @OptionGroup var compute: ComputeOptions

    /// The files written.
    static let outputNames = ["half1.mrc", "half2.mrc", "truth.mrc", "synthetic.json"]

    func run() throws {
        let progress = compute.apply()
        defer { progress.finish() }
        // An earlier pair in the folder is replaced only with --force (a new folder is made later).
        if FileManager.default.fileExists(atPath: output) {
            try checkSingleFileOutputs(Self.outputNames.map { output + "/" + $0 }, inputs: [], force: force)
        }
        var p = try CommandParameters.value(SyntheticPairParameters.self)
        p.atoms = p.atomCount   // recorded as used
        progress.step("Simulating a \(p.size)³ pair at \(p.voxelSize) Å/voxel")
        let pair = try SyntheticPairGenerator.make(p)
        let bundle = try OutputBundle(directory: output, outputs: Self.outputNames)
        do {
            let label = MapLoader.label("synthetic pair seed \(p.seed)")
            try bundle.add("half1.mrc") { try MRCFile.write(pair.half1, to: $0, labels: [label, "half map 1"]) }
            try bundle.add("half2.mrc") { try MRCFile.write(pair.half2, to: $0, labels: [label, "half map 2"]) }
            try bundle.add("truth.mrc") { try MRCFile.write(pair.truth, to: $0, labels: [label, "noise-free truth"]) }
            struct Record: Encodable { var parameters: SyntheticPairParameters; var expectedFSC: [Double] }
            try bundle.add("synthetic.json", data: try JSONOutput.encode(Record(parameters: p, expectedFSC: pair.expectedFSC)))
            try bundle.commit()
        } catch {
            bundle.discard()
            throw error
        }
        progress.step("Wrote \(output)/half1.mrc, half2.mrc, truth.mrc")
    }
}
