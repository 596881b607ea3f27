import Foundation

/// Paths written into scripts and links as seen from the folder that holds them, so the
/// folder can move with what it points at.
public enum FolderRelativePath {
    /// `target` relative to `directory` ("../cache/ab12/sharpened.mrc"). Both are made absolute
    /// against the current folder and have symbolic links resolved first, so ".." steps up
    /// the folders the file system really has.
    public static func from(directory: String, to target: String) -> String {
        let base = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let dest = URL(fileURLWithPath: target).standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var common = 0
        while common < base.count, common < dest.count, base[common] == dest[common] { common += 1 }
        let parts = Array(repeating: "..", count: base.count - common) + dest[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
