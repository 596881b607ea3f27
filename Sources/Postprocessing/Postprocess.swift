import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Parameters of half-map post-processing (`mapbook postprocess`), with RELION's defaults.
public struct PostprocessParameters: DeclaredParameters, Equatable {
    /// How the sharpening B-factor is chosen (the library's form of `bfactor` and the fit range).
    public typealias BFactor = FSCWeightedSharpening.BFactorRule

    /// Optional low-pass after sharpening (the library's form of `lowpass`).
    public enum LowPass: Sendable, Equatable, Codable {
        /// At the final FSC 0.143 resolution.
        case fscResolution
        /// At this resolution (Å).
        case resolution(Double)
    }

    /// The corrected FSC's parameters.
    public var fsc = HalfMapFSCParameters()
    /// The B-factor: fitted (`auto`) or given.
    @Parameter("bfactor", unit: "Å²", "auto (fitted on the FSC-weighted Guinier plot) or a B-factor; applied as exp(−B s²/4), so negative sharpens",
               source: "Rosenthal & Henderson 2003; RELION relion_postprocess --auto_bfac / --adhoc_bfac")
    public var bfactor = BFactorChoice.automatic
    /// Automatic B: low-resolution end of the Guinier fit, Å.
    @Parameter("autob_lowres", .positive, unit: "Å", "automatic B: low-resolution end of the Guinier fit",
               source: "RELION relion_postprocess --autob_lowres")
    public var autobLowres = 10.0
    /// Automatic B: high-resolution end of the fit, Å; nil (or 0) fits as far as the weighted map has signal.
    @Parameter("autob_highres", .nonNegative, unit: "Å", "automatic B: high-resolution end of the Guinier fit (0: as far as the weighted map has signal)",
               source: "RELION relion_postprocess --autob_highres", defaultMeaning: "as far as the weighted map has signal", inStarterPlan: false)
    public var autobHighres: Double? = nil
    /// Weight the average map by C_ref = sqrt(2 FSC / (1 + FSC)) (on by default, as RELION).
    @Parameter("fsc_weighting", "weight the map by sqrt(2 FSC / (1 + FSC)) before sharpening",
               source: "Rosenthal & Henderson 2003; RELION relion_postprocess --skip_fsc_weighting")
    public var fscWeighting = true
    /// Low-pass after sharpening (none by default; RELION stopped low-passing by default in 2019).
    @Parameter("lowpass", .positive, unit: "Å", "low-pass after sharpening: none, fsc (at the final FSC resolution) or a resolution",
               source: "RELION relion_postprocess --low_pass")
    public var lowpass = LowPassChoice.none
    /// Raised-cosine low-pass edge in shells (RELION: 2); not a user setting.
    public var lowPassEdgeShells: Double = 2

    /// RELION's defaults.
    public init() {}

    /// The fit range must run from low to high resolution.
    public func validateTogether() throws {
        if let h = autobHighres, h > 0, !(h < autobLowres) {
            throw ParameterProblem(key: "autob_highres", value: h.parameterText, "must be finer than autob_lowres (\(autobLowres.parameterText) Å)")
        }
    }

    /// The B-factor rule as the weighting phase applies it.
    public var bFactor: BFactor {
        get {
            switch bfactor {
            case .automatic: return .automatic(lowResolution: autobLowres, highResolution: autobHighres.flatMap { $0 > 0 ? $0 : nil })
            case .fixed(let b): return .fixed(b)
            }
        }
        set {
            switch newValue {
            case .automatic(let low, let high): bfactor = .automatic; autobLowres = low; autobHighres = high
            case .fixed(let b): bfactor = .fixed(b)
            }
        }
    }

    /// The low-pass as the sharpening phase applies it.
    public var lowPass: LowPass? {
        get {
            switch lowpass {
            case .none: return nil
            case .fscResolution: return .fscResolution
            case .resolution(let d): return .resolution(d)
            }
        }
        set {
            switch newValue {
            case nil: lowpass = .none
            case .fscResolution?: lowpass = .fscResolution
            case .resolution(let d)?: lowpass = .resolution(d)
            }
        }
    }

    /// The FSC's phase-randomisation threshold.
    public var randomizeAtFSC: Double { get { fsc.randomizeAtFSC } set { fsc.randomizeAtFSC = newValue } }
    /// The FSC's randomisation resolution, Å.
    public var randomizeAtResolution: Double? { get { fsc.randomizeAtResolution } set { fsc.randomizeAtResolution = newValue } }
    /// The FSC's randomisation seed.
    public var seed: UInt64 { get { fsc.seed } set { fsc.seed = newValue } }
    /// Keep the masked FSC.
    public var forceMask: Bool { get { fsc.forceMask } set { fsc.forceMask = newValue } }
    /// Point-group order for the half-bit threshold.
    public var symmetryOrder: Int { get { fsc.symmetryOrder } set { fsc.symmetryOrder = newValue } }
}

/// Which mask the FSC uses.
public enum MaskChoice: Sendable {
    /// No mask: the final FSC is the unmasked one.
    case none
    /// A mask the user supplied (already validated against the grid).
    case supplied(Volume)
    /// A mask made from the average of the half maps.
    case automatic(AutoMaskParameters)
}

/// Every number and curve post-processing produces (written as JSON).
public struct PostprocessReport: Sendable, Codable {
    /// Grid of the half maps.
    public var grid: VoxelGrid
    /// Unmasked half-map FSC.
    public var fscUnmasked: FSCCurve
    /// FSC of the masked half maps (nil without a mask).
    public var fscMasked: FSCCurve?
    /// FSC of the masked, phase-randomised half maps (nil without a mask or randomisation).
    public var fscRandomizedMasked: FSCCurve?
    /// The final, corrected FSC (FSC_true); equals the unmasked FSC without a mask.
    public var fscCorrected: FSCCurve
    /// Shell beyond which phases were randomised, and its resolution (Å).
    public var randomizationShell: Int?
    /// Resolution (Å) of the randomisation shell.
    public var randomizationResolution: Double?
    /// Final resolution by the 0.143 criterion on the corrected curve.
    public var resolution: ResolutionEstimate
    /// The corrected curve read at the half-bit threshold.
    public var resolutionHalfBit: ResolutionEstimate
    /// The corrected curve read at 0.5.
    public var resolutionHalf: ResolutionEstimate
    /// The unmasked curve read at 0.143.
    public var resolutionUnmasked: ResolutionEstimate
    /// Mask facts (nil without a mask).
    public var mask: MaskSummary?
    /// FSC weight applied per shell (C_ref), nil when weighting is off.
    public var fscWeights: [Double]?
    /// Guinier plot of the average map.
    public var guinierOriginal: GuinierCurve
    /// Guinier plot after FSC weighting.
    public var guinierWeighted: GuinierCurve
    /// Guinier plot of the sharpened map.
    public var guinierSharpened: GuinierCurve
    /// The automatic B fit (nil for a given B, or when too few points).
    public var guinierFit: GuinierFit?
    /// The B-factor applied (Å², factor exp(−B s²/4); negative sharpens).
    public var appliedBFactor: Double
    /// Low-pass applied (Å), if any.
    public var lowPassResolution: Double?
    /// Things the user should know (each one line).
    public var warnings: [String]
    /// The parameters used.
    public var parameters: PostprocessParameters
}

extension PostprocessReport {
    /// The corrected-FSC part of the report, as `Postprocess.fsc` alone gives it.
    public var fscReport: HalfMapFSCReport {
        HalfMapFSCReport(grid: grid, fscUnmasked: fscUnmasked, fscMasked: fscMasked, fscRandomizedMasked: fscRandomizedMasked,
                         fscCorrected: fscCorrected, randomizationShell: randomizationShell,
                         randomizationResolution: randomizationResolution, resolution: resolution,
                         resolutionHalfBit: resolutionHalfBit, resolutionHalf: resolutionHalf,
                         resolutionUnmasked: resolutionUnmasked, mask: mask, warnings: warnings, parameters: parameters.fsc)
    }
}

/// What post-processing calls its inputs in error messages: their file paths when they came
/// from files, else neutral names.
public struct PostprocessInputNames: Sendable, Equatable {
    /// The first half map.
    public var half1: String
    /// The second half map.
    public var half2: String
    /// The mask (supplied or automatic).
    public var mask: String

    /// Names; the defaults are neutral ("half map 1", "half map 2", "mask").
    public init(half1: String = "half map 1", half2: String = "half map 2", mask: String = "mask") {
        self.half1 = half1
        self.half2 = half2
        self.mask = mask
    }
}

/// The maps post-processing produces, with the report.
public struct PostprocessOutput: Sendable {
    /// All numbers and curves.
    public var report: PostprocessReport
    /// The sharpened (weighted, B-corrected, optionally low-passed) average map.
    public var sharpened: Volume
    /// The sharpened map multiplied by the mask (nil without a mask).
    public var sharpenedMasked: Volume?
    /// The mask used (always set when one was used, so it can be written out).
    public var mask: Volume?
}

/// Half-map post-processing as RELION's relion_postprocess does it: FSC, masked FSC corrected by
/// phase randomisation (Chen et al. 2013), FSC weighting, Guinier B-factor sharpening.
public enum Postprocess {
    /// Runs the whole procedure in its phases: the corrected FSC (`fsc`, which `mapbook fsc`
    /// runs alone), the weighting (FSC weights, Guinier plots, the B-factor) and the
    /// sharpening. The half maps are taken by value and released as soon as they are no longer
    /// needed; pass them with `consume` to keep peak memory near six maps.
    ///
    /// An FSC that is undefined where the resolution is read (see `FourierShells.fsc`) is an
    /// error naming the input (`names`): a constant or all-zero half map, an all-zero mask, or
    /// masked half maps without power at the lowest resolution.
    public static func run(half1: consuming Volume, half2: consuming Volume, mask maskChoice: MaskChoice,
                           parameters: PostprocessParameters = PostprocessParameters(),
                           names: PostprocessInputNames = PostprocessInputNames(),
                           progress: ProgressReporter = .silent) throws -> PostprocessOutput {
        try parameters.validate()
        var phase = try fsc(half1: consume half1, half2: consume half2, mask: maskChoice, parameters: parameters.fsc,
                            names: names, progress: progress)
        progress.step("FSC weighting and B-factor")
        let average = phase.average.take()!
        let w = weighting(phase.report, average: average, shells: phase.shells, parameters: parameters)
        let out = sharpen(phase.report, mask: phase.mask, average: consume average, weighting: w, shells: phase.shells,
                          parameters: parameters, progress: progress)
        progress.step("Post-processing done: \(out.report.resolution.summary)")
        return out
    }

    /// FSC_true = (FSC_masked − FSC_random) / (1 − FSC_random) from two shells past the
    /// randomisation shell outwards (RELION's margin: the partly randomised boundary shell
    /// shows artefacts); the masked curve below that.
    public static func correctedFSC(masked: FSCCurve, randomized: FSCCurve, randomizationShell ir: Int) -> FSCCurve {
        var out = masked.fsc
        for i in 0..<out.count where i >= ir + 2 {
            let n = randomized.fsc[i], m = masked.fsc[i]
            if n.isNaN || m.isNaN { out[i] = .nan; continue }
            out[i] = 1 - n < 1e-6 ? 0 : (m - n) / (1 - n)
        }
        return masked.with(values: out)
    }

    /// FFT(mask · IFFT(randomised f)). Pass `f` with `consume` when it is not needed after.
    static func randomizedMaskedSpectrum(_ f: consuming HalfSpectrum, mask: Volume, shells: FourierShells, shell: Int, seed: UInt64) -> HalfSpectrum {
        var copy = f
        shells.randomizePhases(&copy, beyondShell: shell, seed: seed)
        var real = FFT.backward(consume copy)
        real.multiply(by: mask)
        return FFT.forward(consume real)
    }
}
