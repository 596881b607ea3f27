import Foundation
import FourierEngine
import Postprocessing

/// A tab-separated table of every FSC curve of a post-processing run (or of its FSC phase alone), one row per shell, for
/// spreadsheets and plotting tools.
public enum FSCTable {
    /// The table text, with a header line.
    public static func text(_ r: HalfMapFSCReport) -> String {
        var out = "shell\tfrequency_inv_A\tresolution_A\tfsc_corrected\tfsc_unmasked\tfsc_masked\tfsc_random_masked\tcount\n"
        func v(_ c: FSCCurve?, _ i: Int) -> String {
            guard let c, i < c.shellCount, c.fsc[i].isFinite else { return "" }
            return String(format: "%.6f", c.fsc[i])
        }
        let c = r.fscCorrected
        for i in 0..<c.shellCount {
            let d = c.resolution(i)
            out += "\(i)\t\(String(format: "%.6f", c.frequency[i]))\t\(d.isFinite ? String(format: "%.3f", d) : "inf")\t"
            out += "\(v(c, i))\t\(v(r.fscUnmasked, i))\t\(v(r.fscMasked, i))\t\(v(r.fscRandomizedMasked, i))\t\(String(format: "%.0f", c.count[i]))\n"
        }
        return out
    }
}
