import Foundation

/// A value the Slurm scripts cannot carry, named by its neutral key (`partition`,
/// `sbatch option`, `manifest path`, …), so a front end can name its own option.
public struct SlurmValueError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What the value is ("partition", "executable", "dataset name", …).
    public var key: String
    /// The value as given.
    public var value: String
    /// What is wrong with it, in words a user acts on.
    public var problem: String

    /// Creates the error.
    public init(key: String, value: String, problem: String) {
        self.key = key; self.value = value; self.problem = problem
    }

    /// `partition "gpu\nx": …`: the value with its control characters spelled out, so the
    /// message stays on one line.
    public var description: String { "\(key) \(String(reflecting: value)): \(problem)" }
}

/// The rules for every value that goes into `array.sbatch` and `aggregate.sbatch`.
///
/// `#SBATCH` lines are comments to bash, but sbatch reads them itself: it splits them on white
/// space, honours its own quotes and backslashes, ends an unquoted argument at `#`, and blanks
/// the words `hetjob` and `packjob`. Their values cannot be shell-quoted, so names (partition,
/// account, QOS, job name) are held to the characters Slurm names use, and extra options to
/// one line. Every value, including the paths and names in comment lines, is refused when it
/// holds a control character: a newline there would start a line of its own, which bash runs.
/// Values on the executed line are quoted with `SlurmBatch.shellQuote`.
enum SlurmScriptValues {
    /// What partition, account, QOS and job names may hold: letters, digits and `._-,:+@%`
    /// (`,` separates several partitions or QOS; `@`, `:`, `+`, `%` occur in site names).
    static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || "._-,:+@%".unicodeScalars.contains(c))
    }

    /// Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
    static func isControl(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// A partition, account, QOS or job name (nil: not set).
    static func checkName(_ value: String?, key: String) throws {
        guard let value else { return }
        guard !value.isEmpty else { throw SlurmValueError(key: key, value: value, problem: "is empty") }
        guard value.unicodeScalars.allSatisfy(isNameCharacter) else {
            throw SlurmValueError(key: key, value: value, problem: "a Slurm \(key) holds only letters, digits and ._-,:+@%")
        }
        try checkNoBlankedWord(value, key: key)
    }

    /// An extra `#SBATCH` option (`--gres=gpu:1`).
    static func checkDirective(_ value: String, key: String) throws {
        guard value.hasPrefix("-") else {
            throw SlurmValueError(key: key, value: value, problem: "an sbatch option starts with '-' (such as --gres=gpu:1)")
        }
        try checkLine(value, key: key)
        try checkNoBlankedWord(value, key: key)
    }

    /// Any value written into a script: no control characters.
    static func checkLine(_ value: String, key: String) throws {
        if value.unicodeScalars.contains(where: isControl) {
            throw SlurmValueError(key: key, value: value, problem: "holds a control character (newline, carriage return, tab, NUL, …), which cannot go into a Slurm script")
        }
    }

    /// The program the tasks run: not empty, one line, and not read as an option of `exec`.
    static func checkExecutable(_ value: String, key: String) throws {
        guard !value.isEmpty else { throw SlurmValueError(key: key, value: value, problem: "is empty") }
        guard !value.hasPrefix("-") else {
            throw SlurmValueError(key: key, value: value, problem: "starts with '-', which exec would read as its option; give the program's path")
        }
        try checkLine(value, key: key)
    }

    /// sbatch blanks `hetjob` and `packjob` (any case) in a directive line before parsing it,
    /// which would split the value into two arguments.
    static func checkNoBlankedWord(_ value: String, key: String) throws {
        let lower = value.lowercased()
        if lower.contains("hetjob") || lower.contains("packjob") {
            throw SlurmValueError(key: key, value: value, problem: "holds 'hetjob' or 'packjob', which sbatch removes from #SBATCH lines")
        }
    }

    /// `value` as one argument of an `#SBATCH` line: double-quoted, with `\` and `"` escaped
    /// (by scalar: a quote carrying a combining mark is still a quote to sbatch).
    static func directiveQuoted(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        for c in value.unicodeScalars {
            if c == "\\" || c == "\"" { out.append("\\") }
            out.append(c)
        }
        return "\"" + String(out) + "\""
    }
}

extension SlurmBatch.Options {
    /// Checks every option before a script is written: names against Slurm's characters,
    /// extra options as one line starting with `-`, the executable and task arguments as one
    /// line each, counts at least 1. Throws a `SlurmValueError` naming the first bad value.
    public func validate() throws {
        try SlurmScriptValues.checkName(partition, key: "partition")
        try SlurmScriptValues.checkName(account, key: "account")
        try SlurmScriptValues.checkName(qos, key: "qos")
        try SlurmScriptValues.checkName(jobName, key: "job name")
        for d in extraDirectives { try SlurmScriptValues.checkDirective(d, key: "sbatch option") }
        try SlurmScriptValues.checkExecutable(executable, key: "executable")
        for a in taskArguments { try SlurmScriptValues.checkLine(a, key: "task argument") }
        let counts: [(String, Int?)] = [("throttle", throttle), ("cpus per task", cpusPerTask), ("memory", memoryMiB), ("minutes", minutes)]
        for (key, n) in counts {
            if let n, n < 1 { throw SlurmValueError(key: key, value: "\(n)", problem: "must be at least 1") }
        }
    }
}

extension SlurmBatch {
    /// Checks everything the scripts of a batch would carry: the options, the manifest path,
    /// the output folder and the dataset names. Runs before anything is written or submitted.
    public static func validate(manifest: BatchManifest, layout: BatchLayout, options: Options) throws {
        try options.validate()
        try SlurmScriptValues.checkLine(manifest.path, key: "manifest path")
        try SlurmScriptValues.checkLine(layout.root, key: "output folder")
        for e in manifest.entries { try SlurmScriptValues.checkLine(e.name, key: "dataset name") }
    }
}
