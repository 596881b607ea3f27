import ArgumentParser
import Foundation
import MapbookCore
import MapModel

/// `mapbook header`: the header fields of a map, as stored, and how mapbook reads them. A map
/// that `read` refuses still has its fields printed, then the reason as the error (exit 1).
struct HeaderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "header", abstract: "Print a map's header and the grid mapbook derives from it.")

    @Argument(help: "Map file (MRC/CCP4, optionally .gz).") var map: String

    func run() throws {
        let h = try MRCFile.readHeader(path: map)
        func v3<T>(_ a: T, _ b: T, _ c: T) -> String { "\(a) \(b) \(c)" }
        print("file          \(map)")
        print("byte order    \(h.byteOrder.rawValue)")
        print("dimensions    \(v3(h.nx, h.ny, h.nz)) (columns rows sections)")
        print("mode          \(h.mode)\(h.dataMode.map { " (\($0.label))" } ?? " (unknown)")")
        print("start         \(v3(h.nxstart, h.nystart, h.nzstart))")
        print("sampling      \(v3(h.mx, h.my, h.mz))")
        print("cell (Å)      \(v3(h.cellA.x, h.cellA.y, h.cellA.z))")
        print("cell angles   \(v3(h.cellB.x, h.cellB.y, h.cellB.z))")
        print("axes          \(v3(h.mapc, h.mapr, h.maps))")
        print("min/max/mean  \(v3(h.dmin, h.dmax, h.dmean)) (header, not checked)")
        print("rms           \(h.rms)")
        print("space group   \(h.ispg)   extended header \(h.nsymbt) bytes \(h.exttyp)")
        print("origin (Å)    \(v3(h.origin.x, h.origin.y, h.origin.z))")
        print("version       \(h.nversion)")
        for (i, label) in h.labels.enumerated() { print("label \(i)       \(label)") }
        // The fields above are shown even for a file mapbook cannot read (they help to see
        // why); the reason it cannot is then the error, and the exit status is nonzero.
        do {
            let file = try MRCFile.read(path: map)
            let g = file.volume.grid
            let s = file.volume.statistics
            print("grid x,y,z    \(v3(g.size.x, g.size.y, g.size.z)) voxels of \(v3(fmt(g.voxelSize.x, 4), fmt(g.voxelSize.y, 4), fmt(g.voxelSize.z, 4))) Å")
            let p = g.firstVoxelPosition
            print("first voxel   \(v3(fmt(p.x), fmt(p.y), fmt(p.z))) Å")
            print("data          min \(s.min) max \(s.max) mean \(s.mean) rms \(s.rms)")
            for note in file.notes { print("note          \(note)") }
        } catch {
            fflush(stdout)
            throw error
        }
    }
}

/// `mapbook validate`: every problem with a map file, explained (in the spirit of mrcfile's
/// validator). Exit status 1 when there is an error.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Explain what, if anything, is wrong with map files.")

    @Argument(help: "Map files.") var maps: [String]

    func run() throws {
        var failed = false
        for map in maps {
            let issues = MRCFile.validate(path: map)
            if issues.isEmpty {
                print("\(map): valid")
            } else {
                for issue in issues { print("\(map): \(issue)") }
            }
            if issues.contains(where: { $0.hasPrefix("error") }) { failed = true }
        }
        if failed { throw ExitCode(1) }
    }
}
