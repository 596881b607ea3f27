import Foundation
import FourierEngine

/// The FSC file format EMDB takes with a deposition (the one relion_postprocess writes as
/// `_fsc.xml`): one `<coordinate>` per shell with x = spatial frequency (Å⁻¹) and y = FSC.
public enum EMDBFSCXML {
    /// The XML text for `curve`. Shell 0 and shells with no value are left out.
    public static func document(_ curve: FSCCurve, title: String) -> String {
        var out = "<fsc title=\"\(escape(title))\" xaxis=\"Resolution (A-1)\" yaxis=\"Correlation Coefficient\">\n"
        for i in 1..<curve.shellCount where curve.fsc[i].isFinite {
            out += "  <coordinate>\n"
            out += "    <x>\(String(format: "%.6f", curve.frequency[i]))</x>\n"
            out += "    <y>\(String(format: "%.6f", curve.fsc[i]))</y>\n"
            out += "  </coordinate>\n"
        }
        out += "</fsc>\n"
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
