import Foundation
import Testing
import TestSupport

/// The library speaks in parameter keys: no error or warning it writes names a command-line
/// flag (the command line phrases a refused value as a flag itself; a plan user never typed one).
@Suite("Neutral library errors")
struct NeutralErrorsTests {
    /// Constructors of messages a user reads.
    static let messageMarkers = ["MapbookError(", "ParameterProblem(", "PlanProblem(", "warnings.append(", "warn(", "note("]

    /// Library source lines that build a message and put a `--flag` inside a string literal.
    static func offendingLines() throws -> [String] {
        let sources = SharedData.packageRoot.appendingPathComponent("Sources")
        var found: [String] = []
        let targets = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { $0 != "mapbook" }
        for target in targets {
            guard let files = FileManager.default.enumerator(atPath: sources.appendingPathComponent(target).path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: sources.appendingPathComponent(target).appendingPathComponent(file), encoding: .utf8)
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where messageMarkers.contains(where: { line.contains($0) }) && Self.literalNamesFlag(String(line)) {
                    found.append("\(target)/\(file):\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        return found
    }

    /// Whether a string literal on the line holds `--` followed by a letter.
    static func literalNamesFlag(_ line: String) -> Bool {
        var inside = false
        var previous: Character = " ", beforePrevious: Character = " "
        for c in line {
            if c == "\"" && previous != "\\" { inside.toggle() }
            if inside && beforePrevious == "-" && previous == "-" && c.isLetter { return true }
            beforePrevious = previous; previous = c
        }
        return false
    }

    @Test("the detector finds a flag in a message literal and nothing else")
    func detector() {
        #expect(Self.literalNamesFlag(#"throw MapbookError("--cycles must be at least 1")"#))
        #expect(!Self.literalNamesFlag(#"throw ParameterProblem(key: "cycles", value: "0", "must be at least 1")"#))
        #expect(!Self.literalNamesFlag(#"let x = a -- b; MapbookError("fine")"#))
    }

    @Test("no library message names a command-line flag")
    func noFlags() throws {
        let lines = try Self.offendingLines()
        #expect(lines.isEmpty, "library messages naming flags:\n\(lines.joined(separator: "\n"))")
    }
}
