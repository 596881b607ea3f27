import Foundation

/// The process's resident memory, from Linux's /proc/self/status.
///
/// Linux keeps a high-water mark of resident memory (VmHWM); writing 5 to /proc/self/clear_refs
/// resets it, so a reading after a piece of work is that work's peak. Elsewhere (or where the
/// reset is refused) readings are nil, or the process's peak so far.
public enum ResidentMemory {
    /// Starts a new peak measurement; returns whether the counter could be reset.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let h = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? h.close() }
        do { try h.write(contentsOf: Data("5".utf8)); return true } catch { return false }
    }

    /// Peak resident memory in bytes since the last reset, or nil where unknown.
    public static func peakBytes() -> Int? { statusField("VmHWM:") }

    /// Resident memory now, in bytes, or nil where unknown.
    public static func currentBytes() -> Int? { statusField("VmRSS:") }

    /// Whether progress lines in a log carry the memory (`MAPBOOK_LOG_MEMORY=1`): for finding
    /// which step of a long job sets its peak, on a cluster node as on a laptop.
    public static let logged = ProcessInfo.processInfo.environment["MAPBOOK_LOG_MEMORY"] == "1"

    /// " [resident X MiB, peak Y MiB]" for a log line.
    static var logSuffix: String {
        let mib = { (b: Int?) in b.map { String($0 >> 20) } ?? "?" }
        return " [resident \(mib(currentBytes())) MiB, peak \(mib(peakBytes())) MiB]"
    }

    /// A "kB" line of /proc/self/status, in bytes.
    private static func statusField(_ prefix: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            if let kB = line.split(separator: " ").compactMap({ Int($0) }).first { return kB * 1024 }
        }
        return nil
    }
}
