import Foundation
import MapbookCore

/// One concrete sharpening: a method with every parameter it needs, so it can be applied to
/// any map (a box during the search, the whole map at the end).
///
/// B-factors follow mapbook's single convention: the applied factor is exp(−B·s²/4), s in Å⁻¹,
/// so a negative B sharpens. (phenix's `b_sharpen` is the opposite sign: B = −b_sharpen.)
public struct SharpeningSettings: Sendable, Equatable, Codable {
    /// The method these settings belong to.
    public var method: SharpeningMethod
    /// Applied B (Å²) at resolutions coarser than `dCut` (`b_iso`, `b_iso_to_d_cut`,
    /// `target_b_iso`); at every resolution for `b_iso`.
    public var bFactor: Double?
    /// Resolution (Å) where `b_iso_to_d_cut` switches from `bFactor` to `bFactor + blurBeyondCut`.
    public var dCut: Double?
    /// Steepness of that switch (Å⁻¹): the weight is logistic in k·(d_cut − d).
    public var kSharpen: Double?
    /// Extra B (Å², positive blurs) beyond `dCut` (phenix's `b_blur_hires`).
    public var blurBeyondCut: Double?
    /// `resolution_dependent`: ln(scale) at d = √2·resolution.
    public var b0: Double?
    /// `resolution_dependent`: ln(scale) at d = resolution.
    public var b1: Double?
    /// `resolution_dependent`: added ln(scale) at d = 0.833·resolution (linear beyond).
    public var b2: Double?
    /// `resolution_dependent`: the resolution (Å) that places the knots.
    public var knotResolution: Double?
    /// `half_map`, `model`: spatial frequencies (Å⁻¹) at which `shellScales` are given.
    public var shellFrequencies: [Double]?
    /// `half_map`, `model`: amplitude scale at each of `shellFrequencies`, interpolated
    /// linearly in s between them (as phenix interpolates between its bins).
    public var shellScales: [Double]?

    /// Settings with only the method set; use the static constructors.
    public init(method: SharpeningMethod) { self.method = method }

    /// `b_iso`: exp(−B s²/4) at every resolution.
    public static func bIso(_ b: Double) -> SharpeningSettings {
        var s = SharpeningSettings(method: .bIso)
        s.bFactor = b
        return s
    }

    /// `b_iso_to_d_cut` (or, with `method: .targetBIso`, the same function with a B fixed by
    /// the target): B below `dCut`, B + `blur` beyond, switched smoothly.
    public static func bIsoToDCut(_ b: Double, dCut: Double, kSharpen: Double = 10, blur: Double = 200,
                                  method: SharpeningMethod = .bIsoToDCut) -> SharpeningSettings {
        var s = SharpeningSettings(method: method)
        s.bFactor = b
        s.dCut = dCut
        s.kSharpen = kSharpen
        s.blurBeyondCut = blur
        return s
    }

    /// `resolution_dependent` with knots placed by `resolution`.
    public static func resolutionDependent(b0: Double, b1: Double, b2: Double, resolution: Double) -> SharpeningSettings {
        var s = SharpeningSettings(method: .resolutionDependent)
        s.b0 = b0; s.b1 = b1; s.b2 = b2
        s.knotResolution = resolution
        return s
    }

    /// A scale per shell (`half_map`, `model`).
    public static func shellScale(_ method: SharpeningMethod, frequencies: [Double], scales: [Double]) -> SharpeningSettings {
        precondition(frequencies.count == scales.count && !scales.isEmpty, "one scale per frequency")
        var s = SharpeningSettings(method: method)
        s.shellFrequencies = frequencies
        s.shellScales = scales
        return s
    }

    /// Whether the amplitudes are whitened (divided by their shell rms) before the scale is
    /// applied. Only `resolution_dependent` does this — in the search and in the final map
    /// alike (phenix normalises only in the final application; one preprocessing is used here).
    public var whitens: Bool { method == .resolutionDependent }

    /// One line for tables and logs: the parameters that matter for the method.
    public var summary: String {
        func f(_ x: Double?, _ d: Int = 1) -> String { x.map { String(format: "%.\(d)f", $0) } ?? "-" }
        switch method {
        case .bIso: return "B \(f(bFactor)) Å²"
        case .bIsoToDCut, .targetBIso:
            return "B \(f(bFactor)) Å² to \(f(dCut, 2)) Å, +\(f(blurBeyondCut, 0)) Å² beyond (k \(f(kSharpen, 0)))"
        case .resolutionDependent: return "b0 \(f(b0, 2)), b1 \(f(b1, 2)), b2 \(f(b2, 2))"
        case .halfMap, .model:
            let s = shellScales ?? []
            return "\(s.count) shell scales"
        }
    }

    /// Checks that every parameter the method needs is present and finite.
    public func validate() throws -> Void {
        func need(_ x: Double?, _ what: String) throws {
            guard let x, x.isFinite else { throw MapbookError("\(method.rawValue) needs a finite \(what)") }
        }
        switch method {
        case .bIso: try need(bFactor, "B-factor")
        case .bIsoToDCut, .targetBIso:
            try need(bFactor, "B-factor"); try need(dCut, "d_cut"); try need(kSharpen, "k_sharpen"); try need(blurBeyondCut, "b_blur")
            guard dCut! > 0 else { throw MapbookError("d_cut must be a positive resolution in Å, got \(dCut!)") }
            guard kSharpen! > 0 else { throw MapbookError("k_sharpen must be positive, got \(kSharpen!)") }
        case .resolutionDependent:
            try need(b0, "b0"); try need(b1, "b1"); try need(b2, "b2"); try need(knotResolution, "resolution")
        case .halfMap, .model:
            guard let f = shellFrequencies, let s = shellScales, f.count == s.count, !s.isEmpty,
                  s.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw MapbookError("\(method.rawValue) needs one finite, non-negative scale per shell")
            }
        }
    }
}
