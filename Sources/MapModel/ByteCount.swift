import Foundation

/// Sizes in messages, always in binary units: "240 bytes", "3.4 KiB", "1.2 MiB", "4.0 GiB".
enum ByteCount {
    /// `bytes` in the largest binary unit that keeps the number at 1 or more, one decimal.
    static func text(_ bytes: Int) -> String { text(UInt64(max(0, bytes))) }

    /// `bytes` in the largest binary unit that keeps the number at 1 or more, one decimal.
    static func text(_ bytes: UInt64) -> String {
        if bytes < 1 << 10 { return "\(bytes) byte\(bytes == 1 ? "" : "s")" }
        let units: [(String, UInt64)] = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        let (name, size) = units.first { bytes >= $0.1 }!
        return String(format: "%.1f", Double(bytes) / Double(size)) + " " + name
    }
}
