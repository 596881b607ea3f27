import Foundation

extension VoxelGrid {
    /// The voxel sizes, in Å, mapbook accepts from a map header (and from a voxel-size
    /// override): 0.01 Å to 1000 Å.
    ///
    /// Real maps lie far inside: cryo-EM and crystallographic maps use about 0.2–10 Å, binned
    /// tomograms and negative-stain volumes up to a few tens of Å. A size outside this range is
    /// a header written in another unit (metres, say) or plain corruption (1e-30 Å, 1e30 Å),
    /// and every resolution, B-factor and filter computed from it would be meaningless, so
    /// reading refuses it (`MRCGeometry`, the one place every map read passes through).
    public static let plausibleVoxelSizes: ClosedRange<Double> = 0.01...1000

    /// Why `size` (Å) is not a usable voxel size ("not a positive, finite length", "outside
    /// the 0.01–1000 Å range …"), or nil when it is.
    public static func voxelSizeProblem(_ size: Double) -> String? {
        guard size.isFinite, size > 0 else { return "not a positive, finite length" }
        // The bounds themselves pass even after float32 rounding (0.04 Å / 4 is 0.00999999977 Å).
        let slack = 1e-6
        guard size >= plausibleVoxelSizes.lowerBound * (1 - slack), size <= plausibleVoxelSizes.upperBound * (1 + slack) else {
            return "outside the \(String(format: "%g", plausibleVoxelSizes.lowerBound))–\(String(format: "%g", plausibleVoxelSizes.upperBound)) Å range mapbook accepts (a wrong unit or a corrupt header)"
        }
        return nil
    }
}
