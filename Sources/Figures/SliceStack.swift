import Foundation
import MapModel

/// A map at reduced size and precision for the report's slice browser: the volume averaged
/// down to at most a given number of voxels (box averages, the same factor on every axis) and
/// stored as one byte per voxel, x fastest. Byte 0 stands for `lower` and 255 for `upper`,
/// values in standard deviations of the map about its mean, so the browser can show every
/// map on one linked grey scale.
public struct SliceStack: Codable, Sendable, Equatable {
    /// What the map is ("sharpened").
    public var label: String
    /// Voxels along x, y and z after reduction.
    public var size: SIMD3<Int>
    /// Voxel size after reduction (Å).
    public var voxelSize: SIMD3<Double>
    /// The value (σ) byte 0 stands for.
    public var lower: Double
    /// The value (σ) byte 255 stands for.
    public var upper: Double
    /// One byte per voxel, x fastest (JSON: base64).
    public var bytes: Data

    /// Voxels a cell keeps per map: 64³. The report reduces further to its budget.
    public static let cellVoxelLimit = 64 * 64 * 64
    /// What the report's embedded slices may weigh in all, in bytes of base64 text: 300 kB
    /// (a 100³ report must stay under 10 MB with everything else it holds).
    public static let reportBudgetBytes = 300_000
    /// Percentiles of the map that bytes 0 and 255 stand for: the extreme 0.1 % are clipped.
    public static let clipPercentiles = (0.1, 99.9)

    /// The stack of `volume`, standardised (mean 0, standard deviation 1) and averaged down to
    /// at most `maxVoxels` voxels.
    public static func of(_ volume: Volume, label: String, maxVoxels: Int = cellVoxelLimit) -> SliceStack {
        let s = volume.statistics
        let mean = s.mean, sd = s.rms > 0 ? s.rms : 1
        let (size, values) = VolumeReduction.boxAverage(Array(volume.voxels), size: volume.grid.size, maxVoxels: maxVoxels)
        let standardized = values.map { (Double($0) - mean) / sd }
        let sorted = standardized.filter(\.isFinite).sorted().map { Float($0) }
        var lo = Percentiles.of(sorted: sorted, clipPercentiles.0), hi = Percentiles.of(sorted: sorted, clipPercentiles.1)
        if !(hi > lo) { lo = lo.isFinite ? lo - 1 : -1; hi = lo + 2 }
        let voxel = volume.grid.voxelSize * SIMD3(Double(volume.grid.size.x) / Double(size.x), Double(volume.grid.size.y) / Double(size.y),
                                                    Double(volume.grid.size.z) / Double(size.z))
        return SliceStack(label: label, size: size, voxelSize: voxel, lower: lo, upper: hi,
                          bytes: quantize(standardized, lower: lo, upper: hi))
    }

    /// The stack averaged down further to at most `maxVoxels` voxels, on the same grey scale.
    public func reduced(toAtMost maxVoxels: Int) -> SliceStack {
        guard size.x * size.y * size.z > maxVoxels else { return self }
        let step = (upper - lower) / 255
        let values = bytes.map { Float(lower + Double($0) * step) }
        let (newSize, averaged) = VolumeReduction.boxAverage(values, size: size, maxVoxels: maxVoxels)
        var s = self
        s.voxelSize = voxelSize * SIMD3(Double(size.x) / Double(newSize.x), Double(size.y) / Double(newSize.y), Double(size.z) / Double(newSize.z))
        s.size = newSize
        s.bytes = Self.quantize(averaged.map(Double.init), lower: lower, upper: upper)
        return s
    }

    /// The stacks the report embeds: duplicates (the same map shown by two cells) left out,
    /// and every stack reduced so that all of them fit `budget` bytes of base64 text.
    public static func withinBudget(_ stacks: [SliceStack], budget: Int = reportBudgetBytes) -> [SliceStack] {
        var distinct: [SliceStack] = []
        for s in stacks where !distinct.contains(where: { $0.bytes == s.bytes && $0.size == s.size }) { distinct.append(s) }
        guard !distinct.isEmpty else { return [] }
        let perMap = budget * 3 / 4 / distinct.count
        return distinct.map { $0.reduced(toAtMost: perMap) }
    }

    static func quantize(_ values: [Double], lower: Double, upper: Double) -> Data {
        let scale = 255 / (upper - lower)
        return Data(values.map { v in v.isFinite ? UInt8(max(0, min(255, ((v - lower) * scale).rounded()))) : 0 })
    }
}

/// Shrinking a grid by averaging boxes of voxels.
public enum VolumeReduction {
    /// `values` (x fastest, `size`) averaged down by one factor on every axis until at most
    /// `maxVoxels` remain: output voxel j along an axis of n → m averages inputs
    /// ⌊j·n/m⌋ ..< ⌊(j+1)·n/m⌋, so every input counts once. Returns the new size and values.
    public static func boxAverage(_ values: [Float], size: SIMD3<Int>, maxVoxels: Int) -> (SIMD3<Int>, [Float]) {
        let total = size.x * size.y * size.z
        guard total > maxVoxels, maxVoxels > 0 else { return (size, values) }
        var factor = pow(Double(total) / Double(maxVoxels), 1.0 / 3)
        var target = size
        repeat {
            target = SIMD3((0..<3).map { max(1, Int((Double(size[$0]) / factor).rounded(.down))) })
            factor *= 1.01
        } while target.x * target.y * target.z > maxVoxels
        var current = values, currentSize = size
        for axis in 0..<3 where target[axis] < currentSize[axis] {
            (currentSize, current) = averageAlong(axis, current, size: currentSize, to: target[axis])
        }
        return (currentSize, current)
    }

    /// One axis reduced from its length to `m` by box averages.
    static func averageAlong(_ axis: Int, _ values: [Float], size: SIMD3<Int>, to m: Int) -> (SIMD3<Int>, [Float]) {
        let n = size[axis]
        var out = size
        out[axis] = m
        let strides = SIMD3(1, size.x, size.x * size.y), outStrides = SIMD3(1, out.x, out.x * out.y)
        var result = [Float](repeating: 0, count: out.x * out.y * out.z)
        let bins = (0..<m).map { j in (j * n / m) ..< max(j * n / m + 1, (j + 1) * n / m) }
        for z in 0..<out.z {
            for y in 0..<out.y {
                for x in 0..<out.x {
                    let p = SIMD3(x, y, z)
                    var q = p
                    var sum = 0.0
                    for i in bins[p[axis]] { q[axis] = i; sum += Double(values[(q &* strides).wrappedSum()]) }
                    result[(p &* outStrides).wrappedSum()] = Float(sum / Double(bins[p[axis]].count))
                }
            }
        }
        return (out, result)
    }
}
