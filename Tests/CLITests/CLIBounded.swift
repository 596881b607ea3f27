import Foundation

extension CLI {
    /// Runs the binary as `run` does, but kills it after `timeout` seconds; `timedOut` says
    /// whether it had to be killed (an input that makes mapbook hang, such as a FIFO).
    ///
    /// Output goes to temporary files and the process is polled, so no thread blocks on a
    /// pipe: with many tests at once, blocked dispatch threads could starve the watchdog. The
    /// kill is SIGKILL because a child of the test process may start with SIGTERM blocked.
    static func run(_ args: [String], timeout: TimeInterval) throws -> (result: Result, timedOut: Bool) {
        let folder = NSTemporaryDirectory() + "mapbook-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outPath = folder + "/stdout", errPath = folder + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while p.isRunning {
            if Date() > deadline {
                timedOut = true
                kill(p.processIdentifier, SIGKILL)
                break
            }
            usleep(20_000)
        }
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (Result(status: p.terminationStatus, stdout: stdout, stderr: stderr), timedOut)
    }
}
