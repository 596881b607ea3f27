import Foundation

/// How many 3-D transforms this process has run, by box shape and direction: what the
/// benchmark's FFT floor multiplies by the time of one transform. A band-limited transform
/// (`LinePassFFT`) counts as the fraction of a full one whose 1-D work it does.
public enum FFTCounts {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var counts: [String: Double] = [:]

    /// Counts one transform, or the `fraction` of one that a band-limited transform does.
    static func add(_ size: SIMD3<Int>, _ direction: FFTDirection, fraction: Double = 1) {
        let key = name(size, direction)
        lock.lock(); defer { lock.unlock() }
        counts[key, default: 0] += fraction
    }

    /// "256x256x256 r2c" or "… c2r".
    public static func name(_ size: SIMD3<Int>, forward: Bool) -> String {
        "\(size.x)x\(size.y)x\(size.z) \(forward ? "r2c" : "c2r")"
    }

    static func name(_ size: SIMD3<Int>, _ direction: FFTDirection) -> String { name(size, forward: direction == .forward) }

    /// The counts so far, by `name`.
    public static var snapshot: [String: Double] {
        lock.lock(); defer { lock.unlock() }
        return counts
    }
}
