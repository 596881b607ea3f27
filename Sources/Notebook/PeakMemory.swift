import Foundation

/// The process's peak resident memory, per cell.
///
/// Linux keeps a high-water mark of resident memory (VmHWM in /proc/self/status); writing 5 to
/// /proc/self/clear_refs resets it, so a reading after a cell is that cell's peak. Elsewhere
/// (or where the reset is refused) the reading is the process's peak so far.
enum PeakMemory {
    /// Starts a new peak measurement; returns whether the counter could be reset.
    @discardableResult
    static func reset() -> Bool {
        guard let h = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? h.close() }
        do { try h.write(contentsOf: Data("5".utf8)); return true } catch { return false }
    }

    /// Peak resident memory in bytes since the last reset, or nil where unknown.
    static func peakBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            if let kB = digits.first { return kB * 1024 }
        }
        return nil
    }
}
