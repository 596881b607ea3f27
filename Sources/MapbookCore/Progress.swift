import Foundation

/// Progress of long work, on stderr.
///
/// On a terminal it redraws one status line (at most ten times a second); elsewhere (a Slurm
/// log, a pipe) it prints plain timestamped lines, one per step, with no carriage returns.
public final class ProgressReporter: @unchecked Sendable {
    /// Where the reporter writes and in which style.
    public enum Style: Sendable { case terminal, log, silent }

    /// The style in use.
    public let style: Style
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private let start = Date()
    private var lineOpen = false

    /// A reporter that picks its style from stderr: a TTY (and TERM not dumb) redraws a line.
    public init(style: Style? = nil) {
        if let style { self.style = style; return }
        let env = ProcessInfo.processInfo.environment
        let tty = isatty(STDERR_FILENO) != 0 && env["TERM"] != "dumb"
        self.style = tty ? .terminal : .log
    }

    /// A reporter that prints nothing (library use and tests).
    public static let silent = ProgressReporter(style: .silent)

    /// Reports that `step` has started or finished (a durable line in logs).
    public func step(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        switch style {
        case .silent: return
        case .log:
            let elapsed = String(format: "%8.3fs", Date().timeIntervalSince(start))
            FileHandle.standardError.write(Data("\(Self.timestamp()) \(elapsed) \(message)\n".utf8))
        case .terminal:
            let elapsed = String(format: "%6.1fs", Date().timeIntervalSince(start))
            FileHandle.standardError.write(Data("\r\u{1B}[2K[\(elapsed)] \(message)".utf8))
            lineOpen = true
            lastDraw = Date()
        }
    }

    /// Reports fractional progress within a step; throttled, and only drawn on a terminal.
    public func update(_ message: String, fraction: Double) {
        guard style == .terminal else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let pct = Int((fraction * 100).rounded())
        let elapsed = String(format: "%6.1fs", now.timeIntervalSince(start))
        FileHandle.standardError.write(Data("\r\u{1B}[2K[\(elapsed)] \(message) \(pct)%".utf8))
        lineOpen = true
    }

    /// Ends the redrawn line so later output starts on a fresh line.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if style == .terminal && lineOpen {
            FileHandle.standardError.write(Data("\n".utf8))
            lineOpen = false
        }
    }

    /// A warning the user should read; always printed on its own line.
    public func warn(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        if style == .silent { return }
        if lineOpen { FileHandle.standardError.write(Data("\n".utf8)); lineOpen = false }
        FileHandle.standardError.write(Data("mapbook: warning: \(message)\n".utf8))
    }

    /// Something the user may want to know that is not a problem (a setting adjusted);
    /// printed on its own line.
    public func note(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        if style == .silent { return }
        if lineOpen { FileHandle.standardError.write(Data("\n".utf8)); lineOpen = false }
        FileHandle.standardError.write(Data("mapbook: note: \(message)\n".utf8))
    }

    /// In UTC, as every other time mapbook writes (a log of a batch gathers lines from hosts
    /// in different zones).
    static func timestamp() -> String { UTCTime.string(Date(), .iso) }
}
