import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// Every number and curve of the corrected-FSC phase of post-processing (written as JSON by
/// `mapbook fsc`; `PostprocessReport` carries the same fields at its top level).
public struct HalfMapFSCReport: Sendable, Codable {
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
    /// Shell beyond which phases were randomised.
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
    /// Things the user should know (each one line).
    public var warnings: [String]
    /// The parameters used (only the FSC's ones matter here).
    public var parameters: HalfMapFSCParameters
}

/// The corrected-FSC phase's result: the report, the mask used, and the average of the half
/// maps' transforms, from which the weighting phase goes on.
public struct HalfMapFSC: Sendable {
    /// All numbers and curves.
    public var report: HalfMapFSCReport
    /// The mask used (always set when one was used, so it can be written out).
    public var mask: Volume?
    /// Transform of the average of the (unmasked) half maps; optional so that the weighting
    /// phase can take it over without a copy (nil once taken).
    public var average: HalfSpectrum?
    /// The shell table of the half maps' grid, for the phases that follow.
    public var shells: FourierShells
}

extension Postprocess {
    /// The corrected-FSC phase of post-processing, alone: the unmasked FSC, the masked one
    /// corrected by phase randomisation (Chen et al. 2013), and the resolutions read from them.
    /// Nothing is weighted or sharpened. Takes the half maps by value and releases them as soon
    /// as it can; pass them with `consume` to keep peak memory near five maps.
    ///
    /// An FSC that is undefined where the resolution is read (see `FourierShells.fsc`) is an
    /// error naming the input (`names`): a constant or all-zero half map, an all-zero mask, or
    /// masked half maps without power at the lowest resolution.
    public static func fsc(half1: consuming Volume, half2: consuming Volume, mask maskChoice: MaskChoice,
                           parameters: HalfMapFSCParameters = HalfMapFSCParameters(),
                           names: PostprocessInputNames = PostprocessInputNames(),
                           progress: ProgressReporter = .silent) throws -> HalfMapFSC {
        try checkInputs(half1, half2, maskChoice, parameters, names)
        let shells = FourierShells(grid: half1.grid)
        progress.step("Fourier transforms of the half maps")
        // Buffers are released as soon as they are no longer needed (the optionals are emptied
        // on purpose). With a supplied mask the masked copies are made first, so that every
        // transform runs in place: five maps' worth at the peak, and no transform copies its
        // input. An automatic mask comes from the unmasked spectra, so the halves are kept
        // (out-of-place transforms) until it exists.
        var h1: Volume? = consume half1, h2: Volume? = consume half2
        var supplied: Volume? = nil
        if case .supplied(let m) = maskChoice { supplied = m }
        var masked1 = supplied.map { h1!.multiplied(by: $0) }
        var f1: HalfSpectrum? = FFT.forward(supplied != nil ? h1.take()! : h1!)
        var masked2 = supplied.map { h2!.multiplied(by: $0) }
        var f2: HalfSpectrum? = FFT.forward(supplied != nil ? h2.take()! : h2!)
        let rawUnmasked = shells.fsc(f1!, f2!)
        try FSCInput.requireDefined(rawUnmasked, f1!, f2!, names: (names.half1, names.half2), shells: shells)
        let unmasked = rawUnmasked.withDefinedDCShell()
        let (mask, threshold) = try chooseMask(maskChoice, f1!, f2!, shells: shells, progress: progress)
        var curves = MaskedCurves(final: unmasked)
        var warnings: [String] = []
        var summary: MaskSummary? = nil
        if let mask {
            summary = SoftMask.summary(mask, threshold: threshold)
            if summary!.touchesBoxEdge { warnings.append("the mask reaches the edge of the box") }
            if masked1 == nil, var a = h1.take(), var b = h2.take() {
                a.multiply(by: mask)
                b.multiply(by: mask)
                masked1 = consume a
                masked2 = consume b
            }
            curves = try maskedCurves(masked1: masked1.take()!, masked2: masked2.take()!, f1: &f1, f2: &f2, mask: mask, unmasked: unmasked,
                                      shells: shells, parameters: parameters, names: names, progress: progress)
            warnings += curves.warnings
        }
        h1 = nil
        h2 = nil
        if f2 != nil {
            f1!.formAverage(with: f2!)
            f2 = nil
        }
        let report = try resolutions(unmasked: unmasked, curves: curves, masked: mask != nil, summary: summary,
                                     warnings: warnings, shells: shells, parameters: parameters)
        return HalfMapFSC(report: report, mask: mask, average: f1.take()!, shells: shells)
    }

    /// The checks before any transform: shared grid, parameters in range, and half maps and
    /// mask with something to correlate (a constant map or an empty mask has no FSC).
    static func checkInputs(_ half1: borrowing Volume, _ half2: borrowing Volume, _ maskChoice: MaskChoice,
                            _ parameters: HalfMapFSCParameters, _ names: PostprocessInputNames) throws {
        if let why = half1.grid.mismatch(with: half2.grid) {
            throw MapbookError("half maps do not share a grid: \(why)")
        }
        try parameters.validate()
        try FSCInput.requireVarying(half1, name: names.half1)
        try FSCInput.requireVarying(half2, name: names.half2)
        if case .supplied(let m) = maskChoice { try FSCInput.requireNonzeroMask(m, name: names.mask) }
    }

    /// The mask to use, made from the average of the halves for an automatic one (with the
    /// threshold it used).
    static func chooseMask(_ choice: MaskChoice, _ f1: HalfSpectrum, _ f2: HalfSpectrum, shells: FourierShells,
                           progress: ProgressReporter) throws -> (Volume?, Double?) {
        switch choice {
        case .none: return (nil, nil)
        case .supplied(let m): return (m, nil)
        case .automatic(let p):
            progress.step("Making a soft mask from the average map")
            let made = try SoftMask.make(from: HalfSpectrum.average(f1, f2), shells: shells, parameters: p)
            return (made.mask, made.threshold)
        }
    }
}
