import Foundation

/// Where the tests find the real cryo-EM data that ships beside the repository.
///
/// One setting: the environment variable `MAPBOOK_DATA`, which defaults to `../shared/data`
/// next to the package root. Tests that need a file are skipped, with the reason printed, when
/// it is absent.
public enum SharedData {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The data folder in use.
    public static let directory: URL = {
        if let env = ProcessInfo.processInfo.environment["MAPBOOK_DATA"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    /// The path of `relative` inside the data folder, or nil (with a printed reason) when absent.
    public static func path(_ relative: String) -> String? {
        let p = directory.appendingPathComponent(relative).path
        if FileManager.default.fileExists(atPath: p) { return p }
        print("skipping: \(p) not found (set MAPBOOK_DATA to the shared data folder)")
        return nil
    }

    /// Whether `relative` exists in the data folder (for `.enabled(if:)` traits).
    public static func has(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(relative).path)
    }

    /// Path of a file under the repository's fixtures/ folder.
    public static func fixture(_ relative: String) -> String {
        packageRoot.appendingPathComponent("fixtures").appendingPathComponent(relative).path
    }
}

/// A fresh temporary folder, removed by `cleanup()`.
public struct TemporaryDirectory {
    /// The folder's path.
    public let path: String

    /// Creates a new empty folder under the system temporary folder.
    public init() {
        let p = NSTemporaryDirectory() + "mapbook-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        path = p
    }

    /// `path/name`.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Removes the folder and everything in it.
    public func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}
