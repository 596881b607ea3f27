import Foundation
import MapbookCore

extension MRCHeader {
    /// The MRC2014 header mapbook writes for `volume`: mode 2, little-endian, axes 1,2,3,
    /// MX/MY/MZ equal to the grid size (so CELLA / MX is the voxel size), CELLA the box in Å,
    /// cell angles 90°, NSTART and ORIGIN from the grid, and DMIN/DMAX/DMEAN/RMS computed
    /// from the voxels.
    ///
    /// ISPG is 1 (a single 3-D volume) unless the volume is one voxel thick in z, when it is 0
    /// (a 2-D image), the values MRC2014 assigns and mrcfile writes. At most ten labels of 80
    /// characters are kept.
    /// `statistics`, when given, must be `volume.statistics` (saves a pass over the voxels).
    public init(describing volume: Volume, statistics: VolumeStatistics? = nil, labels: [String] = []) {
        self.init()
        let g = volume.grid
        (nx, ny, nz) = (g.size.x, g.size.y, g.size.z)
        mode = Int(MRCMode.float32.rawValue)
        (nxstart, nystart, nzstart) = (g.nstart.x, g.nstart.y, g.nstart.z)
        (mx, my, mz) = (g.size.x, g.size.y, g.size.z)
        let box = g.boxLength
        cellA = SIMD3(Float(box.x), Float(box.y), Float(box.z))
        cellB = SIMD3(repeating: 90)
        (mapc, mapr, maps) = (1, 2, 3)
        let stats = statistics ?? volume.statistics
        dmin = stats.min
        dmax = stats.max
        dmean = Float(stats.mean)
        rms = Float(stats.rms)
        ispg = g.size.z == 1 ? 0 : 1
        nsymbt = 0
        exttyp = ""
        nversion = Self.version2014
        origin = SIMD3(Float(g.origin.x), Float(g.origin.y), Float(g.origin.z))
        map = "MAP "
        byteOrder = .little
        machst = MRCByteOrder.little.machineStamp
        self.labels = labels.prefix(10).map { String($0.prefix(80)) }
        nlabl = self.labels.count
    }
}

extension MRCFile {
    /// A first label recording that mapbook wrote the file and when, e.g.
    /// "mapbook 2025-03-01 14:05:09" (UTC), for callers to put before their own labels.
    public static func provenanceLabel(date: Date = Date()) -> String {
        "mapbook \(UTCTime.string(date, .labelSeconds))"
    }
}
