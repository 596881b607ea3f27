import Foundation

/// Running helper programs (Python reference scripts) from tests.
public enum ExternalTool {
    /// What a finished program left behind.
    public struct Result {
        /// Exit status.
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
    }

    /// Runs `executable` (looked up on PATH) with `arguments`; nil when it cannot be started.
    public static func run(_ executable: String, _ arguments: [String]) -> Result? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [executable] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { return nil }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }

    /// Whether `python3` can import `module`; prints why not (the test is then skipped).
    public static func pythonHas(_ module: String) -> Bool {
        guard let r = run("python3", ["-c", "import \(module)"]) else {
            print("skipping: python3 is not available")
            return false
        }
        if r.status != 0 {
            print("skipping: python3 cannot import \(module) (pip install \(module))")
            return false
        }
        return true
    }
}
