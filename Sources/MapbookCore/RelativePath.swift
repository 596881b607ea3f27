import Foundation

/// Paths written into plans, scripts and links as seen from the folder that holds them, so the
/// folder can move with what it points at.
public enum RelativePath {
    /// `target` relative to `directory` ("../cache/ab12/sharpened.mrc"). Both are made absolute
    /// against the current folder and their folders have symbolic links resolved first, so
    /// ".." steps up the folders the file system really has; the target's own name is kept
    /// (a link stays a link). With `absoluteAcrossRoot`, a target that shares no folder with
    /// `directory` but the root is given absolute, where a chain of ".." would only obscure
    /// (a plan naming /data from /home).
    public static func from(directory: String, to target: String, absoluteAcrossRoot: Bool = false) -> String {
        let base = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let targetURL = URL(fileURLWithPath: target).standardizedFileURL
        let dest = targetURL.deletingLastPathComponent().resolvingSymlinksInPath().pathComponents + [targetURL.lastPathComponent]
        var common = 0
        while common < base.count, common < dest.count, base[common] == dest[common] { common += 1 }
        if absoluteAcrossRoot && common <= 1 { return targetURL.path }
        let parts = Array(repeating: "..", count: base.count - common) + dest[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
