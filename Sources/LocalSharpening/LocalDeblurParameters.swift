/// How LocalDeblur computes its operator.
public enum DeblurFormulation: String, Sendable, Codable, CaseIterable {
    /// One inverse transform per band, weights evaluated exactly (`FilterBankOperator`).
    case filterBank = "filter-bank"
    /// One inverse transform per interpolation node (`InterpolatedDeblurOperator`): the default.
    case interpolated
}

/// Parameters of one LocalDeblur run (xmipp's `volume_local_sharpening`), with its defaults.
public struct LocalDeblurParameters: Sendable, Equatable, Codable {
    /// K (Å⁻²): band weights are exp(−K (R_b − ρ)²). Recommended 0.01–0.05; 0.01 for maps
    /// worse than 6 Å.
    public var k: Double = 0.025
    /// Step size λ of the update. 1 is xmipp's sentinel for "automatic": ‖V0‖ / (12 ‖H V0‖).
    public var lambda: Double = 1
    /// Most inner iterations (xmipp: 50).
    public var maximumInnerIterations: Int = 50
    /// Step between the filter bank's trial resolutions (Å; xmipp hard-codes 0.2).
    public var bandStep: Double = 0.2
    /// Largest automatic λ: a map with almost nothing in the bands would otherwise get a huge
    /// step. A capped λ is reported.
    public var maximumAutomaticLambda: Double = 100
    /// How the operator is computed.
    public var formulation: DeblurFormulation = .interpolated
    /// Distance between interpolation nodes (Å) for the interpolated formulation. At 2 Å the
    /// operator differs from the filter bank by 1 − CC < 1e-6 even at K = 0.05 (measured in the
    /// tests); the error grows as the fourth power of the spacing times √K.
    public var nodeSpacing: Double = 2

    /// xmipp's defaults.
    public init() {}

    /// Whether λ is to be chosen automatically.
    public var automaticLambda: Bool { lambda == 1 }
}
