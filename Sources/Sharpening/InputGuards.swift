import Foundation
import MapbookCore
import MapModel

/// Checks on the input map before sharpening: what would make the score meaningless is refused
/// (unless forced), what makes it weak is warned about.
public enum SharpeningGuards {
    /// Share of voxels that are exactly 0, or exactly equal to the first voxel (a flattened
    /// solvent that is not zero), whichever is larger.
    public static func constantFraction(_ map: Volume) -> Double {
        map.voxels.withUnsafeBufferPointer { v in
            guard let first = v.first else { return 0 }
            var zeros = 0, same = 0
            for x in v {
                if x == 0 { zeros += 1 }
                if x == first { same += 1 }
            }
            return Double(max(zeros, same)) / Double(v.count)
        }
    }

    /// Labels that mark a map as already processed: cctbx's "extract_unique" box and
    /// "map_is_sharpened", and mapbook's own sharpened maps.
    public static let processedLabelMarks = ["extract_unique", "map_is_sharpened", "mapbook-sharpened"]

    /// The label mark of a map reduced to one asymmetric unit (cctbx's and `mapbook box --unique`'s).
    public static let uniqueLabelMark = "extract_unique"

    /// How a refusal names the way past it, in the library's words (the `force` key); front
    /// ends may name their own switch instead (the command line's `--force`).
    public static let forceAdvice = "force the sharpening (force)"

    /// The label mapbook writes into every map it sharpens.
    public static let sharpenedLabel = "mapbook-sharpened"

    /// Refuses a map the score cannot judge (mostly exact zeros, already sharpened or boxed
    /// "extract unique") unless `force`, and a resolution that is not usable; returns
    /// warnings for the rest. Errors name `path`.
    public static func check(_ map: Volume, labels: [String], resolution: Double, force: Bool, path: String?) throws -> [String] {
        var warnings: [String] = []
        guard resolution > 0, resolution.isFinite else {
            throw ParameterProblem(key: "resolution", value: resolution.parameterText, "must be a positive resolution in Å")
        }
        let nyquist = 2 * map.grid.voxelSize.max()
        guard resolution >= nyquist - 1e-9 else {
            throw ParameterProblem(key: "resolution", value: resolution.parameterText,
                                   String(format: "Å is finer than the map's Nyquist limit (%.2f Å)", nyquist))
        }
        if resolution > SharpeningDefaults.worstDiscriminatingResolution {
            warnings.append(String(format: "at %.1f Å (worse than 4.5 Å) the clarity score may not discriminate between sharpenings: connectivity and surface area change little once side chains and strands are gone", resolution))
        }
        if map.grid.size.x < 16 || map.grid.size.y < 16 || map.grid.size.z < 16 {
            throw MapbookError("the map is smaller than 16 voxels along an axis; too small to score", path: path)
        }
        // A unique part first: its zeros are not masking, and the reason to give is the box.
        if labels.contains(where: { $0.lowercased().contains(uniqueLabelMark) }) {
            let why = "the map holds only the unique part of a symmetric map (boxed with mapbook box --unique or phenix.map_box extract_unique: one asymmetric unit, everything else zero): the clarity score needs the whole molecule and its solvent noise, and the cut faces of the unique region are edges that sharpening amplifies"
            if !force { throw MapbookError(why + "; give the full map, or " + forceAdvice, path: path) }
            warnings.append(why + " (sharpened anyway: forced)")
            return warnings
        }
        let flat = constantFraction(map)
        if flat > SharpeningDefaults.maxConstantFraction {
            let why = String(format: "%.0f %% of the voxels hold one exact value, so the map looks masked, zoned or boxed (\"extract unique\"): the score needs noise outside the molecule — with a flat solvent, over-sharpening creates no noise islands, the region penalty that stops it is lost, and the mask edge is a step that sharpening amplifies", 100 * flat)
            if !force { throw MapbookError(why + "; give the unmasked map, or " + forceAdvice, path: path) }
            warnings.append(why + " (sharpened anyway: forced)")
        }
        if let mark = processedLabelMarks.first(where: { m in labels.contains { $0.lowercased().contains(m) } }) {
            let why = "the map's labels say it was already processed (\(mark)); sharpening it again compounds the first sharpening"
            if !force { throw MapbookError(why + "; give the unsharpened map, or " + forceAdvice, path: path) }
            warnings.append(why + " (sharpened anyway: forced)")
        }
        return warnings
    }
}
