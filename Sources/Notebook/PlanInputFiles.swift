import Foundation
import MapbookCore

extension Plan {
    /// The dataset file `path` made absolute against the plan's folder (as cells resolve it).
    public func resolvedDatasetPath(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL.path }
        return URL(fileURLWithPath: directory + "/" + expanded).standardizedFileURL.path
    }

    /// Throws when a file the dataset block names is missing, unreadable, a folder or not a
    /// regular file (a FIFO or device, which would block or never end when read).
    ///
    /// The error is one line at the file's place in the plan, `plan.yaml:3:15: half_map_1
    /// 'maps/h1.mrc' not found (/data/maps/h1.mrc)`, so a run that cannot start fails before
    /// it writes anything. Only `stat` is used: nothing is opened or read.
    public func checkDatasetFiles() throws {
        for (field, given) in dataset.files {
            let resolved = resolvedDatasetPath(given)
            let kind = ["model": "model file", "sequence": "sequence file", "benchmark": "benchmark table"][field] ?? "map file"
            let shown = given == resolved ? "'\(given)'" : "'\(given)' (\(resolved))"
            var info = stat()
            var problem: String?
            if stat(resolved, &info) != 0 {
                problem = errno == ENOENT ? "not found" : "cannot be read: \(String(cString: strerror(errno)))"
            } else if let why = InputFile.problem(mode: info.st_mode, kind: kind) {
                problem = why
            } else if access(resolved, R_OK) != 0 {
                problem = "cannot be read: \(String(cString: strerror(errno)))"
            }
            if let problem {
                throw PlanProblem("dataset \(field): \(shown) \(problem)", at: datasetFilePositions[field]).error(path: path)
            }
        }
    }
}
