import Foundation
import MapbookCore

/// A threshold curve against which an FSC is read.
public enum FSCThreshold: Sendable, Equatable, Codable, Hashable {
    /// A fixed value (0.143 gold standard, 0.5, ...).
    case fixed(Double)
    /// van Heel & Schatz (2005) half-bit curve, with `n_eff = n_shell / (2·symmetryOrder)`.
    case halfBit(symmetryOrder: Int)

    /// The gold-standard 0.143 criterion (Rosenthal & Henderson 2003).
    public static let goldStandard = FSCThreshold.fixed(0.143)

    /// A short name for reports ("0.143", "0.5", "half-bit").
    public var name: String {
        switch self {
        case .fixed(let v): return v == 0.143 ? "0.143" : String(format: "%g", v)
        case .halfBit: return "half-bit"
        }
    }

    /// The threshold value in a shell with `count` (full-sphere, Hermitian-weighted) coefficients.
    public func value(count: Double) -> Double {
        switch self {
        case .fixed(let v): return v
        case .halfBit(let order):
            let n = max(1, count / (2 * Double(max(1, order))))
            let r = 1 / n.squareRoot()
            return (0.2071 + 1.9102 * r) / (1.2071 + 0.9102 * r)
        }
    }
}

/// Where an FSC curve first falls below a threshold.
public struct ResolutionEstimate: Equatable, Sendable, Codable {
    /// How the curve relates to the threshold.
    public enum Status: String, Sendable, Codable {
        /// The curve drops below the threshold inside the measured shells.
        case crossed
        /// The curve stays above the threshold up to Nyquist: the resolution is Nyquist-limited.
        case neverCrosses
        /// The curve is already below the threshold in shell 1.
        case belowFirstShell
        /// The curve stays at or above the threshold up to the last shell where both maps hold
        /// power, and is undefined in the next (a map holds only rounding residue there, e.g.
        /// beyond a low-pass filter): the information the maps share ends there, so that shell
        /// is the resolution — neither a crossing to interpolate nor a lower bound.
        case dataEnds
    }

    /// The threshold's name.
    public var criterion: String
    /// Which case applies.
    public var status: Status
    /// The last shell at or above the threshold (RELION-style reporting), 0 if none.
    public var lastShellAbove: Int
    /// RELION-style resolution: that of the last shell above the threshold (Å). For
    /// `neverCrosses` this is the resolution of the outermost shell, for `dataEnds` that of the
    /// last shell before the curve becomes undefined.
    public var shellResolution: Double
    /// Resolution at the linearly interpolated crossing (linear in frequency), Å. Equal to
    /// `shellResolution` when the curve never crosses or the data end.
    public var interpolatedResolution: Double

    /// One line for people: "7.38 Å (0.143, interpolated 7.41 Å)" or "≥ Nyquist (7.08 Å)".
    public var summary: String {
        switch status {
        case .crossed:
            return String(format: "%.2f Å (FSC %@; interpolated %.2f Å)", shellResolution, criterion, interpolatedResolution)
        case .neverCrosses:
            return String(format: "better than %.2f Å (FSC %@ never crosses before Nyquist)", shellResolution, criterion)
        case .belowFirstShell:
            return "worse than the lowest shell (FSC \(criterion) crossed at shell 1)"
        case .dataEnds:
            return String(format: "%.2f Å (FSC %@ holds up to the last shell where both maps have power; beyond it the FSC is undefined)", shellResolution, criterion)
        }
    }
}

extension FSCCurve {
    /// Why a curve gives no resolution: shell 1 is undefined.
    public static let undefinedAtFirstShell = "the FSC is undefined at the lowest resolution (shell 1): one of the maps has no power above rounding level there (a constant or all-zero map has none)"

    /// The resolution where this curve first falls below `threshold`.
    ///
    /// As RELION: shell 0 is ignored; walking outwards from shell 1, the first shell below the
    /// threshold decides, and later recoveries are ignored.
    ///
    /// Undefined shells (NaN; see `FourierShells.fsc`): the first one ends the walk, since the
    /// maps share no information across it that a resolution could claim. After defined
    /// shells all at or above the threshold that gives `dataEnds` at the last defined shell.
    /// A curve undefined in shell 1 has no resolution at all — the maps have no power where
    /// every real map has the most (a constant or empty map) — and throws.
    public func resolution(at threshold: FSCThreshold) throws -> ResolutionEstimate {
        guard isDefined(1) else { throw MapbookError(FSCCurve.undefinedAtFirstShell) }
        var previous: Int? = nil
        for i in 1..<shellCount {
            let v = fsc[i]
            if v.isNaN {
                // Shell 1 is defined, so some shell came before this one.
                let p = previous!
                return ResolutionEstimate(criterion: threshold.name, status: .dataEnds, lastShellAbove: p,
                                          shellResolution: resolution(p), interpolatedResolution: resolution(p))
            }
            let t = threshold.value(count: count[i])
            if v < t {
                guard let p = previous else {
                    return ResolutionEstimate(criterion: threshold.name, status: .belowFirstShell, lastShellAbove: 0,
                                              shellResolution: .infinity, interpolatedResolution: .infinity)
                }
                let v0 = fsc[p] - threshold.value(count: count[p])
                let v1 = v - t
                let f = frequency[p] + (frequency[i] - frequency[p]) * v0 / (v0 - v1)
                return ResolutionEstimate(criterion: threshold.name, status: .crossed, lastShellAbove: p,
                                          shellResolution: resolution(p), interpolatedResolution: 1 / f)
            }
            previous = i
        }
        let last = previous!
        return ResolutionEstimate(criterion: threshold.name, status: .neverCrosses, lastShellAbove: last,
                                  shellResolution: resolution(last), interpolatedResolution: resolution(last))
    }

    /// The first shell from 1 outwards where the curve is undefined or below `value` (the shell
    /// beyond which phase randomisation starts), nil if there is none.
    public func firstShell(below value: Double) -> Int? {
        (1..<max(1, shellCount)).first { !(fsc[$0] >= value) }
    }
}
