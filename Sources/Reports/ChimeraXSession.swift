import Foundation

/// The ChimeraX script of a report (`chimerax/session.cxc`): the report's maps, each at its
/// recommended contour level, the main one shown and coloured by local resolution when the
/// report has a local-resolution map, and the atomic model when the dataset has one.
///
/// Models are numbered in the order they are opened: the maps #1…#n, then the local-resolution
/// map and its copy with the median outside the mask, then the model.
public struct ChimeraXSession: Sendable {
    /// A map the script opens.
    public struct Map: Sendable {
        /// Path relative to the script's folder.
        public var path: String
        /// What it is ("postprocess.sharpened").
        public var name: String
        /// The contour level, and how it was chosen; nil leaves ChimeraX's own level.
        public var level: (value: Float, explanation: String)?
        /// Whether the surface is shown (one map is; the others are opened hidden).
        public var shown: Bool

        /// A map entry.
        public init(path: String, name: String, level: (value: Float, explanation: String)?, shown: Bool) {
            self.path = path; self.name = name; self.level = level; self.shown = shown
        }
    }

    /// Local resolution to colour the shown map with.
    public struct Colouring: Sendable {
        /// Path of the local-resolution map (Å inside the mask, 0 outside), relative to the script.
        public var path: String
        /// What it is ("localres.resolution_map").
        public var name: String
        /// The colours.
        public var palette: LocalResolutionPalette
        /// The median local resolution (Å): the value given to voxels outside the mask, so the
        /// surface beyond the mask is white rather than coloured as the best resolution.
        public var median: Double

        /// A colouring.
        public init(path: String, name: String, palette: LocalResolutionPalette, median: Double) {
            self.path = path; self.name = name; self.palette = palette; self.median = median
        }
    }

    /// The maps, in the order they are opened.
    public var maps: [Map]
    /// The local-resolution colouring of the shown map, when there is one.
    public var colouring: Colouring?
    /// The atomic model's path relative to the script, when there is one.
    public var model: String?
    /// Lines of comment at the top (the report's title, notes).
    public var notes: [String]

    /// A session.
    public init(maps: [Map], colouring: Colouring?, model: String?, notes: [String]) {
        self.maps = maps; self.colouring = colouring; self.model = model; self.notes = notes
    }

    /// Every path the script opens, relative to its folder.
    public var paths: [String] { maps.map(\.path) + (colouring.map { [$0.path] } ?? []) + (model.map { [$0] } ?? []) }

    /// The script text.
    public func script() throws -> String {
        var lines = notes.map { "# " + $0.replacingOccurrences(of: "\n", with: " ") }
        lines.append("# Open with: chimerax session.cxc (paths are relative to this file's folder).")
        for (i, m) in maps.enumerated() {
            let id = i + 1
            lines.append("open \(try ChimeraXScript.quoted(m.path))")
            if let level = m.level {
                lines.append("# #\(id) \(m.name): level \(String(format: "%.6g", level.value)): \(level.explanation)")
                lines.append("volume #\(id) level \(String(format: "%.6g", level.value)) style surface")
            } else {
                lines.append("# #\(id) \(m.name)")
            }
            if !m.shown { lines.append("volume #\(id) hide") }
        }
        var next = maps.count + 1
        if let c = colouring, let shown = maps.firstIndex(where: \.shown) {
            let raw = next, filled = next + 1
            next += 2
            lines.append("# #\(raw) \(c.name): local resolution (Å), 0 outside the mask; #\(filled) is the same with the median outside")
            lines.append("open \(try ChimeraXScript.quoted(c.path))")
            lines.append("volume #\(raw) hide")
            lines.append(String(format: "volume threshold #%d minimum 0.001 set %.2f modelId %d", raw, c.median, filled))
            lines.append("volume #\(filled) hide")
            lines.append("color sample #\(shown + 1) map #\(filled) palette \(c.palette.palette)")
            lines.append("key \(c.palette.key)")
        }
        if let model {
            lines.append("# #\(next) the atomic model")
            lines.append("open \(try ChimeraXScript.quoted(model))")
        }
        lines.append("view")
        return lines.joined(separator: "\n") + "\n"
    }
}
