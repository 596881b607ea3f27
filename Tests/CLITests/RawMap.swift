import Foundation

/// A small, valid MRC2014 map as raw bytes (little-endian float32, 16³ voxels of 2 Å), built
/// word by word so that tests can break any single field, and written without mapbook's own
/// writer so the reader is tested against the format, not against itself.
struct RawMap {
    /// The 256 header words, as stored (little-endian on disk).
    var words = [UInt32](repeating: 0, count: 256)
    /// The voxels, x fastest.
    var voxels: [Float]

    /// A map of `n`³ voxels of `voxel` Å whose densities depend on `seed`.
    init(n: Int = 16, voxel: Float = 2, seed: Int = 1) {
        voxels = (0..<(n * n * n)).map { i in
            let x = Double(i % n), y = Double((i / n) % n), z = Double(i / (n * n))
            let c = Double(n) / 2, r2 = (x - c) * (x - c) + (y - c) * (y - c) + (z - c) * (z - c)
            return Float(exp(-r2 / 18) + 0.05 * sin(Double(i * (seed + 3)) * 0.37))
        }
        dims(n, n, n)
        int(3, 2)
        for w in 7...9 { int(w, Int32(n)) }
        cell(Float(n) * voxel, Float(n) * voxel, Float(n) * voxel)
        for w in 13...15 { float(w, 90) }
        int(16, 1); int(17, 2); int(18, 3)
        float(19, 1); float(20, -1); float(21, -2); float(54, -1) // statistics marked "not computed"
        int(22, 1)
        int(27, 20140)
        words[52] = 0x2050_414D // "MAP " (bytes 4D 41 50 20)
        words[53] = 0x0000_4444 // little-endian machine stamp 44 44 00 00
        int(55, 1)
        for (i, byte) in "RawMap corpus file".utf8.enumerated() { setHeaderByte(224 + i, byte) }
    }

    /// Sets header word `w` (0-based) to the integer `v`.
    mutating func int(_ w: Int, _ v: Int32) { words[w] = UInt32(bitPattern: v) }
    /// Sets header word `w` to the float `v`.
    mutating func float(_ w: Int, _ v: Float) { words[w] = v.bitPattern }
    /// Sets NX, NY, NZ (keeping the data as it is).
    mutating func dims(_ x: Int, _ y: Int, _ z: Int) { int(0, Int32(x)); int(1, Int32(y)); int(2, Int32(z)) }
    /// Sets CELLA.
    mutating func cell(_ a: Float, _ b: Float, _ c: Float) { float(10, a); float(11, b); float(12, c) }
    /// Sets voxel `i` (x fastest).
    mutating func setVoxel(_ i: Int, _ v: Float) { voxels[i] = v }

    private mutating func setHeaderByte(_ offset: Int, _ byte: UInt8) {
        let w = offset / 4, shift = UInt32(8 * (offset % 4))
        words[w] = words[w] & ~(0xFF << shift) | UInt32(byte) << shift
    }

    /// The file's bytes: header, then the voxels.
    var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(1024 + 4 * voxels.count)
        for w in words { withUnsafeBytes(of: w.littleEndian) { out.append(contentsOf: $0) } }
        for v in voxels { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    /// Writes the file to `path`.
    func write(to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// gzip files made without zlib: deflate "stored" blocks (no compression) with the proper
/// header, CRC-32 and length trailer, which every gzip reader accepts.
enum Gzip {
    /// `bytes` as a valid gzip file.
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]
        var start = 0
        repeat {
            let count = min(65_535, bytes.count - start)
            let final = start + count == bytes.count
            out.append(final ? 0x01 : 0x00) // BFINAL, BTYPE 00 (stored), then byte-aligned
            let len = UInt16(count)
            out += [UInt8(len & 0xFF), UInt8(len >> 8), UInt8(~len & 0xFF), UInt8(~len >> 8)]
            out += bytes[start..<(start + count)]
            start += count
        } while start < bytes.count
        let crc = crc32(bytes), size = UInt32(truncatingIfNeeded: bytes.count)
        for v in [crc, size] { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    /// The CRC-32 (IEEE 802.3, as gzip uses) of `bytes`.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
