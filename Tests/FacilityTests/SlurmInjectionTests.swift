import Foundation
import Testing
import MapbookCore
import MapModel
import TestSupport
@testable import Facility

@Suite("Slurm scripts: no value breaks out of its line")
struct SlurmInjectionTests {
    /// Shell tricks, each of which creates a file named PWNED if the shell ever runs it.
    static let shellTricks = ["$(touch PWNED)", "`touch PWNED`", ";touch PWNED", "x'; touch PWNED; '", "x\"; touch PWNED; \"",
                              "x'\u{301}; touch PWNED; '", "a b|touch PWNED", "&& touch PWNED #"]
    /// Tricks that start a line of their own.
    static let lineTricks = ["x\ntouch PWNED", "x\rtouch PWNED", "x\r\ntouch PWNED", "x\u{0}touch PWNED", "x\u{2028}touch PWNED", "x\u{85}y", "x\ty", "x\u{1B}[2J"]

    /// A manifest of two datasets (8³ maps) in a folder whose name holds quotes, `$`, backticks
    /// and spaces, beside `root`.
    static func batch(in root: String) throws -> BatchManifest {
        let folder = root + "/plans 'q' \"dq\" $HOME `touch PWNED` $(touch PWNED); x"
        for d in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + d, withIntermediateDirectories: true)
            for h in ["half1.mrc", "half2.mrc"] { try MRCFile.write(Volume(grid: VoxelGrid(cube: 8, voxel: 1)) { _, _, _ in 0 }, to: "\(folder)/\(d)/\(h)") }
        }
        try Data("dataset:\n  half_maps: [half1.mrc, half2.mrc]\ncells:\n  - kind: fsc\n".utf8).write(to: URL(fileURLWithPath: folder + "/t.yaml"))
        try Data("template t.yaml\ndataset a first-set\ndataset b second.set_2\n".utf8).write(to: URL(fileURLWithPath: folder + "/m $(touch PWNED).txt"))
        return try BatchManifest.load(path: folder + "/m $(touch PWNED).txt")
    }

    @Test("refused: names outside Slurm's characters, control characters anywhere, options without '-'; no script is written, nothing submitted")
    func refused() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let manifest = try Self.batch(in: dir.path)
        let layout = BatchLayout(root: dir.file("out"))
        let bin = try Self.standIns(in: dir.file("bin"), log: dir.file("sbatch.log"))
        var cases: [(key: String, set: (inout SlurmBatch.Options) -> Void)] = []
        for v in Self.shellTricks + Self.lineTricks + ["", "gpu hetjob", "a#b", "x=y", "ünï"] {
            cases.append(("partition", { $0.partition = v }))
            cases.append(("account", { $0.account = v }))
            cases.append(("qos", { $0.qos = v }))
            cases.append(("job name", { $0.jobName = v }))
        }
        for v in Self.lineTricks {
            cases.append(("sbatch option", { $0.extraDirectives = ["--gres=gpu:1", "--comment=" + v] }))
            cases.append(("executable", { $0.executable = "/opt/mapbook" + v }))
            cases.append(("task argument", { $0.taskArguments = ["--formats", v] }))
        }
        for v in ["touch PWNED", "$(touch PWNED)", "gres=gpu:1", "--x=PACKJOB"] { cases.append(("sbatch option", { $0.extraDirectives = [v] })) }
        for v in ["", "-a", "--help"] { cases.append(("executable", { $0.executable = v })) }
        cases.append(("throttle", { $0.throttle = 0 }))
        cases.append(("memory", { $0.memoryMiB = -1 }))
        for (key, set) in cases {
            var options = SlurmBatch.Options(executable: "/opt/mapbook/bin/mapbook")
            options.commandFolder = bin
            set(&options)
            let error = #expect(throws: SlurmValueError.self) { try SlurmBatch.submit(manifest: manifest, layout: layout, options: options) }
            #expect(error?.key == key, "\(key): \(String(describing: error))")
            #expect(error.map { !$0.description.contains("\n") && !$0.description.contains("\r") } ?? false, "\(String(describing: error))")
            #expect(throws: SlurmValueError.self) { try SlurmBatch.arrayScript(manifest: manifest, layout: layout, indices: [0], options: options) }
            #expect(throws: SlurmValueError.self) { try SlurmBatch.aggregateScript(manifest: manifest, layout: layout, options: options) }
        }
        #expect(!FileManager.default.fileExists(atPath: layout.root), "a refused value left files behind")
        #expect(!FileManager.default.fileExists(atPath: dir.file("sbatch.log")), "a refused value reached sbatch")
        #expect(SlurmValueError(key: "partition", value: "a\nb", problem: "p").description == #"partition "a\nb": p"#)

        // Paths and names the scripts carry: a newline in any of them is refused too.
        let options = SlurmBatch.Options(executable: "/opt/mapbook/bin/mapbook")
        for bad in Self.lineTricks {
            // BatchLayout standardises the path (NUL becomes %00, U+0085 goes): what is left must not pass.
            let out = BatchLayout(root: dir.file("out" + bad))
            let refused = (try? SlurmBatch.validate(manifest: manifest, layout: out, options: options)) == nil
            #expect(refused || !out.root.unicodeScalars.contains(where: SlurmScriptValues.isControl), "\(out.root.debugDescription)")
            var m = manifest
            m.path += bad
            #expect((try? SlurmBatch.validate(manifest: m, layout: layout, options: options)) == nil)
            m = manifest
            m.entries[1].name += bad
            #expect((try? SlurmBatch.arrayScript(manifest: m, layout: layout, indices: [0, 1], options: options)) == nil)
        }
    }

    @Test("run with bash, hostile but accepted values stay inert and reach mapbook intact; sbatch reads each directive as meant")
    func runWithBash() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let manifest = try Self.batch(in: dir.path)
        let layout = BatchLayout(root: dir.file("out 'q' \"dq\" $(touch PWNED) `touch PWNED` #1 50%"))
        let stubFolder = dir.file("bin $(touch PWNED) 'q' `touch PWNED`")
        try FileManager.default.createDirectory(atPath: stubFolder, withIntermediateDirectories: true)
        let stub = stubFolder + "/mapbook \"stub\" ünï"
        try Data("#!/bin/bash\nprintf '%s\\n' \"$@\" > \"$ARGV_LOG\"\n".utf8).write(to: URL(fileURLWithPath: stub))
        chmod(stub, 0o755)
        var options = SlurmBatch.Options(executable: stub)
        options.partition = "gpu,debug"; options.account = "proj-1@site.org"; options.qos = "normal+high:%x"
        options.jobName = "nightly_2024.06"
        options.extraDirectives = ["--gres=gpu:1", "--comment=$(touch PWNED); touch PWNED `touch PWNED` 'x' \"y\" # z"]
        options.taskArguments = ["--formats", "html", "--note=$(touch PWNED)", "it's", "", "ünïcödé", "a\"b", "`touch PWNED`", "x'\u{301};touch PWNED;'"]
        try layout.prepare()
        let array = try SlurmBatch.arrayScript(manifest: manifest, layout: layout, indices: [0, 1], options: options)
        let aggregate = try SlurmBatch.aggregateScript(manifest: manifest, layout: layout, options: options)
        try Data(array.utf8).write(to: URL(fileURLWithPath: layout.slurm + "/array.sbatch"))
        try Data(aggregate.utf8).write(to: URL(fileURLWithPath: layout.slurm + "/aggregate.sbatch"))

        // What sbatch reads from the directives: one argument per value, paths intact.
        let directives = array.split(separator: "\n").filter { $0.hasPrefix("#SBATCH") }.map { Self.sbatchArguments(String($0.dropFirst(7))) }
        #expect(directives.contains(["--partition=gpu,debug"]) && directives.contains(["--account=proj-1@site.org"]) && directives.contains(["--qos=normal+high:%x"]))
        #expect(directives.contains(["--job-name=nightly_2024.06"]) && directives.contains(["--gres=gpu:1"]))
        #expect(directives.contains(["--output=\(layout.logs)/task_%A_%a.out"]), "\(directives)")
        #expect(directives.contains(["--comment=$(touch", "PWNED);", "touch", "PWNED", "`touch", "PWNED`", "x", "y"]), "an extra option is sbatch's to parse, on its own line")
        let indexDirectives = aggregate.split(separator: "\n").filter { $0.hasPrefix("#SBATCH") }.map { Self.sbatchArguments(String($0.dropFirst(7))) }
        #expect(indexDirectives.contains(["--output=\(layout.logs)/index_%j.out"]) && indexDirectives.contains(["--job-name=nightly_2024.06-index"]))
        // Every line of the scripts is one of ours: comments, directives, `set -u`, `exec`.
        for line in (array + aggregate).split(separator: "\n") {
            #expect(line.hasPrefix("#") || line == "set -u" || line.hasPrefix("exec "), "\(line)")
        }

        let work = dir.file("work")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let arrayArgv = try Self.runBash(layout.slurm + "/array.sbatch", in: work, log: dir.file("array.argv"))
        #expect(arrayArgv == ["batch", "task", manifest.path, "--output", layout.root, "--index", "1", "--threads", "3"] + options.taskArguments,
                "\(arrayArgv)")
        let indexArgv = try Self.runBash(layout.slurm + "/aggregate.sbatch", in: work, log: dir.file("index.argv"))
        #expect(indexArgv == ["batch", "index", manifest.path, "--output", layout.root], "\(indexArgv)")
        #expect(Self.pwned(dir.path).isEmpty, "\(Self.pwned(dir.path))")
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/PWNED"))
    }

    @Test("shellQuote: safe words bare; everything else single-quoted, so bash gives the word back unchanged")
    func shellQuote() throws {
        #expect(SlurmBatch.shellQuote("/opt/mapbook-1.0/bin/mapbook") == "/opt/mapbook-1.0/bin/mapbook")
        #expect(SlurmBatch.shellQuote("") == "''")
        #expect(SlurmBatch.shellQuote("it's") == #"'it'\''s'"#)
        #expect(SlurmBatch.shellQuote("x'\u{301}") == "'x'\\''\u{301}'")
        #expect(SlurmBatch.shellQuote("ünï") == "'ünï'")
        #expect(SlurmBatch.shellQuote("~") == "'~'" && SlurmBatch.shellQuote("a*") == "'a*'" && SlurmBatch.shellQuote("{a,b}") == "'{a,b}'")
        let words = Self.shellTricks + ["", "'", "''", "\"", "\\", "~root", "*", "$HOME", "!!", "ünïcödé", "a\u{301}'\u{301}b", "-n", "x\ny"]
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "printf '%s\\0' " + words.map(SlurmBatch.shellQuote).joined(separator: " ")]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(String(decoding: data, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init) == words)
    }

    // MARK: helpers

    /// Stand-in sbatch, squeue and scontrol in `folder`; sbatch logs to `log`.
    static func standIns(in folder: String, log: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in ["sbatch": "#!/bin/sh\necho \"$@\" >> '\(log)'\necho 41\n", "squeue": "#!/bin/sh\n", "scontrol": "#!/bin/sh\nexit 1\n"] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
            chmod(folder + "/" + name, 0o755)
        }
        return folder
    }

    /// Runs `script` with bash as an array task would (task 1, 3 cores), in `folder`; the
    /// stand-in mapbook's arguments, one a line.
    static func runBash(_ script: String, in folder: String, log: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script]
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        p.environment = ["PATH": "/usr/bin:/bin", "HOME": folder, "SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_JOB_ID": "41",
                         "SLURM_JOB_ID": "42", "SLURM_CPUS_PER_TASK": "3", "ARGV_LOG": log]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let text = try? String(contentsOfFile: log, encoding: .utf8) else { return ["exit \(p.terminationStatus)"] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Every file named PWNED under `folder`.
    static func pwned(_ folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { $0.hasSuffix("PWNED") && ($0 as NSString).lastPathComponent == "PWNED" }
    }

    /// The arguments sbatch reads from the rest of an `#SBATCH` line: split on white space,
    /// '…' and "…" group, backslash escapes, an unquoted # ends the line (Slurm's
    /// `_get_argument` in src/sbatch/opt.c).
    static func sbatchArguments(_ line: String) -> [String] {
        var args: [String] = [], current = "", inArgument = false, quote: Unicode.Scalar? = nil, escaped = false
        for c in line.unicodeScalars {
            if escaped { current.unicodeScalars.append(c); escaped = false; inArgument = true; continue }
            if c == "\\" { escaped = true; inArgument = true; continue }
            if let q = quote { if c == q { quote = nil } else { current.unicodeScalars.append(c) }; continue }
            if c == "\"" || c == "'" { quote = c; inArgument = true; continue }
            if c == "#" { break }
            if c == " " || c == "\t" {
                if inArgument { args.append(current); current = ""; inArgument = false }
                continue
            }
            current.unicodeScalars.append(c); inArgument = true
        }
        if inArgument { args.append(current) }
        return args
    }
}
