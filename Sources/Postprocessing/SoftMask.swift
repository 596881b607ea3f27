import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// How an automatic soft mask is made from a map (RELION's relion_mask_create procedure):
/// low-pass, binarise at a threshold, extend the binary mask, add a raised-cosine edge.
public struct AutoMaskParameters: DeclaredParameters, Equatable {
    /// Low-pass resolution applied before binarising (Å).
    @Parameter("mask_lowpass", .positive, unit: "Å", "automatic mask: low-pass before thresholding",
               source: "RELION relion_mask_create --lowpass (15 Å, as RELION's GUI)")
    public var lowPass = 15.0
    /// Binarisation threshold on the low-passed map; nil chooses one (`SoftMask.automaticThreshold`).
    @Parameter("mask_threshold", "automatic mask: threshold on the low-passed average map",
               source: "RELION relion_mask_create --ini_threshold", defaultMeaning: "chosen from the map", inStarterPlan: false)
    public var threshold: Double? = nil
    /// Voxels by which the binary mask is grown (negative erodes).
    @Parameter("mask_extend", unit: "voxels", "automatic mask: grow the binary mask by this (negative erodes)",
               source: "RELION relion_mask_create --extend_inimask")
    public var extendVoxels = 3.0
    /// Width of the raised-cosine soft edge in voxels.
    @Parameter("mask_edge", .nonNegative, unit: "voxels", "automatic mask: width of the raised-cosine soft edge",
               source: "RELION relion_mask_create --width_soft_edge")
    public var softEdgeVoxels = 6.0

    /// The defaults.
    public init() {}
}

/// Facts about a mask, for reports and sanity checks.
public struct MaskSummary: Sendable, Equatable, Codable {
    /// Fraction of the box where the mask is above 0.5.
    public var fractionAboveHalf: Double
    /// Sum of mask values divided by the voxel count.
    public var meanValue: Double
    /// Whether any voxel on the box faces is above 0.01 (a mask cut by the box edge).
    public var touchesBoxEdge: Bool
    /// The threshold used, when the mask was made here.
    public var threshold: Double?
}

/// Soft masks from maps (RELION's procedure), and checks of supplied ones. The soft edge itself
/// (`SoftMask.fromBinary`) lives in MapModel, so model masks share it.
extension SoftMask {
    /// Builds a soft mask from `spectrum` (the transform of the map to mask, usually the average
    /// of the half maps) with RELION's procedure.
    ///
    /// Extension: a voxel joins the binary mask if its distance to it is < `extendVoxels`
    /// (strict, as RELION). Edge: a voxel at distance d < W from the extended mask gets
    /// 0.5 + 0.5·cos(π d / W).
    public static func make(from spectrum: consuming HalfSpectrum, shells: FourierShells, parameters: AutoMaskParameters) throws -> (mask: Volume, threshold: Double) {
        var lowPassed = spectrum
        shells.apply(SpectralFilter(lowPass: parameters.lowPass), to: &lowPassed)
        let map = FFT.backward(consume lowPassed)
        let threshold = parameters.threshold ?? automaticThreshold(map)
        var binary = [Bool](repeating: false, count: map.grid.count)
        var any = false
        map.voxels.withUnsafeBufferPointer { v in
            for i in 0..<v.count where Double(v[i]) >= threshold { binary[i] = true; any = true }
        }
        guard any else {
            throw MapbookError(String(format: "automatic mask is empty: no voxel of the %.0f Å low-passed map reaches the threshold %.4g; give mask_threshold or a mask file", parameters.lowPass, threshold))
        }
        let mask = fromBinary(binary, grid: map.grid, extendVoxels: parameters.extendVoxels, softEdgeVoxels: parameters.softEdgeVoxels)
        return (mask, threshold)
    }

    /// The threshold used when none is given: the larger of (a) the mean plus 5 standard
    /// deviations of the low-passed map in the box corners (outside the inscribed sphere, where
    /// a centred particle has no density) and (b) 4 % of the map's maximum. (a) sits above
    /// the solvent noise; (b) keeps a flattened, exactly zero solvent (RELION's --zero_mask)
    /// from pulling the threshold to zero.
    public static func automaticThreshold(_ map: Volume) -> Double {
        let n = map.grid.size
        let c = SIMD3<Double>(Double(n.x - 1), Double(n.y - 1), Double(n.z - 1)) / 2
        let r = Double(min(n.x, n.y, n.z)) / 2
        var sum = 0.0, sum2 = 0.0, count = 0.0
        var maxValue = -Double.infinity
        for z in 0..<n.z { for y in 0..<n.y { for x in 0..<n.x {
            let v = Double(map[x, y, z])
            maxValue = max(maxValue, v)
            let d = SIMD3<Double>(Double(x), Double(y), Double(z)) - c
            if (d * d).sum() > r * r { sum += v; sum2 += v * v; count += 1 }
        } } }
        let mean = count > 0 ? sum / count : 0
        let sd = count > 0 ? max(0, sum2 / count - mean * mean).squareRoot() : 0
        return max(mean + 5 * sd, 0.04 * maxValue)
    }

    /// Summary numbers of a mask.
    public static func summary(_ mask: Volume, threshold: Double? = nil) -> MaskSummary {
        let n = mask.grid.size
        let chunks = Parallelism.chunkCount(n.z)
        var parts = [(above: Int, sum: Double, edge: Bool)](repeating: (0, 0, false), count: chunks)
        mask.voxels.withUnsafeBufferPointer { m in
            parts.withUnsafeMutableBufferPointer { out in
                Parallelism.forEachRange(n.z) { c, zr in
                    var above = 0, sum = 0.0, edge = false
                    for z in zr {
                        for y in 0..<n.y {
                            let row = n.x * (y + n.y * z)
                            let faceRow = z == 0 || z == n.z - 1 || y == 0 || y == n.y - 1
                            var rowSum: Float = 0
                            for x in 0..<n.x {
                                let v = m[row + x]
                                above += v > 0.5 ? 1 : 0
                                rowSum += v
                            }
                            sum += Double(rowSum)
                            if faceRow {
                                for x in 0..<n.x where m[row + x] > 0.01 { edge = true }
                            } else if m[row] > 0.01 || m[row + n.x - 1] > 0.01 {
                                edge = true
                            }
                        }
                    }
                    out[c] = (above, sum, edge)
                }
            }
        }
        let count = Double(mask.grid.count)
        return MaskSummary(fractionAboveHalf: Double(parts.map(\.above).reduce(0, +)) / count,
                           meanValue: parts.map(\.sum).reduce(0, +) / count,
                           touchesBoxEdge: parts.contains { $0.edge }, threshold: threshold)
    }
}
