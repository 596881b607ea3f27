/// The byte order of an MRC file's numbers.
public enum MRCByteOrder: String, Sendable {
    /// Least significant byte first (every current writer; machine stamp 0x44 0x44 or 0x44 0x41).
    case little
    /// Most significant byte first (old SGI/IBM machines; machine stamp 0x11 0x11).
    case big

    /// The byte order of the machine running mapbook.
    public static let host: MRCByteOrder = (1 as UInt32).littleEndian == 1 ? .little : .big

    /// The order a machine stamp (header bytes 213–216) declares, or nil when the stamp is
    /// absent or unrecognised. Only the first byte decides: the MRC2014 spec allows both
    /// 0x44 0x44 and the older 0x44 0x41 for little-endian files.
    public init?(machineStamp: [UInt8]) {
        guard let first = machineStamp.first else { return nil }
        switch first {
        case 0x44, 0x41: self = .little
        case 0x11: self = .big
        default: return nil
        }
    }

    /// The machine stamp mapbook writes for this order.
    public var machineStamp: [UInt8] {
        switch self {
        case .little: return [0x44, 0x44, 0, 0]
        case .big: return [0x11, 0x11, 0, 0]
        }
    }

    /// The other order.
    public var swapped: MRCByteOrder { self == .little ? .big : .little }
}
