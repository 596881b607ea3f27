import Foundation

/// Whether a map looks masked (or solvent-flattened), and the two measurements behind the
/// answer. EMDB asks for *unmasked* half maps (policy 3.1.1); a masked half map shows either
/// many voxels that are exactly zero, or almost no noise near the box faces.
///
/// - `zeroFraction`: the share of voxels exactly 0. Noise in an unmasked map is continuous, so
///   exact zeros are rare; more than 1 % means a mask (or a hard threshold) set them.
/// - `edgeRMSRatio`: the standard deviation of the voxels in a slab along the six box faces
///   (a tenth of the box, at least 2 voxels thick) over the whole map's rms. Below 5 % the
///   faces are flat: a soft mask or solvent flattening removed the noise there.
public struct MaskingEvidence: Sendable, Equatable, Codable {
    /// Share of voxels exactly 0.
    public var zeroFraction: Double
    /// Standard deviation in the face slabs over the whole map's rms (NaN for an all-zero map).
    public var edgeRMSRatio: Double

    /// `zeroFraction` above which a map counts as masked.
    public static let maximumZeroFraction = 0.01
    /// `edgeRMSRatio` below which a map counts as masked.
    public static let minimumEdgeRMSRatio = 0.05

    /// Measures `map`.
    public init(_ map: Volume) {
        let n = map.grid.size
        let t = max(2, min(n.x, n.y, n.z) / 10)
        var zeros = 0
        var sum = 0.0, sumSquares = 0.0, count = 0
        map.voxels.withUnsafeBufferPointer { v in
            var i = 0
            for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
                let value = v[i]; i += 1
                if value == 0 { zeros += 1 }
                if x < t || y < t || z < t || x >= n.x - t || y >= n.y - t || z >= n.z - t {
                    sum += Double(value); sumSquares += Double(value) * Double(value); count += 1
                }
            } } }
        }
        zeroFraction = Double(zeros) / Double(max(1, map.grid.count))
        let mean = sum / Double(max(1, count))
        let edgeSD = max(0, sumSquares / Double(max(1, count)) - mean * mean).squareRoot()
        let rms = map.statistics.rms
        edgeRMSRatio = rms > 0 ? edgeSD / rms : .nan
    }

    /// Whether the map looks masked by either measure.
    public var looksMasked: Bool {
        zeroFraction > Self.maximumZeroFraction || !(edgeRMSRatio >= Self.minimumEdgeRMSRatio)
    }

    /// The measurements in words.
    public var description: String {
        String(format: "%.1f %% of voxels exactly 0 (masked above %.0f %%); noise at the box faces %.1f %% of the map's rms (masked below %.0f %%)",
               100 * zeroFraction, 100 * Self.maximumZeroFraction, 100 * edgeRMSRatio, 100 * Self.minimumEdgeRMSRatio)
    }
}
