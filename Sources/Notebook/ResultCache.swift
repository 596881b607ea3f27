import Foundation
import MapbookCore
import MapModel

/// Finished cells on disk, one folder per cache key: `record.json` (numbers, map names,
/// timing), `result.json` (the cell's typed result) and one MRC file per output map.
///
/// A folder is written under a temporary name and renamed into place once complete, so a
/// crash never leaves an entry that looks valid.
final class ResultCache {
    /// What is known about a cached cell besides its result.
    struct Record: Codable {
        var key: String
        var kind: String
        var cell: String
        var mapbookVersion: String
        var numbers: [String: Quantity]
        var maps: [String]
        var wallSeconds: Double
        var peakMemoryBytes: Int?
    }

    /// A cache entry found on disk.
    struct Entry {
        var record: Record
        var result: Data
        var mapPaths: [String: String]
    }

    let directory: String

    /// A cache in `directory` (created when missing).
    init(directory: String) throws {
        self.directory = directory
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        catch { throw MapbookError("cannot create the cache folder: \(error.localizedDescription)", path: directory) }
    }

    func folder(_ key: String) -> String { directory + "/" + key }

    /// The entry for `key`, when complete.
    func lookup(_ key: String) -> Entry? {
        let dir = folder(key)
        guard let recordData = FileManager.default.contents(atPath: dir + "/record.json"),
              let record = try? CanonicalJSON.decode(Record.self, from: recordData),
              let result = FileManager.default.contents(atPath: dir + "/result.json") else { return nil }
        var paths: [String: String] = [:]
        for name in record.maps {
            let p = dir + "/\(name).mrc"
            guard FileManager.default.fileExists(atPath: p) else { return nil }
            paths[name] = p
        }
        return Entry(record: record, result: result, mapPaths: paths)
    }

    /// Stores a finished cell; returns the paths of its maps.
    func store(_ record: Record, result: Data, maps: [String: Volume]) throws -> [String: String] {
        let fm = FileManager.default
        let final = folder(record.key)
        let temporary = directory + "/.incomplete-\(record.key)-\(getpid())"
        try? fm.removeItem(atPath: temporary)
        do {
            try fm.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            for (name, volume) in maps {
                try MRCFile.write(volume, to: temporary + "/\(name).mrc", labels: ["mapbook \(record.mapbookVersion) cell \(record.cell) output \(name)"])
            }
            try AtomicFile.write(result, to: temporary + "/result.json")
            try AtomicFile.write(try CanonicalJSON.encode(record), to: temporary + "/record.json")
            try? fm.removeItem(atPath: final)
            guard rename(temporary, final) == 0 else {
                throw MapbookError("cannot move a cache entry into place: \(String(cString: strerror(errno)))", path: final)
            }
        } catch {
            try? fm.removeItem(atPath: temporary)
            if let e = error as? MapbookError { throw e }
            throw MapbookError("cannot write the cache entry: \(error.localizedDescription)", path: final)
        }
        return Dictionary(uniqueKeysWithValues: maps.keys.map { ($0, final + "/\($0).mrc") })
    }
}
