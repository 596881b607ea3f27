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

    /// How long a command's first progress is held back (seconds). A command that fails on
    /// bad input within this time prints its one-line error and nothing else; work that goes
    /// on longer shows the held lines (with their own times) as soon as it passes this mark.
    public static let holdBack: TimeInterval = 1.0
    /// Whether progress lines are held back at first (the command line turns it on; library
    /// use prints at once).
    nonisolated(unsafe) public static var holdsEarlyLines = false
    /// Lines held back, and whether the hold is over.
    private var held: [String] = []
    private var holding: Bool
    /// Every reporter made while lines are held, so the command line can release or drop
    /// their held lines when the command ends.
    nonisolated(unsafe) private static var live: [ProgressReporter] = []
    private static let liveLock = NSLock()

    /// A reporter that picks its style from stderr: a TTY (and TERM not dumb) redraws a line.
    public init(style: Style? = nil) {
        let env = ProcessInfo.processInfo.environment
        let tty = isatty(STDERR_FILENO) != 0 && env["TERM"] != "dumb"
        self.style = style ?? (tty ? .terminal : .log)
        holding = Self.holdsEarlyLines && self.style != .silent
        if holding { Self.liveLock.lock(); Self.live.append(self); Self.liveLock.unlock() }
    }

    /// Writes `text` to stderr now, or keeps it while the hold lasts. Called with the lock held.
    private func emit(_ text: String) {
        if holding && Date().timeIntervalSince(start) < Self.holdBack {
            held.append(text)
            return
        }
        releaseHeld()
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Ends the hold, writing what was held. Called with the lock held.
    private func releaseHeld() {
        guard holding else { return }
        holding = false
        // On a terminal only the last redrawn line matters.
        let lines = style == .terminal ? Array(held.suffix(1)) : held
        for text in lines { FileHandle.standardError.write(Data(text.utf8)) }
        held.removeAll()
    }

    /// At the end of a successful command: writes every held line.
    public static func releaseAll() {
        liveLock.lock(); let all = live; live.removeAll(); liveLock.unlock()
        for r in all { r.lock.lock(); r.releaseHeld(); r.lock.unlock() }
    }

    /// At the end of a failed command: drops held lines, so an early error stands alone, and
    /// clears a status line left open on a terminal.
    public static func dropAll() {
        liveLock.lock(); let all = live; live.removeAll(); liveLock.unlock()
        for r in all {
            r.lock.lock()
            r.held.removeAll()
            r.holding = false
            if r.style == .terminal && r.lineOpen {
                FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
                r.lineOpen = false
            }
            r.lock.unlock()
        }
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
            let memory = ResidentMemory.logged ? ResidentMemory.logSuffix : ""
            emit("\(Self.timestamp()) \(elapsed) \(message)\(memory)\n")
        case .terminal:
            let elapsed = String(format: "%6.1fs", Date().timeIntervalSince(start))
            emit("\r\u{1B}[2K[\(elapsed)] \(message)")
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
        emit("\r\u{1B}[2K[\(elapsed)] \(message) \(pct)%")
        lineOpen = true
    }

    /// Ends the redrawn line so later output starts on a fresh line.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if style == .terminal && lineOpen {
            // While lines are held nothing is on screen yet: the line closes when they are released.
            if holding { held.append("\n") } else { FileHandle.standardError.write(Data("\n".utf8)) }
            lineOpen = false
        }
    }

    /// A warning the user should read; always printed on its own line.
    public func warn(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        if style == .silent { return }
        // A warning is a result, never held: what was held comes out first, in order.
        releaseHeld()
        if lineOpen { FileHandle.standardError.write(Data("\n".utf8)); lineOpen = false }
        FileHandle.standardError.write(Data("mapbook: warning: \(message)\n".utf8))
    }

    /// Something the user may want to know that is not a problem (a setting adjusted);
    /// printed on its own line.
    public func note(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        if style == .silent { return }
        releaseHeld()
        if lineOpen { FileHandle.standardError.write(Data("\n".utf8)); lineOpen = false }
        FileHandle.standardError.write(Data("mapbook: note: \(message)\n".utf8))
    }

    /// In UTC, as every other time mapbook writes (a log of a batch gathers lines from hosts
    /// in different zones).
    static func timestamp() -> String { UTCTime.string(Date(), .iso) }
}
