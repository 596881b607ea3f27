import Foundation

extension CLI {
    /// Runs the binary as `run` does, but stops it after `timeout` seconds; `timedOut` says
    /// whether it had to be stopped (an input that makes mapbook hang, such as a FIFO).
    static func run(_ args: [String], timeout: TimeInterval) throws -> (result: Result, timedOut: Bool) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let stopped = Flag()
        let watchdog = DispatchWorkItem {
            if p.isRunning { stopped.set(); p.terminate() }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        // Read both pipes at once so a full stderr cannot block the process writing stdout.
        let errData = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        watchdog.cancel()
        let result = Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                            stderr: String(decoding: errData.data, as: UTF8.self))
        return (result, stopped.isSet)
    }

    /// Bytes read on another thread (read after that thread has finished).
    final class DataBox: @unchecked Sendable {
        var data = Data()
    }

    /// A flag set from another thread.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.lock(); value = true; lock.unlock() }
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    }
}
