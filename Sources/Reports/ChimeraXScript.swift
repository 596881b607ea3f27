import Foundation
import LocalResolution

/// ChimeraX command scripts that come with mapbook's outputs.
public enum ChimeraXScript {
    /// Opens `map` and `resolutionMap` (paths relative to the script's folder) and colours the
    /// map's surface by the local resolution sampled on it, best resolution blue, as ResMap and
    /// the Scipion MonoRes viewer do; the range is the 5th–95th percentile of the assigned values.
    public static func localResolution(map: String, resolutionMap: String, summary: MonoResSummary) -> String {
        let lo = (summary.percentile5 * 10).rounded(.down) / 10
        let hi = max(lo + 0.1, (summary.percentile95 * 10).rounded(.up) / 10)
        let mid = (lo + hi) / 2
        return """
        # mapbook: colour \(map) by MonoRes local resolution (Å).
        # Median \(String(format: "%.2f", summary.median)) Å; 5–95 %: \(String(format: "%.2f", summary.percentile5))–\(String(format: "%.2f", summary.percentile95)) Å.
        open \(map)
        open \(resolutionMap)
        volume #2 hide
        color sample #1 map #2 palette \(String(format: "%.1f", lo)),blue:\(String(format: "%.1f", mid)),white:\(String(format: "%.1f", hi)),red
        key blue:\(String(format: "%.1f", lo))Å white:\(String(format: "%.1f", mid))Å red:\(String(format: "%.1f", hi))Å

        """
    }
}
