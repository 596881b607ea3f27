import Foundation

/// FSC weights: C_ref = sqrt(2 FSC / (1 + FSC)) (Rosenthal & Henderson 2003), the expected
/// correlation of the average of two half maps with the truth. Here, beside the FSC, because
/// post-processing, sharpening and density modification all weight by it.
public enum FSCWeight {
    /// C_ref of one FSC value: 0 for FSC ≤ 0 (no shared signal to weight), NaN for an
    /// undefined value (the caller decides what an undefined shell means).
    public static func reference(_ fsc: Double) -> Double {
        guard fsc.isFinite else { return .nan }
        return fsc > 0 ? (2 * fsc / (1 + fsc)).squareRoot() : 0
    }

    /// C_ref per shell of `curve`, 0 where the FSC is ≤ 0 or undefined (a map without power
    /// there has nothing to weight), and 0 from the first shell where FSC < 1e-4 outwards
    /// (RELION: beyond that point the curve is noise).
    public static func weights(_ curve: FSCCurve) -> [Double] {
        var w = [Double](repeating: 0, count: curve.shellCount)
        for i in 0..<curve.shellCount {
            let f = curve.fsc[i]
            if f.isNaN { continue }
            if f < 1e-4 { break }
            w[i] = reference(f)
        }
        return w
    }
}

extension FSCCurve {
    /// The curve with shell 0, which holds only the DC term, set to 1 when it comes out ≤ 0
    /// (as RELION does), so that the map's mean is never weighted away.
    public func withDefinedDCShell() -> FSCCurve {
        var c = self
        if c.shellCount > 0, !(c.fsc[0] > 0) { c.fsc[0] = 1 }
        return c
    }
}
