import MapbookCore

/// Parameters of the whole local-sharpening protocol (Scipion's `XmippProtLocSharp`): LocalDeblur
/// rounds with MonoRes re-estimating the local resolution between them.
public struct LocalSharpeningParameters: DeclaredParameters, Equatable {
    /// The LocalDeblur parameters. A user λ (≠ 1) is used in the first round only; later rounds
    /// choose λ automatically, as the protocol does.
    public var deblur = LocalDeblurParameters()
    /// Outer rounds: N ≥ 1 runs exactly N (MonoRes between them); −1 runs until λ settles or
    /// the local-resolution range becomes narrow (or `maximumAutomaticRounds`).
    @Parameter("iterations", .atLeast(-1), "outer rounds with MonoRes between them; −1 stops when λ settles or the resolution range narrows",
               source: "Scipion XmippProtLocSharp (iterations)")
    public var rounds: Int = 1
    /// Cap on automatic rounds (the protocol has none; a cap keeps a run from going on forever).
    public var maximumAutomaticRounds: Int = 10
    /// Automatic rounds stop when λ changes by no more than this between rounds (Scipion: 0.2).
    public var lambdaTolerance: Double = 0.2
    /// Automatic rounds stop when the re-estimated median local resolution lies less than this
    /// above Nyquist (Å; Scipion: 0.75, on the maximum).
    public var narrowRangeLimit: Double = 0.75
    /// Automatic rounds stop when the re-estimated median local resolution is finer than the
    /// first round's (the half-map evidence) by more than this (Å; one MonoRes step).
    public var collapseTolerance: Double = 0.25
    /// MonoRes re-estimation: step between trial resolutions (Å) and significance.
    public var monoResStep: Double = 0.25, monoResSignificance: Double = 0.95

    /// The protocol's defaults: one round.
    public init() {}

    /// Rounds are at least 1, or −1 for automatic.
    public func validateTogether() throws {
        if rounds == 0 { throw ParameterProblem(key: "iterations", value: "0", "must be at least 1, or −1 for automatic") }
    }

    /// The K range the protocol recommends.
    public static let recommendedK: ClosedRange<Double> = 0.01...0.05
    /// The K the protocol recommends for maps worse than 6 Å.
    public static let lowResolutionK = 0.01
    /// Global resolution (Å) beyond which `lowResolutionK` is recommended.
    public static let lowResolutionLimit = 6.0
}
