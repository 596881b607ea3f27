import LocalResolution
import MapModel

/// Where the first round's local-resolution map came from.
public enum ResolutionMapOrigin: String, Sendable, Codable {
    /// Read from a file (MonoRes, ResMap, BlocRes, RELION): taken as given, with a warning.
    case imported
    /// Computed by mapbook from this dataset (MonoRes on the half maps).
    case computed
}

/// Why the protocol's outer loop ended.
public enum LocalSharpeningStop: String, Sendable, Codable {
    /// The requested number of rounds was run.
    case roundsDone = "the requested number of rounds was run"
    /// Automatic: λ changed by no more than the tolerance between two rounds.
    case lambdaSettled = "λ changed by no more than the tolerance between rounds"
    /// Automatic: the re-estimated median local resolution lies less than the limit above Nyquist.
    case narrowRange = "the re-estimated local resolution collapsed towards Nyquist (median − Nyquist below the limit)"
    /// Automatic: the re-estimated local resolution is finer than the half-map evidence allows.
    case resolutionCollapsed = "the re-estimated local resolution became finer than the half-map evidence"
    /// Automatic: the round cap was reached.
    case roundCap = "the cap on automatic rounds was reached"
    /// The local resolution could not be re-estimated (it reached Nyquist, or MonoRes failed).
    case reestimationImpossible = "the local resolution could not be re-estimated"
    /// Automatic, with half maps: the round's best iterate was its input, so the half maps
    /// expect no further round to help.
    case noExpectedGain = "the half maps expected no iterate of the round to improve on its input"
}

/// One round of the protocol: LocalDeblur, then (unless it was the last) MonoRes on its output.
public struct LocalSharpeningRound: Sendable, Codable, Equatable {
    /// Round number, from 1.
    public var round: Int
    /// Where this round's local-resolution map came from, in words.
    public var resolutionSource: String
    /// The LocalDeblur run.
    public var deblur: LocalDeblurRecord
    /// MonoRes on this round's sharpened map (nil when no re-estimation followed).
    public var reestimation: MonoResSummary?
    /// Seconds of that re-estimation.
    public var reestimationSeconds: Double?
    /// Seconds of the whole round.
    public var seconds: Double
}

/// Everything a local-sharpening run reports (written as JSON; read by reports).
public struct LocalSharpeningSummary: Sendable, Codable, Equatable {
    /// The rounds, in order.
    public var rounds: [LocalSharpeningRound]
    /// Why the rounds ended.
    public var stopReason: LocalSharpeningStop
    /// Where the first round's local-resolution map came from.
    public var resolutionMapOrigin: ResolutionMapOrigin
    /// The global resolution used for advice on K (Å), and where it came from.
    public var globalResolution: Double?, globalResolutionSource: String?
    /// Things the user should know, each one line (the imported-map warning among them).
    public var warnings: [String]
    /// Hints about the parameters (K outside its advised range, a cap reached), one line
    /// each: they go with the section, not with the warnings at the top of a report.
    public var notes: [String]
    /// The parameters used.
    public var parameters: LocalSharpeningParameters
    /// Wall time of the whole run (s).
    public var seconds: Double

    /// λ of every round (the convergence plot's second curve).
    public var lambdas: [Double] { rounds.map(\.deblur.lambda) }
}

/// The result of a local-sharpening run.
public struct LocalSharpeningResult: Sendable {
    /// The last round's sharpened map (`sharpenedMap_last.mrc`), on the input's grid.
    public var sharpened: Volume
    /// The local-resolution map (Å, 0 outside its mask) every round used, as prepared, then
    /// the estimate computed after the last round when there is one: for before/after views.
    public var resolutionMaps: [Volume]
    /// Numbers and warnings.
    public var summary: LocalSharpeningSummary
}
