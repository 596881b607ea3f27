import Foundation

/// The programs the report checks use, found on PATH. Each check is skipped, with the reason
/// printed, where its program is missing (CI installs them; see .ci/run).
enum ExternalTools {
    /// The first of `names` on PATH.
    static func find(_ names: String...) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    static let chromium = find("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
    static let qpdf = find("qpdf")
    static let pdftoppm = find("pdftoppm")
    static let pdfinfo = find("pdfinfo")
    static let pdftotext = find("pdftotext")
    /// python3, when it can import nbformat.
    static let nbformatPython: String? = {
        guard let python = find("python3") else { return nil }
        return (try? run(python, ["-c", "import nbformat"]).status == 0) == true ? python : nil
    }()

    /// Prints why a check is skipped and returns whether it may run.
    static func available(_ tool: String?, _ what: String) -> Bool {
        if tool == nil { print("skipping: \(what) not found (install it; see .ci/run)") }
        return tool != nil
    }

    struct Result { var status: Int32; var output: String }

    /// Runs `program` with `arguments`, returning its exit status and combined output.
    static func run(_ program: String, _ arguments: [String], timeout: TimeInterval = 120) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
