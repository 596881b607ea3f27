import MapModel

/// LocalDeblur's space-variant blurring operator H: a voxel of local resolution ρ(x) takes the
/// band-passed copies of the map mixed with Gaussian weights centred on ρ(x); voxels outside
/// the mask get 0.
///
/// Two implementations share this interface: `FilterBankOperator`, the filter bank exactly as
/// specified (one inverse FFT per band), and `InterpolatedDeblurOperator`, which interpolates
/// the per-voxel filter between a few local resolutions (one inverse FFT per node) with a
/// documented, measured error.
public protocol DeblurOperator: AnyObject {
    /// The grid the operator works on.
    var grid: VoxelGrid { get }
    /// Writes H[`input`] into `output` (same grid; every voxel is written).
    func apply(_ input: Volume, into output: inout Volume)
    /// Transforms one application costs (forward plus inverse).
    var transformsPerApplication: Int { get }
    /// A short name for records.
    var formulationName: String { get }
}
