/// The 1024-byte header of an MRC2014 / CCP4 map file, field by field.
///
/// Integer words are held as `Int` and float words as `Float` (exactly the file's values);
/// per-axis words keep the file's order: NX/NY/NZ and NXSTART/NYSTART/NZSTART count columns,
/// rows and sections, while MX/MY/MZ, CELLA and ORIGIN are along x, y, z. `MRCAxisOrder`
/// converts between the two. Nothing here is validated; `MRCFile.read` and
/// `MRCFile.validate` judge the values.
public struct MRCHeader: Equatable, Sendable {
    /// Size of the fixed header in bytes.
    public static let byteCount = 1024
    /// The MRC2014 format version number written into NVERSION.
    public static let version2014 = 20140

    /// Columns (fastest-varying storage axis), word 1.
    public var nx: Int = 0
    /// Rows, word 2.
    public var ny: Int = 0
    /// Sections (slowest storage axis), word 3.
    public var nz: Int = 0
    /// Data mode (see `MRCMode`), word 4.
    public var mode: Int = Int(MRCMode.float32.rawValue)
    /// Grid index of the first column, word 5.
    public var nxstart: Int = 0
    /// Grid index of the first row, word 6.
    public var nystart: Int = 0
    /// Grid index of the first section, word 7.
    public var nzstart: Int = 0
    /// Grid intervals along x in the unit cell, word 8 (CELLA.x / MX is the voxel size along x).
    public var mx: Int = 0
    /// Grid intervals along y, word 9.
    public var my: Int = 0
    /// Grid intervals along z, word 10.
    public var mz: Int = 0
    /// Cell edge lengths along x, y, z in Å, words 11–13.
    public var cellA: SIMD3<Float> = .zero
    /// Cell angles α, β, γ in degrees, words 14–16.
    public var cellB: SIMD3<Float> = SIMD3(repeating: 90)
    /// Physical axis (1 = x, 2 = y, 3 = z) of the columns, word 17.
    public var mapc: Int = 1
    /// Physical axis of the rows, word 18.
    public var mapr: Int = 2
    /// Physical axis of the sections, word 19.
    public var maps: Int = 3
    /// Minimum density as the writer recorded it, word 20 (not trusted; see `MRCFile.validate`).
    public var dmin: Float = 0
    /// Maximum density as recorded, word 21.
    public var dmax: Float = 0
    /// Mean density as recorded, word 22.
    public var dmean: Float = 0
    /// Space group number, word 23: 0 for images and image stacks, 1 for a 3-D volume,
    /// larger for crystallographic maps (treated as P1 by mapbook).
    public var ispg: Int = 1
    /// Bytes of extended header that follow this header, word 24.
    public var nsymbt: Int = 0
    /// Raw bytes of words 25–49 (EXTRA) as stored. EXTTYP and NVERSION live inside this
    /// block and are also given decoded below; on encoding they override these bytes.
    public var extra: [UInt8] = Array(repeating: 0, count: 100)
    /// Extended-header type, word 27 ("CCP4", "MRCO", "SERI", "AGAR", "FEI1", …; blank if none).
    public var exttyp: String = ""
    /// Format version, word 28: 20140 or 20141 for MRC2014 files, 0 for older ones.
    public var nversion: Int = MRCHeader.version2014
    /// Origin along x, y, z in Å, words 50–52 (MRC2014 meaning: position of the grid's index 0).
    public var origin: SIMD3<Float> = .zero
    /// The file-type tag, word 53: "MAP " in MRC2014 and CCP4 files.
    public var map: String = "MAP "
    /// Machine stamp, word 54 (4 bytes): declares the byte order of the file.
    public var machst: [UInt8] = MRCByteOrder.little.machineStamp
    /// Standard deviation of the densities as recorded, word 55 (not trusted).
    public var rms: Float = 0
    /// Number of labels in use, word 56.
    public var nlabl: Int = 0
    /// The text labels (words 57–256, ten of 80 characters), with trailing blanks removed and
    /// empty trailing slots dropped.
    public var labels: [String] = []

    /// The byte order the header was read in (or will be written in).
    public var byteOrder: MRCByteOrder = .little

    /// A blank MRC2014 header: mode 2, axes 1,2,3, cell angles 90°, little-endian, no data.
    public init() {}

    /// NX, NY, NZ: the storage dimensions (columns, rows, sections).
    public var dimensions: SIMD3<Int> { SIMD3(nx, ny, nz) }

    /// NXSTART, NYSTART, NZSTART in column, row, section order.
    public var start: SIMD3<Int> { SIMD3(nxstart, nystart, nzstart) }

    /// MX, MY, MZ: unit-cell sampling along x, y, z.
    public var sampling: SIMD3<Int> { SIMD3(mx, my, mz) }

    /// The data mode, or nil for a value outside the MRC2014 list.
    public var dataMode: MRCMode? { Int32(exactly: mode).flatMap(MRCMode.init(rawValue:)) }

    /// The storage axis order, or nil when MAPC/MAPR/MAPS are not a permutation of 1,2,3.
    public var axisOrder: MRCAxisOrder? { MRCAxisOrder(mapc: mapc, mapr: mapr, maps: maps) }

    /// NX·NY·NZ, or nil when a dimension is not positive or the product overflows.
    public var voxelCount: Int? {
        guard nx > 0, ny > 0, nz > 0 else { return nil }
        let (xy, o1) = nx.multipliedReportingOverflow(by: ny)
        let (xyz, o2) = xy.multipliedReportingOverflow(by: nz)
        return o1 || o2 ? nil : xyz
    }

    /// Bytes of voxel data the header promises, or nil for an unknown mode or bad dimensions.
    public var dataByteCount: Int? {
        // Packed 4-bit data has no whole-byte voxel size; it is never read, so no count.
        guard let n = voxelCount, let m = dataMode, m != .packed4Bit else { return nil }
        let (b, o) = n.multipliedReportingOverflow(by: m.bytesPerVoxel)
        return o ? nil : b
    }

    /// The stamp IMOD puts in word 39 (bytes 153–156) to say that word 40 holds its flags.
    public static let imodStamp = 1_146_047_817

    /// Whether mode-0 voxels are unsigned bytes (0…255) rather than MRC2014's signed ones.
    ///
    /// IMOD wrote only unsigned bytes before version 4.2.23 and still marks signedness with
    /// a flag: when word 39 holds `imodStamp`, bit 0 of word 40 set means signed. Files without
    /// the stamp follow MRC2014 (signed).
    public var hasUnsignedBytes: Bool {
        guard mode == Int(MRCMode.int8.rawValue), extra.count == 100 else { return false }
        func word(_ offset: Int) -> Int {
            let b = extra[offset..<(offset + 4)].map(UInt32.init)
            let v = byteOrder == .little ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24
                                         : b[3] | b[2] << 8 | b[1] << 16 | b[0] << 24
            return Int(Int32(bitPattern: v))
        }
        // Bytes 152 and 156 of the header are offsets 56 and 60 within EXTRA (which starts at 96).
        return word(56) == Self.imodStamp && word(60) & 1 == 0
    }

    /// Offset of the first voxel: the fixed header plus the extended header.
    public var dataOffset: Int { Self.byteCount + max(0, nsymbt) }
}
