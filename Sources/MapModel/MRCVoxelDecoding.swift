import MapbookCore

/// Turns voxel bytes as stored in an MRC file into Float voxels in x, y, z order, in one
/// pass: byte swapping, conversion from the file's mode and the axis permutation all happen
/// in the same loop, split over threads by section.
enum MRCVoxelDecoding {
    /// Decodes `fileDimensions` (columns, rows, sections) voxels of `mode` at `source`, stored in
    /// the opposite byte order when `swap`, into `destination` in x-fastest order.
    /// Mode-0 bytes are read as unsigned when `unsignedBytes` (IMOD's convention).
    static func decode(_ source: UnsafeRawPointer, mode: MRCMode, swap: Bool, unsignedBytes: Bool = false,
                       fileDimensions: SIMD3<Int>, axes: MRCAxisOrder,
                       into destination: UnsafeMutablePointer<Float>) {
        let count = fileDimensions.x * fileDimensions.y * fileDimensions.z
        switch mode {
        case .int8 where unsignedBytes:
            let src = source.bindMemory(to: UInt8.self, capacity: count)
            transfer(src, fileDimensions, axes, destination) { Float($0) }
        case .int8:
            let src = source.bindMemory(to: Int8.self, capacity: count)
            transfer(src, fileDimensions, axes, destination) { Float($0) }
        case .int16:
            let src = source.bindMemory(to: UInt16.self, capacity: count)
            if swap { transfer(src, fileDimensions, axes, destination) { Float(Int16(bitPattern: $0.byteSwapped)) } }
            else { transfer(src, fileDimensions, axes, destination) { Float(Int16(bitPattern: $0)) } }
        case .uint16:
            let src = source.bindMemory(to: UInt16.self, capacity: count)
            if swap { transfer(src, fileDimensions, axes, destination) { Float($0.byteSwapped) } }
            else { transfer(src, fileDimensions, axes, destination) { Float($0) } }
        case .float16:
            let src = source.bindMemory(to: UInt16.self, capacity: count)
            if swap { transfer(src, fileDimensions, axes, destination) { halfToFloat($0.byteSwapped) } }
            else { transfer(src, fileDimensions, axes, destination) { halfToFloat($0) } }
        case .float32:
            let src = source.bindMemory(to: UInt32.self, capacity: count)
            if swap { transfer(src, fileDimensions, axes, destination) { Float(bitPattern: $0.byteSwapped) } }
            else { transfer(src, fileDimensions, axes, destination) { Float(bitPattern: $0) } }
        default:
            preconditionFailure("mode \(mode.label) is not decodable")
        }
    }

    /// Reverses the byte order of `count` floats in place: the whole conversion for a
    /// big-endian float32 file already in x, y, z order, which is read straight into its
    /// final buffer.
    static func swapInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
        values.withMemoryRebound(to: UInt32.self, capacity: count) { words in
            Parallelism.forEachRange(count, minimumPerChunk: 1 << 18) { _, range in
                for i in range { words[i] = words[i].byteSwapped }
            }
        }
    }

    /// The conversion and permutation loop for one storage type.
    @inline(__always)
    private static func transfer<Stored>(_ src: UnsafePointer<Stored>, _ dims: SIMD3<Int>, _ axes: MRCAxisOrder,
                                         _ dst: UnsafeMutablePointer<Float>, _ convert: (Stored) -> Float) {
        let count = dims.x * dims.y * dims.z
        if axes.isIdentity {
            // Same order in file and memory: a straight, vectorisable conversion.
            Parallelism.forEachRange(count, minimumPerChunk: 1 << 18) { _, range in
                for i in range { dst[i] = convert(src[i]) }
            }
            return
        }
        // Step in the volume for one step along each storage axis: the storage axis that runs
        // along physical x moves by 1, along y by the x size, along z by the x·y size.
        let size = axes.toXYZ(dims)
        let physicalStride = SIMD3(1, size.x, size.x * size.y)
        let stride = SIMD3(physicalStride[axes.physicalAxis.x],
                           physicalStride[axes.physicalAxis.y],
                           physicalStride[axes.physicalAxis.z])
        if axes.physicalAxis.x == 0 {
            // Columns already run along x: every row is a contiguous run in both layouts, and
            // each section fills its own voxels, so sections run in parallel.
            Parallelism.forEachRange(dims.z, minimumPerChunk: max(1, (1 << 16) / max(1, dims.x * dims.y))) { _, sections in
                for s in sections {
                    for r in 0..<dims.y {
                        let row = src + (s * dims.y + r) * dims.x
                        let out = dst + s * stride.z + r * stride.y
                        for c in 0..<dims.x { out[c] = convert(row[c]) }
                    }
                }
            }
            return
        }
        // Otherwise x is the row or section axis, and a plain loop would write each volume
        // cache line from many distant places (16 times slower on a 512³ map). Square tiles
        // over (columns, the storage axis along x) keep both sides of the transpose in cache.
        let fileStride = SIMD3(1, dims.x, dims.x * dims.y)
        let kx = axes.physicalAxis.y == 0 ? 1 : 2 // storage axis running along x
        let other = 3 - kx                         // the remaining storage axis (not columns)
        let tile = 32
        Parallelism.forEachRange(dims[other], minimumPerChunk: max(1, (1 << 16) / max(1, dims.x * dims[kx]))) { _, outer in
            for t in outer {
                for k0 in Swift.stride(from: 0, to: dims[kx], by: tile) {
                    let k1 = min(k0 + tile, dims[kx])
                    for c0 in Swift.stride(from: 0, to: dims.x, by: tile) {
                        let c1 = min(c0 + tile, dims.x)
                        for k in k0..<k1 {
                            let from = src + (c0 + k * fileStride[kx] + t * fileStride[other])
                            var d = c0 * stride.x + k + t * stride[other]
                            for c in 0..<(c1 - c0) {
                                dst[d] = convert(from[c])
                                d += stride.x
                            }
                        }
                    }
                }
            }
        }
    }

    /// The value of an IEEE 754 half-precision number, by bit arithmetic (Swift's Float16 is
    /// missing on Intel macOS, and this is exact for every half, subnormals included).
    @inline(__always)
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign: UInt32 = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa × 2^-24, exact in Float.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) // infinity or NaN
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// How many of `count` values are NaN or infinite, and the index of the first.
    static func nonFinite(_ values: UnsafePointer<Float>, count: Int) -> (count: Int, first: Int?) {
        let minimum = 1 << 18
        var counts = [Int](repeating: 0, count: Parallelism.chunkCount(count, minimumPerChunk: minimum))
        values.withMemoryRebound(to: UInt32.self, capacity: count) { words in
            counts.withUnsafeMutableBufferPointer { tally in
                Parallelism.forEachRange(count, minimumPerChunk: minimum) { c, range in
                    // All exponent bits set means NaN or infinity; an integer test vectorises.
                    var n = 0
                    for i in range { n += words[i] & 0x7F80_0000 == 0x7F80_0000 ? 1 : 0 }
                    tally[c] = n
                }
            }
        }
        let total = counts.reduce(0, +)
        guard total > 0 else { return (0, nil) }
        let first = (0..<count).first { !values[$0].isFinite }
        return (total, first)
    }
}
