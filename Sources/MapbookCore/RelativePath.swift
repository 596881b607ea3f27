import Foundation

/// Relative paths between folders, for plans that stay valid when their folder moves.
public enum RelativePath {
    /// The path of `target` relative to the folder `base` (both absolute); absolute when the
    /// two share no folder but the root, where a relative path would only obscure.
    public static func from(_ base: URL, to target: URL) -> String {
        let b = base.pathComponents, t = target.pathComponents
        var common = 0
        while common < b.count && common < t.count && b[common] == t[common] { common += 1 }
        if common <= 1 { return target.path }
        let ups = Array(repeating: "..", count: b.count - common)
        let parts = ups + t[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
