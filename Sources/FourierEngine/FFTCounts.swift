import Foundation

/// How many 3-D transforms this process has run, by box shape and direction: what the
/// benchmark's FFT floor multiplies by the time of one transform.
public enum FFTCounts {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var counts: [String: Int] = [:]

    /// Counts one transform.
    static func add(_ size: SIMD3<Int>, _ direction: FFTDirection) {
        let key = name(size, direction)
        lock.lock(); defer { lock.unlock() }
        counts[key, default: 0] += 1
    }

    /// "256x256x256 r2c" or "… c2r".
    public static func name(_ size: SIMD3<Int>, forward: Bool) -> String {
        "\(size.x)x\(size.y)x\(size.z) \(forward ? "r2c" : "c2r")"
    }

    static func name(_ size: SIMD3<Int>, _ direction: FFTDirection) -> String { name(size, forward: direction == .forward) }

    /// The counts so far, by `name`.
    public static var snapshot: [String: Int] {
        lock.lock(); defer { lock.unlock() }
        return counts
    }
}
