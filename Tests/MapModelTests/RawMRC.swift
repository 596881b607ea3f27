import Foundation
import MapModel
import MapbookCore

/// Builds MRC files byte by byte, independently of the library's writer, so the reader can be
/// checked against files laid out the way the format rules say: any mode, byte order and axis
/// order, and deliberately broken headers.
struct RawMRC {
    /// The map in x, y, z order that the file should read back as.
    var volume: Volume
    /// MODE word.
    var mode: Int32 = 2
    /// Store numbers most-significant byte first.
    var bigEndian = false
    /// MAPC, MAPR, MAPS: the physical axis (1 = x, 2 = y, 3 = z) of columns, rows, sections.
    var axes: SIMD3<Int32> = SIMD3(1, 2, 3)
    /// Machine stamp; nil writes the proper one for the byte order.
    var stamp: [UInt8]? = nil
    /// CELLA; nil writes size × voxel size.
    var cell: SIMD3<Float>? = nil
    /// Bytes of extended header (filled with spaces).
    var nsymbt: Int = 0
    /// Header words (0-based) to overwrite with an integer after everything else is laid out.
    var intOverrides: [Int: Int32] = [:]
    /// Mark mode-0 data as unsigned bytes the IMOD way (stamp in word 39, flag bit 0 clear)
    /// and store the values as UInt8.
    var imodUnsigned = false
    /// Bytes to cut off the end (positive) or add (negative).
    var trim: Int = 0

    init(_ volume: Volume) { self.volume = volume }

    /// The file's bytes.
    func bytes() -> [UInt8] {
        let g = volume.grid
        let a = [Int(axes.x) - 1, Int(axes.y) - 1, Int(axes.z) - 1] // physical axis per storage axis
        let validAxes = Set(a) == [0, 1, 2]
        let p = validAxes ? a : [0, 1, 2]
        // Storage dimensions and starts come from the physical axis each storage axis runs along.
        let n = [g.size[p[0]], g.size[p[1]], g.size[p[2]]]
        let start = [g.nstart[p[0]], g.nstart[p[1]], g.nstart[p[2]]]

        var header = [UInt8](repeating: 0, count: 1024)
        func put(_ word: Int, _ bits: UInt32) {
            let v = bigEndian ? bits.bigEndian : bits.littleEndian
            withUnsafeBytes(of: v) { header.replaceSubrange((4 * word)..<(4 * word + 4), with: $0) }
        }
        func int(_ word: Int, _ v: Int) { put(word, UInt32(bitPattern: Int32(v))) }
        func float(_ word: Int, _ v: Float) { put(word, v.bitPattern) }

        int(0, n[0]); int(1, n[1]); int(2, n[2])
        int(3, Int(mode))
        int(4, start[0]); int(5, start[1]); int(6, start[2])
        int(7, g.size.x); int(8, g.size.y); int(9, g.size.z) // MX, MY, MZ are x, y, z
        let c = cell ?? SIMD3(Float(g.boxLength.x), Float(g.boxLength.y), Float(g.boxLength.z))
        float(10, c.x); float(11, c.y); float(12, c.z)
        float(13, 90); float(14, 90); float(15, 90)
        int(16, Int(axes.x)); int(17, Int(axes.y)); int(18, Int(axes.z))
        int(22, 1)
        int(23, nsymbt)
        int(27, 20140)
        float(49, Float(g.origin.x)); float(50, Float(g.origin.y)); float(51, Float(g.origin.z))
        header.replaceSubrange(208..<212, with: Array("MAP ".utf8))
        header.replaceSubrange(212..<216, with: stamp ?? (bigEndian ? [0x11, 0x11, 0, 0] : [0x44, 0x44, 0, 0]))
        int(55, 1)
        header.replaceSubrange(224..<304, with: Array("RawMRC test file".utf8) + Array(repeating: 0x20, count: 64))
        if imodUnsigned { int(38, 1_146_047_817); int(39, 0) }
        for (word, value) in intOverrides { int(word, Int(value)) }

        var data = [UInt8]()
        data.reserveCapacity(g.count * 4)
        func append<T: FixedWidthInteger>(_ v: T) {
            let e = bigEndian ? v.bigEndian : v.littleEndian
            withUnsafeBytes(of: e) { data.append(contentsOf: $0) }
        }
        // File order: columns fastest, then rows, then sections.
        for s in 0..<n[2] { for r in 0..<n[1] { for col in 0..<n[0] {
            var xyz = [0, 0, 0]
            xyz[p[0]] = col; xyz[p[1]] = r; xyz[p[2]] = s
            let v = volume[xyz[0], xyz[1], xyz[2]]
            switch mode {
            case 0 where imodUnsigned: append(UInt8(v))
            case 0: append(Int8(v))
            case 1: append(Int16(v))
            case 6: append(UInt16(v))
            case 12: append(halfBits(v))
            default: append(v.bitPattern)
            }
        } } }
        var file = header + [UInt8](repeating: 0x20, count: nsymbt) + data
        if trim > 0 { file.removeLast(trim) } else if trim < 0 { file += [UInt8](repeating: 0, count: -trim) }
        return file
    }

    /// Writes the file to `path` and returns the path.
    @discardableResult
    func write(to path: String) -> String {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes()))
        return path
    }
}

/// IEEE half-precision bits of `v`, which must be exactly representable (tests only use such values).
func halfBits(_ v: Float) -> UInt16 {
    let sign: UInt16 = v.sign == .minus ? 0x8000 : 0
    let a = abs(v)
    if a == 0 { return sign }
    if a < 0x1p-14 { // subnormal: a multiple of 2^-24
        let m = a * 0x1p24
        precondition(m == m.rounded() && m < 1024, "\(v) is not a half subnormal")
        return sign | UInt16(m)
    }
    let e = Int(a.exponent)
    let fraction = (a.significand - 1) * 1024
    precondition(fraction == fraction.rounded() && (-14...15).contains(e), "\(v) is not exactly a half")
    return sign | UInt16(e + 15) << 10 | UInt16(fraction)
}

/// A small volume with a distinct size, voxel size and start along each axis, so any mix-up of
/// axes changes the result, filled with values `mode` stores exactly.
func referenceVolume(mode: Int32) -> Volume {
    let grid = VoxelGrid(size: SIMD3(5, 4, 3), voxelSize: SIMD3(1.5, 2.0, 2.5),
                         nstart: SIMD3(-2, 3, 7), origin: SIMD3(10.5, -4.25, 0))
    let halves: [Float] = [0, 0.5, -1.25, 3.75, 65504, -65504, 0x1p-24, 0x1p-14, 1000, -2048, 0.333251953125, -0.0999755859375]
    return Volume(grid: grid) { x, y, z in
        let k = x + 5 * y + 20 * z // unique per voxel
        switch mode {
        case 0: return Float((k * 37) % 256 - 128)
        case 1: return Float((k * 977) % 65536 - 32768)
        case 6: return Float((k * 977) % 65536)
        case 12: return halves[(k * 7) % halves.count] * (k.isMultiple(of: 2) ? 1 : -1)
        default: return Float(sin(Double(k) * 0.7)) * 100 + Float(k)
        }
    }
}
