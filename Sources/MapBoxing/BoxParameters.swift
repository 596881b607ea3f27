import MapbookCore
import MapModel

/// How `mapbook box` and the `box` cell choose, place and treat the box (phenix.map_box).
///
/// The region comes from the first of: `bounds`, the model's `selection`, `threshold`, a
/// mask, the whole model, the unique part (with `unique`), or else the whole map. `bounds`
/// and `threshold` exclude each other.
public struct BoxParameters: DeclaredParameters, Equatable {
    /// Å added on every side of the region.
    @Parameter("padding", .nonNegative, unit: "Å", "added on every side of the region (atoms, mask or density)",
               source: "phenix.map_box box_cushion")
    public var padding = 3.0
    /// Grow each edge to a length whose prime factors are 2, 3, 5 and 7.
    @Parameter("fft_friendly", "grow each edge to a length FFTW transforms fast (prime factors 2, 3, 5, 7), staying inside the map")
    public var fftFriendly = false
    /// "original" or "origin" (`BoxFrame`).
    @Parameter("frame", "original (keep NSTART and ORIGIN: the box overlays the input) or origin (move the box to (0,0,0) and shift the model with it)",
               source: "phenix.map_box keep_origin")
    public var frame = "original"
    /// Multiply the boxed maps by a soft mask of the region.
    @Parameter("soft_mask", "multiply the boxed maps by a soft mask: around the selected atoms (3 Å), the mask, the density above the threshold, or inside the box faces",
               source: "phenix.map_box soft_mask")
    public var softMask = false
    /// Width of the soft mask's raised-cosine edge.
    @Parameter("soft_mask_width", .positive, unit: "Å", "width of the soft mask's raised-cosine edge", source: "phenix.map_box soft_mask_radius")
    public var softMaskWidth = 3.0
    /// Chains and residues to box around (`AtomSelection`); needs a model.
    @Parameter("selection", "chains and residues to box around, such as A,B:10-50 (needs a model)",
               source: "phenix.map_box selection", defaultMeaning: "the whole model")
    public var selection: String? = nil
    /// Box the density above this value.
    @Parameter("threshold", "box the voxels above this density (map units)", source: "phenix.map_box density_select",
               defaultMeaning: "no threshold")
    public var threshold: Double? = nil
    /// Voxel bounds x0,y0,z0,x1,y1,z1, both ends included.
    @Parameter("bounds", .nonNegative, "voxel bounds x0,y0,z0,x1,y1,z1 of the box, both ends included",
               source: "phenix.map_box lower_bounds, upper_bounds", defaultMeaning: "from the model, mask or threshold")
    public var bounds: [Int]? = nil
    /// Keep only the asymmetric unit of this point group ("auto" to find it).
    @Parameter("unique", "keep only the asymmetric unit of this point group (D2, C7, I, …; auto to find it as mapbook symmetry does), everything else zero",
               source: "phenix.map_box extract_unique", defaultMeaning: "the whole map")
    public var unique: String? = nil

    /// The defaults.
    public init() {}

    /// The frame as a value.
    public var boxFrame: BoxFrame { BoxFrame(rawValue: frame) ?? .original }

    /// A known frame, six bounds, a readable selection, and one region source at most.
    public func validateTogether() throws {
        guard BoxFrame(rawValue: frame) != nil else {
            throw ParameterProblem(key: "frame", value: frame, "must be original or origin")
        }
        if let bounds, bounds.count != 6 {
            throw ParameterProblem(key: "bounds", value: bounds.parameterText, "must be six voxel indices x0,y0,z0,x1,y1,z1")
        }
        if let selection {
            do { _ = try AtomSelection(selection) } catch let e as MapbookError {
                throw ParameterProblem(key: "selection", value: selection, "is not a selection: \(e.problem)")
            }
        }
        if bounds != nil && threshold != nil {
            throw ParameterProblem(key: "threshold", value: threshold!.parameterText, "cannot be given with bounds: choose one way to pick the box")
        }
    }
}
