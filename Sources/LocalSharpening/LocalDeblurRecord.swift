/// What one LocalDeblur run did: the numbers its convergence rests on, the bank, the costs.
public struct LocalDeblurRecord: Sendable, Codable, Equatable {
    /// The λ used. (xmipp's metadata stores it under the label COST; the protocol's automatic
    /// rounds stop when it settles.)
    public var lambda: Double
    /// Whether λ was chosen automatically (‖V0‖ / (12 ‖H V0‖)).
    public var lambdaAutomatic: Bool
    /// Whether the automatic λ hit `maximumAutomaticLambda`.
    public var lambdaCapped: Bool
    /// The inner iteration at which the run stopped (xmipp's MDL_ITER).
    public var innerIterations: Int
    /// True when the stop rule fired, false when the iteration cap ended the run.
    public var stoppedByRule: Bool
    /// ‖H[V_i]‖ for every iteration i (whole box).
    public var norms: [Double]
    /// 100·n_{i−1}/n_i, the quantity the stop rule watches.
    public var normPercentages: [Double]
    /// The cost ‖V0 − H[V_i]‖ / ‖V0‖ for every iteration i: how far the blurred estimate is
    /// from the input.
    public var costs: [Double]
    /// The K used (Å⁻²).
    public var k: Double
    /// Trial resolutions of the kept bands (Å).
    public var bandResolutions: [Double]
    /// The operator's formulation, in words.
    public var formulation: String
    /// Interpolation nodes (Å); empty for the filter bank.
    public var nodes: [Double]
    /// Transforms spent in the iterations.
    public var transforms: Int
    /// Standard deviation of the input outside the mask.
    public var sigmaOutside: Double
    /// The floor −4σ_out applied after each update; nil when it was disabled.
    public var clampLevel: Double?
    /// Voxels held at the floor by the last update.
    public var clampedVoxels: Int
    /// The local-resolution map used.
    public var resolutionMap: ResolutionMapRecord
    /// Seconds spent building the operator and iterating.
    public var setupSeconds: Double, iterationSeconds: Double
    /// With half maps: their estimate of each iterate's correlation with the true map inside
    /// the mask, from the input (index 0) to the last iteration run (`DeblurHalfMaps`).
    public var expectedCorrelations: [Double]? = nil
    /// With half maps: the iterate returned, the one the half maps expect to be best (0: the input).
    public var keptIteration: Int? = nil
    /// Things the user should know.
    public var warnings: [String]
}

extension LocalDeblurRecord {
    /// The iterate kept with the half maps' expectations, as "3 (expected CC with the truth
    /// 0.812; input 0.800)"; nil when no half maps judged the run.
    public var keptIterate: String? {
        guard let k = keptIteration, let e = expectedCorrelations, e.indices.contains(k) else { return nil }
        return String(format: "%d (expected CC with the truth %.3f; input %.3f)", k, e[k], e[0])
    }
}
