import Foundation
import Testing
import TestSupport
@testable import MapbookCore

/// A result handed from the thread that made it (the semaphore orders the access).
private final class Outcome<T>: @unchecked Sendable { var value: Result<T, Error>? }

@Suite("External commands")
struct ExternalCommandTests {
    /// Runs `body` on a thread of its own; nil when it has not returned within `seconds` (a
    /// deadlocked runner then fails the test instead of hanging the suite).
    static func within<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () throws -> T) -> Result<T, Error>? {
        let box = Outcome<T>(), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            box.value = Result { try body() }
            done.signal()
        }
        return done.wait(timeout: .now() + seconds) == .success ? box.value : nil
    }

    @Test("a child that writes 1 MiB to stderr, then 1 MiB to stdout, finishes; both streams come back whole")
    func bothPipesDrained() throws {
        // Reading stdout to its end first would wait forever: the child blocks on the full stderr pipe.
        let script = "head -c 1048576 /dev/zero | tr '\\000' e >&2; head -c 1048576 /dev/zero | tr '\\000' o; exit 3"
        let outcome = try #require(Self.within(60) { try ExternalCommand.run("/bin/sh", ["-c", script]) }, "the runner deadlocked")
        let r = try outcome.get()
        #expect(r.status == 3 && !r.signalled && !r.succeeded)
        #expect(r.stderr.count == 1 << 20 && r.stderr.allSatisfy { $0 == UInt8(ascii: "e") })
        #expect(r.stdout.count == 1 << 20 && r.stdout.allSatisfy { $0 == UInt8(ascii: "o") })
    }

    @Test("the environment given replaces the inherited one; a log file receives both streams")
    func environmentAndLog() throws {
        let r = try ExternalCommand.run("/bin/sh", ["-c", "printf '%s' \"$MAPBOOK_PROBE|$HOME\""], environment: ["MAPBOOK_PROBE": "x y"])
        #expect(r.succeeded && r.stdoutText == "x y|")
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        try Data("stale\n".utf8).write(to: URL(fileURLWithPath: dir.file("log")))
        let logged = try ExternalCommand.run("/bin/sh", ["-c", "echo out; echo err >&2; kill -KILL $$"], log: dir.file("log"))
        #expect(logged.signalled && logged.status == SIGKILL)
        #expect(logged.stdout.isEmpty && logged.stderr.isEmpty)
        #expect(try String(contentsOfFile: dir.file("log"), encoding: .utf8) == "out\nerr\n")
    }

    @Test("a program that does not exist is an error, not a status")
    func missingProgram() {
        #expect(throws: MapbookError.self) { try ExternalCommand.run("/nonexistent/mapbook-probe", []) }
    }
}
