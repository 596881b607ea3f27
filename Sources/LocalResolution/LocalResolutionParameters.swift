import Foundation
import MapbookCore
import MapModel

/// Which local-resolution estimate to make.
public enum LocalResolutionMethod: String, ParameterChoice {
    /// MonoRes (Vilas et al. 2018): monogenic amplitude against noise.
    case monores
    /// The windowed local FSC (as RELION's LocRes and BlocRes); needs two half maps.
    case localFSC = "local_fsc"

    /// One of the raw values; `local-fsc` is read as `local_fsc`.
    public init(parameterText text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")
        guard let v = Self(rawValue: t) else { throw ParameterTextError(expected: Self.valueDescription) }
        self = v
    }

    /// The algorithm's peak, in map-sized buffers, for the memory estimate.
    public var peakMapCopies: Double { self == .localFSC ? LocalFSC.peakMapCopies : MonoRes.peakMapCopies }
}

/// The parameters of a local-resolution estimate: the method, the mask's binarisation level
/// both methods use, and each method's own parameters.
public struct LocalResolutionParameters: DeclaredParameters, Equatable {
    /// The method.
    @Parameter("method", "monores, or local_fsc (windowed FSC, as RELION's LocRes / BlocRes; needs two half maps) to cross-check it",
               source: "Vilas et al. 2018 (MonoRes); Cardone et al. 2013 (BlocRes)")
    public var method = LocalResolutionMethod.monores
    /// Binarisation level of a soft mask (both methods).
    @Parameter("mask_threshold", .open(0, 1), "binarisation level of a soft mask")
    public var maskThreshold = 0.5
    /// MonoRes's parameters (their mask threshold is `maskThreshold`).
    public var monoRes = MonoResParameters()
    /// The local FSC's parameters (their mask threshold is `maskThreshold`).
    public var localFSC = LocalFSCParameters()

    /// The defaults: MonoRes with xmipp's settings.
    public init() {}
}

/// A local-resolution estimate by the method the parameters choose.
public enum LocalResolutionEstimate {
    /// Runs the chosen method on the half maps (MonoRes also on one map: `half2` nil). `mask`
    /// nil: MonoRes makes its own; the local FSC uses the same automatic mask
    /// (`MonoRes.automaticMaskVolume`). `names` name the half maps in errors.
    public static func run(half1: consuming Volume, half2: consuming Volume?, mask: Volume?,
                           parameters p: LocalResolutionParameters = LocalResolutionParameters(),
                           names: (String, String) = ("half map 1", "half map 2"),
                           progress: ProgressReporter = .silent) throws -> MonoResResult {
        try p.validate()
        switch p.method {
        case .monores:
            var mp = p.monoRes
            mp.maskThreshold = p.maskThreshold
            return try MonoRes.run(half1: consume half1, half2: consume half2, mask: mask, parameters: mp, progress: progress)
        case .localFSC:
            guard let second = half2 else {
                throw ParameterProblem(key: "method", value: p.method.rawValue, "needs two half maps")
            }
            var lp = p.localFSC
            lp.maskThreshold = p.maskThreshold
            let first = half1
            let m = try mask ?? MonoRes.automaticMaskVolume(average: first, second)
            return try LocalFSC.run(half1: first, half2: second, mask: m, parameters: lp, names: names, progress: progress)
        }
    }
}
