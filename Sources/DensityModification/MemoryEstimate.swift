import Foundation
import MapbookCore
import MapModel

/// How much memory density modification needs on a grid, and whether the machine has it.
///
/// The halves are processed one after the other, so the peak does not grow with `--threads`:
/// it is the original and combined spectra of both halves, the two modified spectra, the map
/// being modified, its local-rms work map, its mask and a spare (a model adds two spectra, the
/// model map of each half), plus the two output half maps and the final map at the end, all of
/// one map's size (4 bytes a voxel; a half spectrum is the same to within 1/nx). Per-thread
/// scratch is a few shell accumulators and one line of the distance transform: negligible.
///
/// Building the model ensembles comes before the cycles and needs less: besides the original
/// spectra and the half-map difference, a copy of one half's spectrum and its low-passed map
/// (for the refinement's smoothed maps, then kept only around the model), the ensemble's sum,
/// one member's map and its spectrum, and the first half's finished model spectrum — about
/// nine maps. The refinement's own arrays (a few per atom) are negligible.
public struct MemoryEstimate: Sendable, Equatable, Codable {
    /// Bytes the run needs at its peak.
    public var required: UInt64
    /// Bytes of physical memory available.
    public var available: UInt64

    /// Map-sized buffers held at the peak.
    public static func buffers(withModel: Bool) -> Int { withModel ? 14 : 12 }

    /// The estimate for `grid`; `available` nil reads the system (MemAvailable on Linux,
    /// physical memory elsewhere).
    public init(grid: VoxelGrid, withModel: Bool, available: UInt64? = nil) {
        let perMap = UInt64(grid.count) * 4
        required = perMap * UInt64(Self.buffers(withModel: withModel)) + 64 << 20
        self.available = available ?? Self.systemAvailable()
    }

    /// Whether the run fits.
    public var fits: Bool { required <= available }

    /// A one-line refusal naming both numbers and what to do.
    public var refusal: String {
        String(format: "density modification of this box needs about %.1f GB of memory, but only %.1f GB is available; crop the half maps to a box about 1.3× the molecule (which also makes the solvent fraction meaningful), bin them, or run on a machine with more memory",
               Double(required) / 1e9, Double(available) / 1e9)
    }

    /// Physical memory available to a new allocation now.
    public static func systemAvailable() -> UInt64 {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
                let parts = line.split(separator: " ")
                if parts.count >= 2, let kb = UInt64(parts[1]) { return kb * 1024 }
            }
        }
        #endif
        return ProcessInfo.processInfo.physicalMemory
    }
}
