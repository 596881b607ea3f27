import Foundation
import MapbookCore
import MapModel
import Notebook
import NotebookCells
import Simulation
import TestSupport

/// Small datasets and plans for the notebook tests: a 32³ synthetic half-map pair (fast even
/// in debug builds) written into a temporary folder, with plans beside it.
public struct NotebookTestData {
    /// The temporary folder (remove with `cleanup()`).
    public let folder: TemporaryDirectory
    /// The box edge, voxels (2 Å each).
    public let size: Int

    /// Writes the pair (and, with `mismatchedMask`, a mask on a different grid) into a new folder.
    public init(size: Int = 32, mismatchedMask: Bool = false) throws {
        folder = TemporaryDirectory()
        self.size = size
        var p = SyntheticPairParameters()
        p.size = size; p.voxelSize = 2; p.resolution = 7; p.seed = 3; p.atoms = 600
        let pair = try SyntheticPairGenerator.make(p)
        try MRCFile.write(pair.half1, to: folder.file("half1.mrc"))
        try MRCFile.write(pair.half2, to: folder.file("half2.mrc"))
        if mismatchedMask {
            try MRCFile.write(Volume(grid: VoxelGrid(cube: size + 2, voxel: 2)) { _, _, _ in 1 }, to: folder.file("mask.mrc"))
        }
    }

    /// `folder/name`.
    public func file(_ name: String) -> String { folder.file(name) }

    /// Writes `text` as `name` in the folder and returns its path.
    @discardableResult
    public func writePlan(_ text: String, name: String = "plan.yaml") throws -> String {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

    /// Writes a small model as `name` (PDB): 200 carbon atoms in a ball around the box centre,
    /// five to a residue, where the pair's density is. Not the pair's own atoms: a cell that
    /// fits it runs, with a poor fit.
    public func writeModel(_ name: String) throws {
        var rng = SeededGenerator(seed: 17)
        var atoms: [Atom] = []
        let centre = SIMD3(repeating: Double(size - 1))   // the box centre in Å at 2 Å voxels
        while atoms.count < 200 {
            let p = SIMD3(Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng))
            guard (p * p).sum() <= 1 else { continue }
            atoms.append(Atom(name: "CA", element: .carbon, position: centre + 12 * p, bFactor: 40, residueName: "ALA",
                              residueNumber: 1 + atoms.count / 5, chainID: "A"))
        }
        try AtomicModelFile.writePDB(AtomicModel(atoms: atoms), to: file(name))
    }

    /// Removes the folder.
    public func cleanup() { folder.cleanup() }

    /// A plan using every cell kind, with `extra` lines appended to the postprocess cell.
    public static func fullPlan(title: String = "test plan", montagePercentiles: String = "[1, 99]", postprocessExtra: String = "") -> String {
        """
        title: "\(title)"
        dataset:
          name: testset
          half_maps: [half1.mrc, half2.mrc]
        cells:
          - markdown: |
              # Test
              The corrected FSC reaches {{ postprocess.resolution }}; unmasked {{ fsc.resolution }}.
          - kind: fsc
            id: fsc
          - kind: postprocess
            id: postprocess
            mask: auto
            mask_lowpass: 12
        \(postprocessExtra.isEmpty ? "" : "    " + postprocessExtra)
          - kind: montage
            id: slices
            maps: [dataset.half_map_1, postprocess.sharpened]
            percentiles: \(montagePercentiles)
          - kind: compare
            id: summary
            numbers: [fsc.resolution, postprocess.resolution]
            maps: [dataset.half_map_1, dataset.half_map_2]
        """
    }

    /// Runs `plan` with its cache in `cache` and returns the run.
    public func run(_ planPath: String, cache: String? = nil, force: Bool = false) throws -> NotebookRun {
        let plan = try PlanParser.load(path: planPath)
        var options = RunOptions(cacheDirectory: cache ?? file("out/cache"), mapbookVersion: "test")
        options.force = force
        return try NotebookRunner(plan: plan, options: options).run()
    }
}
