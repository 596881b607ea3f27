import Foundation
import MapbookCore

/// Which region the search scores.
public enum BoxChoice: Sendable, Equatable, Codable {
    /// The box of density (`MapBox.aroundDensity`), or the whole map when that box would hold
    /// more than half of it.
    case automatic
    /// The whole map.
    case wholeMap
    /// This box.
    case given(MapBox)
}

/// Every choice of an automatic sharpening run, with phenix.map_sharpening's defaults.
public struct SharpeningParameters: Sendable, Equatable, Codable {
    /// Nominal resolution of the map (Å). Required.
    public var resolution: Double
    /// Methods to try; the best score over all of them wins. Default: `b_iso_to_d_cut` alone;
    /// commands and cells that are given no method use `impliedMethods(halfMaps:model:)`.
    public var methods: [SharpeningMethod] = [.bIsoToDCut]

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
    /// What the trials are ranked by.
    public var scoreTarget: SharpeningScoreTarget = .adjustedSurfaceArea
    /// The scored region.
    public var box: BoxChoice = .automatic
    /// A given B (Å², applied, negative sharpens) for `b_iso` and `b_iso_to_d_cut`: applied
    /// without a search.
    public var bFactor: Double? = nil
    /// Given (b0, b1, b2) for `resolution_dependent`: applied without a search.
    public var resolutionDependent: [Double]? = nil
    /// `b_iso_to_d_cut` switch resolution (Å); nil: the nominal resolution.
    public var dCut: Double? = nil
    /// `b_iso_to_d_cut` switch steepness (Å⁻¹).
    public var kSharpen = SharpeningDefaults.kSharpen
    /// `b_iso_to_d_cut` extra B beyond d_cut (Å²).
    public var blurBeyondCut = SharpeningDefaults.blurBeyondCut
    /// `target_b_iso`: map B after sharpening = ratio × resolution² (Å²).
    public var targetBIsoRatio = SharpeningDefaults.targetBIsoRatio
    /// The grid and refinement.
    public var search = SearchPlan()
    /// Region weight of the adjusted surface area; nil calibrates it on the map.
    public var regionWeight: Double? = nil
    /// The contour encloses this fraction of the expected molecular volume.
    public var enclosedFraction = SharpeningDefaults.enclosedFraction
    /// Sharpen overlapping regions separately and blend them (nil: one sharpening for the map).
    public var local: CubeSharpeningParameters? = nil
    /// Sharpen maps the guards refuse (mostly constant, already processed).
    public var force = false

    /// Defaults for a map of `resolution` Å.
    public init(resolution: Double) { self.resolution = resolution }

    /// Refuses parameters that make no sense, with the option's name in the message.
    public func validate() throws {
        guard resolution > 0, resolution.isFinite else { throw MapbookError("--resolution must be a positive resolution in Å, got \(resolution)") }
        guard !methods.isEmpty else { throw MapbookError("--method needs at least one method") }
        guard Set(methods).count == methods.count else { throw MapbookError("--method lists a method twice") }
        if let b = bFactor {
            guard b.isFinite, abs(b) <= 5000 else { throw MapbookError("--bfactor must be a finite B within ±5000 Å², got \(b)") }
            guard methods.contains(where: { $0 == .bIso || $0 == .bIsoToDCut }) else {
                throw MapbookError("--bfactor applies to the b_iso and b_iso_to_d_cut methods only")
            }
        }
        if let r = resolutionDependent {
            guard r.count == 3, r.allSatisfy(\.isFinite) else { throw MapbookError("--resolution-dependent needs three finite numbers b0,b1,b2") }
            guard methods.contains(.resolutionDependent) else { throw MapbookError("--resolution-dependent applies to the resolution_dependent method only") }
        }
        if let d = dCut, !(d > 0 && d.isFinite) { throw MapbookError("--d-cut must be a positive resolution in Å, got \(d)") }
        guard kSharpen > 0, kSharpen.isFinite else { throw MapbookError("--k-sharpen must be positive, got \(kSharpen)") }
        guard blurBeyondCut.isFinite, blurBeyondCut >= 0 else { throw MapbookError("--b-blur must be a B ≥ 0 Å², got \(blurBeyondCut)") }
        guard targetBIsoRatio.isFinite, targetBIsoRatio >= 0 else { throw MapbookError("the target B ratio must be ≥ 0, got \(targetBIsoRatio)") }
        if let w = regionWeight, !(w >= 0 && w.isFinite) { throw MapbookError("--region-weight must be ≥ 0, got \(w)") }
        guard enclosedFraction > 0, enclosedFraction <= 1 else {
            throw MapbookError("--enclosed-fraction must lie in (0, 1], got \(enclosedFraction)")
        }
        try search.validate()
        try local?.validate()
    }
}

/// Local sharpening: the map is cut into overlapping cubes, each sharpened by its own search
/// (the global method and region weight), and the cubes are blended with weights that add up to
/// one where they overlap.
public struct CubeSharpeningParameters: Sendable, Equatable, Codable {
    /// Cube edge (Å); nil: 12 × resolution, at least 24 voxels.
    public var boxEdge: Double? = nil
    /// Cubes whose share of molecule (by the envelope, window-weighted) is below this keep the
    /// global sharpening.
    public var minimumMoleculeShare = 0.1

    /// Defaults.
    public init(boxEdge: Double? = nil) { self.boxEdge = boxEdge }

    func validate() throws {
        if let e = boxEdge, !(e > 0 && e.isFinite) { throw MapbookError("--local-box must be a positive edge in Å, got \(e)") }
        guard minimumMoleculeShare >= 0, minimumMoleculeShare < 1 else { throw MapbookError("the minimum molecule share must lie in [0, 1)") }
    }
}
