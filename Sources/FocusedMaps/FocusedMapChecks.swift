import Foundation
import MapbookCore
import MapModel
import ModelMaps
import ModelValidation

/// The checks `combine-focused` makes before any work, each failing in one line: every map
/// overlaps its model, every map's voxel size agrees with its model's scale, and every chain
/// of the models lies (mostly) in some map's box.
public enum FocusedMapChecks {
    /// The share of a chain's atoms a map's box must hold for the chain to count as covered.
    public static let chainCoverage = 0.5

    /// Runs the checks on `inputs`.
    public static func check(_ inputs: [FocusedMapInput]) throws {
        guard inputs.count >= 2 else { throw MapbookError("combining focused maps needs at least two maps, got \(inputs.count)") }
        for input in inputs {
            let atoms = AtomicModel(atoms: ModelValidation.scoredAtoms(input.model))
            guard !atoms.atoms.isEmpty else { throw MapbookError("the model has no atoms other than hydrogens", path: input.modelName) }
            do { try ModelPlacement.requireOverlap(atoms, grid: input.map.grid) } catch let e as MapbookError {
                throw MapbookError("does not overlap its model \(input.modelName): \(e.problem)", path: input.name)
            }
            let inside = AtomicModel(atoms: atoms.atoms.filter { inBox($0.position, input.map.grid) })
            try ModelScaleCheck.require(map: input.map, model: inside, mapPath: input.name)
        }
        var chains: [String: (model: String, best: Double, map: String)] = [:]
        for input in inputs {
            let atoms = ModelValidation.scoredAtoms(input.model)
            var total: [String: Int] = [:], inside: [String: Int] = [:]
            for a in atoms {
                total[a.chainID, default: 0] += 1
                if inBox(a.position, input.map.grid) { inside[a.chainID, default: 0] += 1 }
            }
            for (chain, count) in total {
                let share = Double(inside[chain] ?? 0) / Double(count)
                if chains[chain] == nil || share > chains[chain]!.best { chains[chain] = (input.modelName, share, input.name) }
            }
        }
        for chain in chains.keys.sorted() where chains[chain]!.best < chainCoverage {
            let c = chains[chain]!
            throw MapbookError(String(format: "chain %@ of %@ lies in no map's box: the best, %@, holds %.0f %% of its atoms; add a map that covers it or leave the chain out of the model",
                                      chain, c.model, c.map, 100 * c.best))
        }
    }

    /// Whether `p` lies within the voxel centres of `grid` (± half a voxel).
    static func inBox(_ p: SIMD3<Double>, _ grid: VoxelGrid) -> Bool {
        let low = grid.firstVoxelPosition - grid.voxelSize / 2
        return all(p .>= low) && all(p .< low + grid.boxLength)
    }
}
