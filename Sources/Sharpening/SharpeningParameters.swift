import Foundation
import MapbookCore
import MapModel

/// Which region the search scores: `auto`, `whole`, or a box `x0,y0,z0,x1,y1,z1` in voxels
/// (first voxel included, end excluded), written the same on the command line and in plans.
public enum BoxChoice: ParameterValue, Equatable {
    /// The box of density (`SubBox.aroundDensity`), or the whole map when that box would hold
    /// more than half of it.
    case automatic
    /// The whole map.
    case wholeMap
    /// This box.
    case given(SubBox)

    /// Reads `auto`, `whole` or six whole numbers, each end past its start.
    public init(parameterText text: String) throws {
        switch text.trimmingCharacters(in: .whitespaces) {
        case "auto": self = .automatic
        case "whole": self = .wholeMap
        default:
            let v = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard v.count == 6, v.allSatisfy({ $0 != nil }) else { throw ParameterTextError(expected: Self.valueDescription) }
            let n = v.map { $0! }
            guard n[3] > n[0], n[4] > n[1], n[5] > n[2] else { throw ParameterTextError(expected: Self.valueDescription) }
            self = .given(SubBox(start: SIMD3(n[0], n[1], n[2]), size: SIMD3(n[3] - n[0], n[4] - n[1], n[5] - n[2])))
        }
    }
    /// `auto`, `whole` or `x0, y0, z0, x1, y1, z1`.
    public var parameterText: String {
        switch self {
        case .automatic: return "auto"
        case .wholeMap: return "whole"
        case .given(let b): return corners(b).map(String.init).joined(separator: ", ")
        }
    }
    /// What a box looks like.
    public static var valueDescription: String { "auto, whole or six whole numbers x0,y0,z0,x1,y1,z1 (voxels, end excluded, each end past its start)" }

    private func corners(_ b: SubBox) -> [Int] {
        [b.start.x, b.start.y, b.start.z, b.start.x + b.size.x, b.start.y + b.size.y, b.start.z + b.size.z]
    }

    /// Reads the plan form from JSON: `"auto"`, `"whole"` or a list of six whole numbers.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode([Int].self) {
            self = try Self(parameterText: v.map(String.init).joined(separator: ","))
        } else {
            self = try Self(parameterText: c.decode(String.self))
        }
    }
    /// Writes the plan form.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .given(let b): try c.encode(corners(b))
        default: try c.encode(parameterText)
        }
    }
}

extension SharpeningMethod: ParameterChoice {
    /// A method name, `b_iso_to_d_cut` or `b-iso-to-d-cut`.
    public init(parameterText text: String) throws {
        guard let m = SharpeningMethod(name: text.trimmingCharacters(in: .whitespaces)) else { throw ParameterTextError(expected: Self.valueDescription) }
        self = m
    }
}

extension SharpeningScoreTarget: ParameterChoice {}

/// Every choice of an automatic sharpening run, with phenix.map_sharpening's defaults. The
/// nominal resolution and `force` are inputs (a plan may take the resolution from another
/// cell), set by the caller; every other field is a declared parameter.
public struct SharpeningParameters: DeclaredParameters, Equatable {
    /// Nominal resolution of the map (Å). Required: set by the caller (NaN until then).
    public var resolution: Double = .nan
    /// Methods to try; the best score over all of them wins. Empty: `impliedMethods`, chosen
    /// from the inputs when the run starts.
    @Parameter("method", "sharpening methods to try; the best score over all of them wins",
               source: "Terwilliger et al. 2018; phenix.map_sharpening sharpening_method",
               defaultMeaning: "implied by the inputs: half_map with half maps, model with a model, else b_iso_to_d_cut", inStarterPlan: false)
    public var methods: [SharpeningMethod] = []
    /// What the trials are ranked by.
    @Parameter("score", "what ranks the trials: adjusted-sa (surface area minus a region penalty) or kurtosis",
               source: "Terwilliger et al. 2018; phenix.map_sharpening adjusted_sa / kurtosis")
    public var scoreTarget = SharpeningScoreTarget.adjustedSurfaceArea
    /// The scored region.
    @Parameter("box", "where the score is measured: auto (a box of density), whole, or x0,y0,z0,x1,y1,z1 in voxels (end excluded)",
               source: "phenix.map_sharpening box_in_auto_sharpen")
    public var box = BoxChoice.automatic
    /// A given B (Å², applied, negative sharpens) for `b_iso` and `b_iso_to_d_cut`: applied
    /// without a search.
    @Parameter("bfactor", .closed(-5000, 5000), unit: "Å²", "apply this B with b_iso or b_iso_to_d_cut, without a search (negative sharpens)",
               source: "phenix.map_sharpening b_sharpen (opposite sign)", defaultMeaning: "searched", inStarterPlan: false)
    public var bFactor: Double? = nil
    /// Given (b0, b1, b2) for `resolution_dependent`: applied without a search.
    @Parameter("resolution_dependent", "resolution_dependent parameters b0,b1,b2 (ln scale), applied without a search",
               source: "phenix.map_sharpening resolution_dependent_b", defaultMeaning: "searched", inStarterPlan: false)
    public var resolutionDependent: [Double]? = nil
    /// `b_iso_to_d_cut` switch resolution (Å); nil: the nominal resolution.
    @Parameter("d_cut", .positive, unit: "Å", "b_iso_to_d_cut: resolution where the extra blur starts",
               source: "phenix.map_sharpening d_cut", defaultMeaning: "the resolution", inStarterPlan: false)
    public var dCut: Double? = nil
    /// `b_iso_to_d_cut` switch steepness (Å⁻¹).
    @Parameter("k_sharpen", .positive, unit: "Å⁻¹", "b_iso_to_d_cut: steepness of the switch at d_cut",
               source: "phenix.map_sharpening k_sharpen")
    public var kSharpen = SharpeningDefaults.kSharpen
    /// `b_iso_to_d_cut` extra B beyond d_cut (Å²).
    @Parameter("b_blur", .nonNegative, unit: "Å²", "b_iso_to_d_cut: extra B beyond d_cut",
               source: "phenix.map_sharpening b_blur_hires")
    public var blurBeyondCut = SharpeningDefaults.blurBeyondCut
    /// `target_b_iso`: map B after sharpening = ratio × resolution² (Å²).
    @Parameter("target_b_iso_ratio", .nonNegative, "target_b_iso: the map's B after sharpening, as a multiple of resolution² (Å²/Å²)",
               source: "phenix.map_sharpening target_b_iso_ratio")
    public var targetBIsoRatio = SharpeningDefaults.targetBIsoRatio
    /// The grid and refinement.
    public var search = SearchPlan()
    /// Region weight of the adjusted surface area; nil calibrates it on the map.
    @Parameter("region_weight", .nonNegative, "region weight of the adjusted surface area",
               source: "Terwilliger et al. 2018; phenix.map_sharpening region_weight", defaultMeaning: "calibrated on the map", inStarterPlan: false)
    public var regionWeight: Double? = nil
    /// The contour encloses this fraction of the expected molecular volume.
    @Parameter("enclosed_fraction", .closed(0, 1), "fraction of the molecular volume the score's contour encloses (above 0, at most 1)",
               source: "phenix.map_sharpening fraction_occupied")
    public var enclosedFraction = SharpeningDefaults.enclosedFraction
    /// Local sharpening by cubes (off by default).
    public var cubes = CubeSharpeningParameters()
    /// Sharpen maps the guards refuse (mostly constant, already processed).
    public var force = false

    /// phenix's defaults, without a resolution.
    public init() {}
    /// Defaults for a map of `resolution` Å.
    public init(resolution: Double) { self.resolution = resolution }

    /// Local sharpening: the cubes' parameters when on, nil when off.
    public var local: CubeSharpeningParameters? {
        get { cubes.enabled ? cubes : nil }
        set {
            cubes = newValue ?? CubeSharpeningParameters()
            cubes.enabled = newValue != nil
        }
    }

    /// The methods when none is named, chosen from the inputs as phenix.map_sharpening does
    /// (its current default is half-map sharpening when half maps are given): a given B →
    /// `b_iso_to_d_cut`; given (b0, b1, b2) → `resolution_dependent`; half maps → `half_map`;
    /// a model → `model`; otherwise `b_iso_to_d_cut`. One rule for the command line and plans,
    /// so the same inputs sharpen the same way from both.
    public func impliedMethods(halfMaps: Bool, model: Bool) -> [SharpeningMethod] {
        if bFactor != nil { return [.bIsoToDCut] }
        if resolutionDependent != nil { return [.resolutionDependent] }
        if halfMaps { return [.halfMap] }
        if model { return [.model] }
        return [.bIsoToDCut]
    }

    /// The methods a run with these inputs tries: those named, else the implied ones.
    public func methods(halfMaps: Bool, model: Bool) -> [SharpeningMethod] {
        methods.isEmpty ? impliedMethods(halfMaps: halfMaps, model: model) : methods
    }

    /// These parameters with the methods settled for these inputs (`methods(halfMaps:model:)`).
    public func resolved(halfMaps: Bool, model: Bool) -> SharpeningParameters {
        var p = self
        p.methods = methods(halfMaps: halfMaps, model: model)
        return p
    }

    /// Checks between parameters: each given value applies to a method that is tried.
    public func validateTogether() throws {
        let methodText = _methods.wrappedValue.parameterText
        guard Set(methods).count == methods.count else { throw ParameterProblem(key: "method", value: methodText, "lists a method twice") }
        if let b = bFactor, !methods.isEmpty, !methods.contains(where: { $0 == .bIso || $0 == .bIsoToDCut }) {
            throw ParameterProblem(key: "bfactor", value: b.parameterText, "applies to the b_iso and b_iso_to_d_cut methods only")
        }
        if let r = resolutionDependent {
            guard r.count == 3 else { throw ParameterProblem(key: "resolution_dependent", value: r.parameterText, "needs three numbers b0,b1,b2") }
            if !methods.isEmpty, !methods.contains(.resolutionDependent) {
                throw ParameterProblem(key: "resolution_dependent", value: r.parameterText, "applies to the resolution_dependent method only")
            }
        }
        guard enclosedFraction > 0 else { throw ParameterProblem(key: "enclosed_fraction", value: enclosedFraction.parameterText, "must be positive") }
    }

    /// Checks the resolution (an input, so not among the declared ranges).
    public func validateResolution() throws {
        guard resolution > 0, resolution.isFinite else {
            throw ParameterProblem(key: "resolution", value: resolution.isNaN ? nil : resolution.parameterText, resolution.isNaN ? "is needed (a resolution in Å)" : "must be a positive resolution in Å")
        }
    }
}

/// Local sharpening: the map is cut into overlapping cubes, each sharpened by its own search
/// (the global method and region weight), and the cubes are blended with weights that add up to
/// one where they overlap.
public struct CubeSharpeningParameters: DeclaredParameters, Equatable {
    /// Whether local sharpening runs.
    @Parameter("local", "sharpen overlapping cubes separately and blend them",
               source: "Terwilliger et al. 2018; phenix.auto_sharpen local_sharpening")
    public var enabled = false
    /// Cube edge (Å); nil: 12 × resolution, at least 24 voxels.
    @Parameter("local_box", .positive, unit: "Å", "local sharpening cube edge",
               source: "phenix.auto_sharpen local_sharpening box size", defaultMeaning: "12 × resolution, at least 24 voxels", inStarterPlan: false)
    public var boxEdge: Double? = nil
    /// Cubes whose share of molecule (by the envelope, window-weighted) is below this keep the
    /// global sharpening.
    public var minimumMoleculeShare = 0.1

    /// Off.
    public init() {}
    /// On, with this cube edge (nil: the default edge).
    public init(boxEdge: Double?) { enabled = true; self.boxEdge = boxEdge }

    /// A cube edge needs local sharpening.
    public func validateTogether() throws {
        if let e = boxEdge, !enabled { throw ParameterProblem(key: "local_box", value: e.parameterText, "applies only with local sharpening (local)") }
        guard minimumMoleculeShare >= 0, minimumMoleculeShare < 1 else { throw MapbookError("the minimum molecule share must lie in [0, 1)") }
    }
}
