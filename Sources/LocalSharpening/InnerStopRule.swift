/// xmipp's stopping rule for LocalDeblur's inner iterations.
///
/// At iteration i the norm n_i = ‖H[V_i]‖ gives the percentage p_i = 100·n_{i−1}/n_i (with
/// n_0 = 0 and p_0 = 1). As the iteration converges n_i levels off and p_i climbs towards 100;
/// the rule fires at the first i > 2 where p_i rose by less than one percentage point. The
/// update of that iteration is still applied. It cannot fire before i = 3, and norms that
/// oscillate can make it fire early, so the iteration count is capped as well.
public struct InnerStopRule: Sendable, Equatable {
    /// The first iteration at which the rule can fire.
    public static let earliestFiring = 3
    /// Minimum rise of p_i (percentage points) that keeps the iteration going.
    public var minimumRise: Double = 1
    /// Iterations observed so far.
    public private(set) var iteration = 0
    /// p_i of every iteration observed.
    public private(set) var percentages: [Double] = []
    private var lastNorm = 0.0
    private var lastPercentage = 1.0

    /// A rule with xmipp's one-point threshold.
    public init() {}

    /// Records n_i for the next iteration i and returns whether the rule fires there.
    public mutating func observe(norm: Double) -> Bool {
        iteration += 1
        let p = norm > 0 ? 100 * lastNorm / norm : 0
        let rise = p - lastPercentage
        percentages.append(p)
        lastNorm = norm
        lastPercentage = p
        return iteration >= Self.earliestFiring && rise < minimumRise
    }
}
