/// Byte-level decoding and encoding of `MRCHeader`.
extension MRCHeader {
    /// Decodes the first 1024 bytes of `bytes` (which must hold at least that many) as a
    /// header stored in `byteOrder`. Never fails: nonsense values are left for validation.
    public init(decoding bytes: [UInt8], byteOrder: MRCByteOrder) {
        precondition(bytes.count >= Self.byteCount, "an MRC header needs \(Self.byteCount) bytes")
        let r = WordReader(bytes: bytes, order: byteOrder)
        self.init()
        self.byteOrder = byteOrder
        nx = r.int(0); ny = r.int(1); nz = r.int(2)
        mode = r.int(3)
        nxstart = r.int(4); nystart = r.int(5); nzstart = r.int(6)
        mx = r.int(7); my = r.int(8); mz = r.int(9)
        cellA = SIMD3(r.float(10), r.float(11), r.float(12))
        cellB = SIMD3(r.float(13), r.float(14), r.float(15))
        mapc = r.int(16); mapr = r.int(17); maps = r.int(18)
        dmin = r.float(19); dmax = r.float(20); dmean = r.float(21)
        ispg = r.int(22)
        nsymbt = r.int(23)
        extra = Array(bytes[96..<196])
        exttyp = Self.text(bytes[104..<108])
        nversion = r.int(27)
        origin = SIMD3(r.float(49), r.float(50), r.float(51))
        map = Self.text(bytes[208..<212])
        machst = Array(bytes[212..<216])
        rms = r.float(54)
        nlabl = r.int(55)
        var found: [String] = []
        for k in 0..<10 {
            let start = 224 + 80 * k
            found.append(Self.text(bytes[start..<(start + 80)]).trimmingTrailingBlanks())
        }
        // Keep interior empty slots (their position is information) but drop the unused tail.
        while let last = found.last, last.isEmpty { found.removeLast() }
        labels = found
    }

    /// The header as 1024 bytes in `byteOrder`. The machine stamp written is the one for
    /// `byteOrder`, whatever `machst` holds, so the file always declares its real order.
    /// Labels are cut to ten of 80 characters; characters outside printable ASCII become "?".
    public func encoded(byteOrder: MRCByteOrder = .little) -> [UInt8] {
        var w = WordWriter(order: byteOrder)
        w.int(0, nx); w.int(1, ny); w.int(2, nz)
        w.int(3, mode)
        w.int(4, nxstart); w.int(5, nystart); w.int(6, nzstart)
        w.int(7, mx); w.int(8, my); w.int(9, mz)
        for i in 0..<3 { w.float(10 + i, cellA[i]); w.float(13 + i, cellB[i]) }
        w.int(16, mapc); w.int(17, mapr); w.int(18, maps)
        w.float(19, dmin); w.float(20, dmax); w.float(21, dmean)
        w.int(22, ispg)
        w.int(23, nsymbt)
        let extraBytes = extra.count == 100 ? extra : Array(repeating: 0, count: 100)
        w.bytes.replaceSubrange(96..<196, with: extraBytes)
        w.text(at: 104, exttyp, width: 4, pad: 0)
        w.int(27, nversion)
        for i in 0..<3 { w.float(49 + i, origin[i]) }
        w.text(at: 208, map, width: 4, pad: 0x20)
        w.bytes.replaceSubrange(212..<216, with: byteOrder.machineStamp)
        w.float(54, rms)
        let kept = Array(labels.prefix(10))
        w.int(55, kept.count)
        for k in 0..<10 {
            // Unused slots are blank-filled, the CCP4 convention, so text tools show spaces.
            w.text(at: 224 + 80 * k, k < kept.count ? kept[k] : "", width: 80, pad: 0x20)
        }
        return w.bytes
    }

    /// Decides the byte order of a raw header.
    ///
    /// The machine stamp decides when it is recognised and the header makes sense in that
    /// order. When the stamp is absent or odd (some writers leave it zero), or the header only
    /// makes sense the other way round, the order is chosen by a sanity check of MODE, NX/NY/NZ
    /// and MAPC/MAPR/MAPS, as mrcfile does. `note` explains any such fallback.
    public static func detectByteOrder(_ bytes: [UInt8]) -> (order: MRCByteOrder, note: String?) {
        precondition(bytes.count >= byteCount, "an MRC header needs \(byteCount) bytes")
        let stamp = Array(bytes[212..<216])
        let little = plausibility(bytes, .little), big = plausibility(bytes, .big)
        let stampHex = stamp.map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
        if let declared = MRCByteOrder(machineStamp: stamp) {
            let (mine, other) = declared == .little ? (little, big) : (big, little)
            if mine >= other { return (declared, nil) }
            return (declared.swapped,
                    "machine stamp \(stampHex) declares \(declared.rawValue)-endian, but the header only makes sense \(declared.swapped.rawValue)-endian; read as \(declared.swapped.rawValue)-endian")
        }
        let order: MRCByteOrder = big > little ? .big : .little
        return (order, "machine stamp \(stampHex) is not a recognised MRC stamp; the header reads sensibly as \(order.rawValue)-endian")
    }

    /// How many of three basic facts hold when the header is read in `order`: a known mode,
    /// positive and moderate dimensions, a valid axis permutation.
    private static func plausibility(_ bytes: [UInt8], _ order: MRCByteOrder) -> Int {
        let r = WordReader(bytes: bytes, order: order)
        var score = 0
        if let m = Int32(exactly: r.int(3)), MRCMode(rawValue: m) != nil { score += 1 }
        if (0..<3).allSatisfy({ (1...maximumDimension).contains(r.int($0)) }) { score += 1 }
        if MRCAxisOrder(mapc: r.int(16), mapr: r.int(17), maps: r.int(18)) != nil { score += 1 }
        return score
    }

    /// The largest NX, NY or NZ taken as plausible: far beyond any real map or image stack,
    /// yet small enough that a text file's bytes read as integers fail the test.
    static let maximumDimension = 1 << 24

    /// Bytes as text: Latin-1, NULs dropped (writers pad with either NUL or space).
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(String.UnicodeScalarView(bytes.filter { $0 != 0 }.map { Unicode.Scalar($0) }))
    }
}

/// Reads 4-byte words of a header in a given byte order.
private struct WordReader {
    let bytes: [UInt8]
    let order: MRCByteOrder

    func word(_ index: Int) -> UInt32 {
        let o = 4 * index
        let b = (UInt32(bytes[o]), UInt32(bytes[o + 1]), UInt32(bytes[o + 2]), UInt32(bytes[o + 3]))
        switch order {
        case .little: return b.0 | b.1 << 8 | b.2 << 16 | b.3 << 24
        case .big: return b.3 | b.2 << 8 | b.1 << 16 | b.0 << 24
        }
    }

    func int(_ index: Int) -> Int { Int(Int32(bitPattern: word(index))) }
    func float(_ index: Int) -> Float { Float(bitPattern: word(index)) }
}

/// Builds a 1024-byte header word by word in a given byte order.
private struct WordWriter {
    let order: MRCByteOrder
    var bytes = [UInt8](repeating: 0, count: MRCHeader.byteCount)

    init(order: MRCByteOrder) { self.order = order }

    mutating func word(_ index: Int, _ value: UInt32) {
        let o = 4 * index
        let v = order == .little ? value.littleEndian : value.bigEndian
        withUnsafeBytes(of: v) { bytes.replaceSubrange(o..<(o + 4), with: $0) }
    }

    // Values beyond Int32 cannot be stored; clamping keeps the header well-formed and the
    // validator will then report the odd value rather than a wrapped-around one.
    mutating func int(_ index: Int, _ value: Int) { word(index, UInt32(bitPattern: Int32(clamping: value))) }
    mutating func float(_ index: Int, _ value: Float) { word(index, value.bitPattern) }

    mutating func text(at offset: Int, _ string: String, width: Int, pad: UInt8) {
        var field = string.unicodeScalars.prefix(width).map { s -> UInt8 in
            (0x20...0x7E).contains(s.value) ? UInt8(s.value) : UInt8(ascii: "?")
        }
        field += Array(repeating: pad, count: width - field.count)
        bytes.replaceSubrange(offset..<(offset + width), with: field)
    }
}

extension String {
    /// The string without trailing spaces.
    func trimmingTrailingBlanks() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " { s.removeLast() }
        return String(s)
    }

    /// Left-padded with zeros to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
