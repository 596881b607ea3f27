/// The MRC2014 data modes (header word MODE): how each voxel is stored on disk.
///
/// mapbook reads the real-valued modes cryo-EM software writes (0, 1, 2, 6, 12) and always
/// writes mode 2. The complex and packed modes are listed so errors can name them.
public enum MRCMode: Int32, Sendable, CaseIterable {
    /// 8-bit signed integer (masks, old images).
    case int8 = 0
    /// 16-bit signed integer.
    case int16 = 1
    /// 32-bit IEEE float: the usual mode for maps.
    case float32 = 2
    /// Complex 16-bit integers (transforms; not read).
    case complexInt16 = 3
    /// Complex 32-bit floats (transforms; not read).
    case complexFloat32 = 4
    /// 16-bit unsigned integer (detector counts).
    case uint16 = 6
    /// 16-bit IEEE half float (compact RELION/cryoSPARC output).
    case float16 = 12
    /// Two 4-bit values per byte (packed movies; not read).
    case packed4Bit = 101

    /// The modes `MRCFile.read` can load.
    public static let readable: [MRCMode] = [.int8, .int16, .float32, .uint16, .float16]

    /// Bytes one voxel takes on disk.
    public var bytesPerVoxel: Int {
        switch self {
        case .int8: return 1
        case .int16, .uint16, .float16: return 2
        case .float32: return 4
        case .complexInt16: return 4
        case .complexFloat32: return 8
        case .packed4Bit: return 1 // two voxels per byte; never read, so only used in messages
        }
    }

    /// Whether `MRCFile.read` can load this mode.
    public var isReadable: Bool { Self.readable.contains(self) }

    /// The type's name, e.g. "float32".
    public var name: String {
        switch self {
        case .int8: return "int8"
        case .int16: return "int16"
        case .float32: return "float32"
        case .complexInt16: return "complex int16"
        case .complexFloat32: return "complex float32"
        case .uint16: return "uint16"
        case .float16: return "float16"
        case .packed4Bit: return "packed 4-bit"
        }
    }

    /// A short name for messages, e.g. "2 (float32)".
    public var label: String { "\(rawValue) (\(name))" }

    /// "0 (int8), 1 (int16), 2 (float32), 6 (uint16) and 12 (float16)": the readable modes in words.
    public static var readableList: String {
        let names = readable.map(\.label)
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}
