import Foundation
import MapbookCore

extension MRCFile {
    /// Throws when `output` names the same file as one of `inputs`.
    ///
    /// Paths are compared after resolving symbolic links and `.`/`..`, and, when the output
    /// already exists, by device and inode, so a hard link or a different spelling of an
    /// input path is caught too.
    public static func checkOutput(_ output: String, isNotAmong inputs: [String]) throws {
        guard !inputs.isEmpty else { return }
        let outPath = canonicalPath(output)
        let outID = fileIdentity(output)
        for input in inputs {
            if canonicalPath(input) == outPath || (outID != nil && fileIdentity(input) == outID) {
                throw MapbookError("refusing to write over the input file \(input); choose another output path", path: output)
            }
        }
    }

    private static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }

    private struct FileIdentity: Equatable { var device: UInt64; var inode: UInt64 }

    private static func fileIdentity(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
