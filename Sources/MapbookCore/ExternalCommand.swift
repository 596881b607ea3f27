import Foundation

/// Runs another program to its end. Every external command mapbook starts (Slurm's tools, a
/// batch's child tasks) goes through here.
///
/// Both pipes are drained at the same time: reading one to its end before the other deadlocks
/// as soon as the child fills the unread pipe's buffer (64 KiB on Linux) and blocks writing.
public enum ExternalCommand {
    /// What a finished program left behind.
    public struct Result: Sendable {
        /// The exit status, or the signal number when `signalled`.
        public var status: Int32
        /// Whether a signal ended the program.
        public var signalled: Bool
        /// The program's process id (for status records).
        public var processIdentifier: Int32
        /// Standard output, whole (empty when it went to a log file).
        public var stdout: Data
        /// Standard error, whole (empty when it went to a log file).
        public var stderr: Data

        /// Whether the program exited with status 0.
        public var succeeded: Bool { !signalled && status == 0 }
        /// Standard output as text.
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        /// Standard error as text.
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs `executable` (a path) with `arguments` and returns its status and both streams.
    /// `environment` replaces the inherited one when given. Throws when it cannot be started.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        let out = Pipe(), err = Pipe()
        let p = try start(executable, arguments, environment: environment, stdout: out, stderr: err)
        // stderr on a thread of its own while this one reads stdout: neither pipe can fill up.
        let stderrData = Collected()
        let drained = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            stderrData.data = err.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        p.waitUntilExit()
        return result(p, stdout: stdoutData, stderr: stderrData.data)
    }

    /// Runs `executable` with both streams written to the file `log` (replaced when it exists),
    /// interleaved as the program writes them, so a long run's log can be followed while it
    /// grows; the result's streams are empty.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           log: String) throws -> Result {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle: FileHandle
        do { handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log)) }
        catch { throw MapbookError("cannot write the log: \(error.localizedDescription)", path: log) }
        defer { try? handle.close() }
        let p = try start(executable, arguments, environment: environment, stdout: handle, stderr: handle)
        p.waitUntilExit()
        return result(p, stdout: Data(), stderr: Data())
    }

    /// A started process writing to `stdout` and `stderr` (pipes or file handles).
    private static func start(_ executable: String, _ arguments: [String], environment: [String: String]?,
                              stdout: Any, stderr: Any) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let environment { p.environment = environment }
        p.standardOutput = stdout
        p.standardError = stderr
        do { try p.run() } catch { throw MapbookError("cannot run \(executable): \(error.localizedDescription)") }
        return p
    }

    private static func result(_ p: Process, stdout: Data, stderr: Data) -> Result {
        Result(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal,
               processIdentifier: p.processIdentifier, stdout: stdout, stderr: stderr)
    }

    /// The stderr bytes, handed from the reading thread (the semaphore orders the access).
    private final class Collected: @unchecked Sendable { var data = Data() }
}
