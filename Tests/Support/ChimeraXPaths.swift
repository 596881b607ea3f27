import Foundation

/// The files a ChimeraX script opens, for tests that check each exists relative to the script.
public enum ChimeraXPaths {
    /// The argument of every `open` line of `script` (quotes removed).
    public static func opened(in script: String) -> [String] {
        script.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("open ") else { return nil }
            var arg = line.dropFirst("open ".count).trimmingCharacters(in: .whitespaces)
            if arg.hasPrefix("\""), arg.hasSuffix("\""), arg.count >= 2 { arg = String(arg.dropFirst().dropLast()) }
            return arg
        }
    }

    /// The opened paths of the script at `path` that do not exist relative to its folder (or
    /// that are absolute, which a script that moves with its folder must not use).
    public static func missing(script path: String) throws -> [String] {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return opened(in: try String(contentsOfFile: path, encoding: .utf8)).filter { p in
            p.hasPrefix("/") || !FileManager.default.fileExists(atPath: folder + "/" + p)
        }
    }
}
