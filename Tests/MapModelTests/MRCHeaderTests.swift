import MapModel
import Testing

/// The header model on its own: byte-level decoding and encoding, byte-order detection.
@Suite("MRC header")
struct MRCHeaderTests {
    static func sample() -> MRCHeader {
        var h = MRCHeader()
        (h.nx, h.ny, h.nz) = (73, 43, 25)
        h.mode = 2
        (h.nxstart, h.nystart, h.nzstart) = (0, -21, -12)
        (h.mx, h.my, h.mz) = (40, 12, 72)
        h.cellA = SIMD3(17.93, 4.71, 33.03)
        h.cellB = SIMD3(90, 94.326, 90)
        (h.mapc, h.mapr, h.maps) = (3, 1, 2)
        (h.dmin, h.dmax, h.dmean) = (-0.368, 0.722, 0.0005)
        h.ispg = 4
        h.nsymbt = 160
        h.exttyp = "CCP4"
        h.nversion = 20141
        h.origin = SIMD3(1.5, -2.25, 1e3)
        h.rms = 0.157
        h.labels = ["first label", "", "third, after an empty one"]
        h.nlabl = 3
        return h
    }

    @Test("encoding then decoding gives back every field, in both byte orders", arguments: [MRCByteOrder.little, .big])
    func roundTrip(order: MRCByteOrder) {
        var h = Self.sample()
        let bytes = h.encoded(byteOrder: order)
        #expect(bytes.count == 1024)
        #expect(MRCHeader.detectByteOrder(bytes).order == order)
        #expect(MRCHeader.detectByteOrder(bytes).note == nil)
        let back = MRCHeader(decoding: bytes, byteOrder: order)
        h.byteOrder = order
        h.machst = order.machineStamp
        h.extra = back.extra // raw EXTRA block: compared field by field below
        #expect(back == h)
        #expect(back.exttyp == "CCP4" && back.nversion == 20141)
        #expect(back.axisOrder == MRCAxisOrder(mapc: 3, mapr: 1, maps: 2))
        #expect(back.dataOffset == 1024 + 160)
        #expect(back.dataByteCount == 73 * 43 * 25 * 4)
    }

    @Test("fixed byte positions of MRC2014: MAP at 209, stamp at 213, labels from 225")
    func layout() {
        let bytes = Self.sample().encoded(byteOrder: .little)
        #expect(Array(bytes[208..<212]) == Array("MAP ".utf8))
        #expect(Array(bytes[212..<216]) == [0x44, 0x44, 0, 0])
        #expect(Array(bytes[104..<108]) == Array("CCP4".utf8))
        #expect(Array(bytes[224..<235]) == Array("first label".utf8))
        #expect(bytes[235] == 0x20)
        #expect(bytes[12] == 2 && bytes[64] == 3) // MODE, MAPC
    }

    @Test("derived values refuse nonsense")
    func derived() {
        var h = MRCHeader()
        (h.nx, h.ny, h.nz) = (10, 0, 10)
        #expect(h.voxelCount == nil && h.dataByteCount == nil)
        (h.nx, h.ny, h.nz) = (Int(Int32.max), Int(Int32.max), Int(Int32.max))
        #expect(h.voxelCount == nil) // overflows
        (h.nx, h.ny, h.nz) = (2, 3, 4)
        h.mode = 13
        #expect(h.dataMode == nil && h.dataByteCount == nil)
        h.mode = 12
        #expect(h.dataByteCount == 48)
        #expect(MRCMode.readableList == "0 (int8), 1 (int16), 2 (float32), 6 (uint16) and 12 (float16)")
    }

    @Test("byte order: a recognised stamp decides; otherwise the header's sense does")
    func detection() {
        var bytes = Self.sample().encoded(byteOrder: .big)
        bytes.replaceSubrange(212..<216, with: [0, 0, 0, 0])
        let (order, note) = MRCHeader.detectByteOrder(bytes)
        #expect(order == .big)
        #expect(note?.contains("00 00 00 00") == true)
        // The older little-endian stamp 0x44 0x41 is accepted silently.
        var old = Self.sample().encoded(byteOrder: .little)
        old.replaceSubrange(212..<216, with: [0x44, 0x41, 0, 0])
        #expect(MRCHeader.detectByteOrder(old) == (.little, nil))
    }
}
