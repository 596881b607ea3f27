import Foundation
import MapbookCore
import MapModel
import Simulation

/// The bundled example: a simulated dataset with a known truth, made deterministically in
/// `fixtures/example/` when missing. A bundle of four ideal α-helices (the simulator's built-in
/// model) in a 64³ box of 1 Å voxels, with half maps whose FSC crosses 0.143 at 4 Å, local
/// resolution falling from 3.6 Å at the centre to 6 Å at the edge, a soft mask, the model and
/// its sequence: everything a report's cells can use, and the truth to judge them by.
enum ExampleDataset {
    /// The simulation's parameters, as `mapbook simulate` would take them.
    static let parameterTexts = ["local_pattern": "radial", "seed": "1"]

    /// The command that makes the same files (the README and `demo --help` quote it).
    static let command = "mapbook simulate --local-pattern radial --seed 1 -o fixtures/example"

    /// The files a plan reads.
    static let planFiles = ["half1.mrc", "half2.mrc", "mask.mrc", "model.pdb", "sequence.fasta", "truth.mrc", "localres.mrc"]

    /// Makes the example in `folder` unless every file a plan reads is there.
    static func makeIfMissing(in folder: String, progress: ProgressReporter) throws {
        guard planFiles.contains(where: { !FileManager.default.fileExists(atPath: folder + "/" + $0) }) else { return }
        progress.step("Making the example dataset in \(folder) (\(command))")
        let p = try SimulationParameters(parameterTexts: parameterTexts)
        let data = try DatasetSimulator.make(p, model: nil, modelSource: nil, grid: nil, progress: progress)
        let bundle = try OutputBundle(directory: folder, outputs: SimulateCommand.outputNames)
        do {
            _ = try SimulateCommand.write(data, seed: p.seed, inputs: [], into: bundle)
            try bundle.commit()
        } catch {
            bundle.discard()
            throw error
        }
    }
}
