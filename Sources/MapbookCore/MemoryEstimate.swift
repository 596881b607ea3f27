import Foundation

/// How much memory a piece of work needs at its peak, and whether the machine has it.
///
/// Every command and cell estimates its peak from the map headers before it reads or
/// computes anything large: a fixed overhead plus a number of map-sized float32 buffers (the
/// algorithm's own count, measured as peak resident memory at two box sizes; see each
/// algorithm's `peakMapCopies`). Work that would not fit is refused in one line naming both
/// numbers in GiB, rather than exhausting the machine half-way.
///
/// What counts as available: Linux's MemAvailable, lowered to the cgroup's limit less its
/// usage where one is set (a Slurm job's `--mem`), else the physical memory. The setting
/// `MemoryEstimate.availableOverride` (the CLI's `--max-memory`, or `MAPBOOK_MAX_MEMORY` in
/// GiB) replaces that reading: to allow swap, or to keep a job below a share of the machine.
public struct MemoryEstimate: Sendable, Equatable, Codable {
    /// What the work is ("postprocess", "cell 'localres' (local_resolution)").
    public var work: String
    /// Bytes the work needs at its peak.
    public var required: UInt64
    /// Bytes available to it.
    public var available: UInt64

    /// Bytes beyond the maps: the runtime, FFTW's plans, per-thread scratch.
    public static let fixedBytes: UInt64 = 96 << 20

    /// Available memory in bytes instead of the system's reading (nil: read the system).
    nonisolated(unsafe) public static var availableOverride: UInt64? = {
        guard let text = ProcessInfo.processInfo.environment["MAPBOOK_MAX_MEMORY"], let gib = Double(text), gib > 0, gib.isFinite else { return nil }
        return UInt64(gib * 1_073_741_824)
    }()

    /// The estimate for work holding `mapCopies` float32 buffers of `voxels` voxels at its
    /// peak; `available` nil reads the system (or the override).
    public init(work: String, voxels: Int, mapCopies: Double, available: UInt64? = nil) {
        self.work = work
        required = UInt64((Double(voxels) * 4 * mapCopies).rounded(.up)) + Self.fixedBytes
        self.available = available ?? Self.availableOverride ?? Self.systemAvailable()
    }

    /// Whether the work fits.
    public var fits: Bool { required <= available }

    /// "needs about 1.2 GiB of the 20.3 GiB available".
    public var summary: String {
        "\(work) needs about \(Self.gib(required)) of the \(Self.gib(available)) available"
    }

    /// A one-line refusal naming both numbers and the ways out; `advice` adds a remedy
    /// specific to the work.
    public func refusal(advice: String? = nil) -> String {
        "\(work) needs about \(Self.gib(required)) of memory, but only \(Self.gib(available)) is available; "
            + (advice.map { $0 + ", or " } ?? "")
            + "run on a machine with more memory (MAPBOOK_MAX_MEMORY=GiB overrides the check)"
    }

    /// Throws the refusal (about `path`, when given) unless the work fits.
    public func requireFits(path: String? = nil, advice: String? = nil) throws {
        guard fits else { throw MapbookError(refusal(advice: advice), path: path) }
    }

    /// Bytes in GiB with two significant decimals: "0.43 GiB", "12.1 GiB".
    public static func gib(_ bytes: UInt64) -> String {
        let g = Double(bytes) / 1_073_741_824
        return String(format: g < 10 ? "%.2f GiB" : "%.1f GiB", g)
    }

    /// Physical memory available to a new allocation now.
    public static func systemAvailable() -> UInt64 {
        var available = ProcessInfo.processInfo.physicalMemory
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
                let parts = line.split(separator: " ")
                if parts.count >= 2, let kb = UInt64(parts[1]) { available = kb * 1024 }
            }
        }
        if let limit = cgroupRoom(), limit < available { available = limit }
        #endif
        return available
    }

    /// Room left under this process's cgroup v2 memory limit (limit less current usage), when
    /// a limit is set.
    static func cgroupRoom() -> UInt64? {
        guard let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8),
              let line = membership.split(separator: "\n").first(where: { $0.hasPrefix("0::") }) else { return nil }
        let folder = "/sys/fs/cgroup" + line.dropFirst(3)
        func number(_ file: String) -> UInt64? {
            (try? String(contentsOfFile: folder + "/" + file, encoding: .utf8)).flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        guard let limit = number("memory.max") else { return nil }   // "max": no limit
        let used = number("memory.current") ?? 0
        return limit > used ? limit - used : 0
    }
}
