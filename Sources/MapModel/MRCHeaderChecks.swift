/// The checks on a header, shared by `MRCFile.read` (which throws the first error) and
/// `MRCFile.validate` (which reports all of them).
extension MRCHeader {
    /// Errors that make the voxel data unreadable: nonsense dimensions (the usual sign of a
    /// file that is not a map at all), an unsupported mode, a bad axis permutation, a
    /// negative extended-header size. When this is empty, the data can be read.
    func layoutIssues() -> [MRCIssue] {
        if !hasPlausibleDimensions {
            return [.error("not an MRC map: header dimensions NX, NY, NZ = \(nx), \(ny), \(nz) are not sizes from 1 to \(Self.maximumDimension) (wrong file type or corrupt header)")]
        }
        if voxelCount == nil || (dataMode != nil && dataMode != .packed4Bit && dataByteCount == nil) {
            return [.error("not an MRC map: NX × NY × NZ = \(nx) × \(ny) × \(nz) voxels is more than any file can hold (corrupt header)")]
        }
        var issues: [MRCIssue] = []
        if let m = dataMode {
            if !m.isReadable {
                issues.append(.error("data mode \(m.label) is not supported; mapbook reads modes \(MRCMode.readableList)"))
            }
        } else {
            issues.append(.error("unknown data mode \(mode); mapbook reads modes \(MRCMode.readableList)"))
        }
        if axisOrder == nil {
            issues.append(.error("axis order MAPC, MAPR, MAPS = \(mapc), \(mapr), \(maps) is not a permutation of 1, 2, 3"))
        }
        if nsymbt < 0 {
            issues.append(.error("extended header size NSYMBT = \(nsymbt) is negative (corrupt header)"))
        }
        return issues
    }

    /// Whether NX, NY, NZ are sizes a map could have. When they are not, the file is almost
    /// certainly not an MRC map at all, and other findings about it are noise.
    var hasPlausibleDimensions: Bool {
        [nx, ny, nz].allSatisfy { (1...Self.maximumDimension).contains($0) }
    }

    /// Departures from MRC2014 conventions that do not stop mapbook reading the file, and
    /// notes on how it reads ambiguous ones. Assumes `layoutIssues()` found nothing.
    func conventionIssues() -> [MRCIssue] {
        var issues: [MRCIssue] = []
        let axes = axisOrder ?? .xyz
        let size = axes.toXYZ(dimensions)

        if map != "MAP " {
            issues.append(.warning("MAP field is \"\(map)\", not \"MAP \" (an old CCP4 file, or not a map file)"))
        }
        if nversion != Self.version2014 && nversion != Self.version2014 + 1 {
            // Most EMDB maps predate MRC2014; their fields mean the same, so this is only a note.
            issues.append(.note("NVERSION is \(nversion), not 20140 or 20141: an older or non-MRC2014 writer; read by MRC2014 rules"))
        }
        if hasUnsignedBytes {
            issues.append(.note("IMOD flags mark the mode-0 bytes as unsigned; read as 0…255"))
        }
        if !axes.isIdentity {
            issues.append(.note("axis order MAPC, MAPR, MAPS = \(axes); voxels reordered to x, y, z"))
        }
        if sampling != size && sampling.x > 0 && sampling.y > 0 && sampling.z > 0 {
            issues.append(.warning("sampling MX, MY, MZ = \(mx), \(my), \(mz) differs from the grid size along x, y, z = \(size.x), \(size.y), \(size.z); voxel size is taken as CELLA / MX…MZ"))
        }
        if cellB != SIMD3(repeating: 90) {
            issues.append(.warning("cell angles CELLB = \(cellB.x)°, \(cellB.y)°, \(cellB.z)° are not all 90°; mapbook treats the grid as orthogonal"))
        }
        switch ispg {
        case 0 where nz > 1:
            issues.append(.note("ISPG 0 (an image stack in MRC2014) with \(nz) sections; read as a 3-D volume, as RELION and others intend"))
        case 0, 1:
            break
        case 2...230, 401...630:
            issues.append(.warning("space group ISPG = \(ispg) (a crystallographic map); mapbook ignores symmetry and treats the map as P1"))
        default:
            issues.append(.warning("ISPG = \(ispg) is not a valid space group number (0–230 or 401–630)"))
        }
        if nsymbt > 0 {
            let known = ["CCP4", "MRCO", "SERI", "AGAR", "FEI1", "FEI2", "HDF5"]
            if exttyp.isEmpty {
                issues.append(.note("extended header of \(nsymbt) bytes without EXTTYP (symmetry records in older CCP4 files); skipped"))
            } else if !known.contains(exttyp) {
                issues.append(.warning("extended header type EXTTYP = \"\(exttyp)\" is not one MRC2014 lists; \(nsymbt) bytes skipped"))
            }
        }
        if !(0...10).contains(nlabl) {
            issues.append(.warning("NLABL = \(nlabl) is outside 0–10"))
        } else if nlabl != labels.count {
            issues.append(.warning("NLABL = \(nlabl) but \(labels.count) label slot\(labels.count == 1 ? "" : "s") hold text"))
        }
        if start != .zero && origin != .zero {
            issues.append(.warning("both NSTART (\(nxstart), \(nystart), \(nzstart)) and ORIGIN (\(origin.x), \(origin.y), \(origin.z)) Å are non-zero; mapbook places voxel 0 at ORIGIN + NSTART × voxel size, but some programs use only one of them"))
        }
        return issues
    }
}
