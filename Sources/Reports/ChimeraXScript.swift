import Foundation
import LocalResolution
import MapbookCore

/// ChimeraX command scripts that come with mapbook's outputs.
///
/// Every path is written relative to the script's folder and double-quoted; a path that
/// ChimeraX could not read back as one quoted word (one holding a double quote or a control
/// character, such as a line break that would start a new command) is refused.
public enum ChimeraXScript {
    /// Opens `map` and `resolutionMap` (paths relative to the script's folder) and colours the
    /// map's surface by the local resolution sampled on it (`palette`).
    public static func localResolution(map: String, resolutionMap: String, summary: MonoResSummary) throws -> String {
        let colours = LocalResolutionPalette(percentile5: summary.percentile5, percentile95: summary.percentile95)
        return """
        # mapbook: colour \(try quoted(map)) by MonoRes local resolution (Å).
        # Median \(String(format: "%.2f", summary.median)) Å; 5–95 %: \(String(format: "%.2f", summary.percentile5))–\(String(format: "%.2f", summary.percentile95)) Å.
        open \(try quoted(map))
        open \(try quoted(resolutionMap))
        volume #2 hide
        color sample #1 map #2 palette \(colours.palette)
        key \(colours.key)

        """
    }

    /// `path` in double quotes, as a ChimeraX command reads one file name.
    public static func quoted(_ path: String) throws -> String {
        guard !path.contains("\""), !path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw MapbookError("a ChimeraX script cannot name this file (its name holds a double quote or a control character)", path: path)
        }
        return "\"\(path)\""
    }
}

/// The colours of local resolution on a surface, as ResMap and the Scipion MonoRes viewer show
/// it: best resolution blue, middle white, worst red, over the 5th–95th percentile of the
/// assigned values rounded out to 0.1 Å.
public struct LocalResolutionPalette: Sendable {
    /// Low end (Å, blue).
    public var low: Double
    /// High end (Å, red).
    public var high: Double

    /// The palette for values whose 5th and 95th percentiles are given (Å).
    public init(percentile5: Double, percentile95: Double) {
        low = (percentile5 * 10).rounded(.down) / 10
        high = max(low + 0.1, (percentile95 * 10).rounded(.up) / 10)
    }

    /// The middle of the range (Å, white).
    public var middle: Double { (low + high) / 2 }

    /// The `palette` argument of `color sample`.
    public var palette: String {
        String(format: "%.1f,blue:%.1f,white:%.1f,red", low, middle, high)
    }

    /// The arguments of `key`: the colour bar in Å.
    public var key: String {
        String(format: "blue:%.1fÅ white:%.1fÅ red:%.1fÅ", low, middle, high)
    }
}
