import Foundation

/// The rule every writer follows: no output replaces or deletes an input.
///
/// Outputs are checked before any work starts, so a run that would destroy one of its own
/// inputs fails at once, naming both paths, and writes nothing. Paths are compared after
/// making them absolute and resolving symbolic links (for the part of the path that exists),
/// and files are also compared by device and inode, so a hard link or a second spelling of
/// the same file is caught too.
public enum OutputSafety {
    /// `path` made absolute, with `~` expanded, `.`/`..` removed and symbolic links resolved
    /// for the longest prefix that exists.
    public static func canonical(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let absolute = expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
        var url = URL(fileURLWithPath: absolute).standardizedFileURL
        var tail: [String] = []
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.path) {
            tail.insert(url.lastPathComponent, at: 0)
            url.deleteLastPathComponent()
        }
        var resolved = url.path
        if let real = realpath(url.path, nil) {
            resolved = String(cString: real)
            free(real)
        }
        for part in tail { resolved = resolved == "/" ? "/" + part : resolved + "/" + part }
        return resolved
    }

    /// Whether `a` and `b` name the same existing file (same canonical path, or the same
    /// device and inode), or the same path when neither exists.
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        if canonical(a) == canonical(b) { return true }
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// Refuses writing the file `output` when that would replace one of `inputs`.
    public static func checkFile(_ output: String, inputs: [String]) throws {
        for input in inputs where sameFile(output, input) {
            throw MapbookError("the output would overwrite the input file \(input); choose another output", path: output)
        }
    }

    /// Refuses writing the file `output` when that would replace one of `inputs`, or replace
    /// any existing file unless `replaceExisting` (the command's `force`) is set.
    /// The folder must exist and be writable: the check comes before the work, so a command
    /// never computes for an output it cannot write.
    public static func checkNewFile(_ output: String, inputs: [String], replaceExisting: Bool) throws {
        guard !output.isEmpty else { throw MapbookError("an output file name is empty") }
        try checkFile(output, inputs: inputs)
        let folder = (canonical(output) as NSString).deletingLastPathComponent
        var folderIsDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &folderIsDirectory), folderIsDirectory.boolValue else {
            throw MapbookError("the output's folder \(folder) does not exist", path: output)
        }
        guard access(folder, W_OK) == 0 else { throw MapbookError("cannot write into the output's folder \(folder) (no permission)", path: output) }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw MapbookError("the output is a folder; give a file name", path: output) }
            if !replaceExisting { throw MapbookError("the output file exists; give force to replace it, or choose another name", path: output) }
        }
    }

    /// Refuses replacing or deleting `folder` (and all it holds) when one of `inputs` lies in it.
    public static func checkFolder(_ folder: String, inputs: [String]) throws {
        let root = canonical(folder)
        for input in inputs {
            let c = canonical(input)
            if c == root || c.hasPrefix(root == "/" ? "/" : root + "/") {
                throw MapbookError("the output would overwrite the folder holding the input \(input); choose another output folder", path: folder)
            }
        }
    }
}
