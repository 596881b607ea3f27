import CZlib
import Foundation
import MapbookCore

/// A file opened for sequential reading, plain or gzip-compressed: maps, and the text of atomic
/// models.
///
/// zlib's gzread passes uncompressed files through unchanged ("transparent" mode), so one
/// code path serves `.map`, `.mrc`, `.map.gz`, `.pdb` and `.cif.gz` alike, and large reads of
/// plain files go straight from the kernel into the caller's buffer without a staging copy.
final class MapInputStream {
    /// The path as given (used in every error message).
    let path: String
    /// Size of the file on disk in bytes (compressed size for a gzip file).
    let fileSize: Int
    private let file: gzFile

    /// gzread takes an unsigned int length and returns an int; 1 GiB chunks stay well inside both.
    private static let chunk = 1 << 30

    /// Opens `path`, failing with a one-line error when it is missing, a folder, not a regular
    /// file or unreadable. `kind` names what the file should be, for the messages.
    ///
    /// Only regular files are read. The file is opened without blocking and judged by `fstat`
    /// on what was opened, before any read: a FIFO would otherwise wait for a writer forever
    /// and a device such as /dev/zero never ends. (A symbolic link is followed to what it names.)
    init(path: String, kind: String = "map file") throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let why = errno == ENOENT ? "file not found" : "cannot open file: \(String(cString: strerror(errno)))"
            throw MapbookError(why, path: path)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw MapbookError("cannot open file: \(reason)", path: path)
        }
        if let why = InputFile.problem(mode: info.st_mode, kind: kind) {
            close(fd)
            throw MapbookError(why, path: path)
        }
        fileSize = Int(info.st_size)
        // Reads of a regular file never block; clear the flag anyway so zlib sees a plain descriptor.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        guard let f = gzdopen(fd, "rb") else {
            close(fd)
            throw MapbookError("cannot open file: out of memory for the decompressor", path: path)
        }
        file = f
        // A larger buffer than zlib's 8 KiB default makes decompression of big maps several
        // times faster; it must be set before the first read.
        gzbuffer(file, 1 << 20)
    }

    deinit { gzclose(file) }

    /// Whether the file is gzip-compressed (valid once something has been read).
    var isCompressed: Bool { gzdirect(file) == 0 }

    /// Reads up to `count` bytes into `buffer`; returns how many were read (fewer only at the
    /// end of the file, or of the intact part of a damaged gzip stream).
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        var done = 0
        while done < count {
            let want = min(Self.chunk, count - done)
            let got = gzread(file, buffer + done, UInt32(want))
            if got < 0 {
                // A gzip stream cut short is the end of the data, not corruption: the caller
                // compares what it got with what it needed and reports the file as truncated.
                if errorCode == Z_BUF_ERROR { break }
                throw MapbookError("cannot read: \(errorText())", path: path)
            }
            if got == 0 { break }
            done += Int(got)
        }
        return done
    }

    /// Reads `count` bytes into a new array (short at end of file).
    func readBytes(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withUnsafeMutableBytes { try read(into: $0.baseAddress!, count: count) }
        bytes.removeLast(count - got)
        return bytes
    }

    /// Reads and discards up to `count` bytes; returns how many there were.
    func skip(_ count: Int) throws -> Int {
        guard count > 0 else { return 0 }
        let scratchSize = min(count, 1 << 20)
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchSize, alignment: 16)
        defer { scratch.deallocate() }
        var done = 0
        while done < count {
            let got = try read(into: scratch, count: min(scratchSize, count - done))
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// Reads everything left in the (decompressed) stream.
    func readToEnd(limit: Int = .max, what: String = "the file") throws -> [UInt8] {
        var bytes: [UInt8] = []
        // Start from the file size: exact for a plain file, a first guess for a gzip one.
        var capacity = max(1 << 16, fileSize)
        while true {
            // A gzip file can expand a thousandfold: stop at the limit rather than exhaust memory.
            guard bytes.count <= limit else {
                throw MapbookError("holds more than \(ByteCount.text(limit)) (decompressed): too large for \(what)", path: path)
            }
            capacity = min(capacity, limit == .max ? capacity : limit + 1)
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: capacity - start))
            let got = try bytes.withUnsafeMutableBytes { try read(into: $0.baseAddress! + start, count: capacity - start) }
            if got < capacity - start {
                bytes.removeLast(capacity - start - got)
                return bytes
            }
            capacity = capacity > Int.max / 2 ? Int.max : capacity * 2
        }
    }

    /// Counts the bytes left before the end of the (decompressed) stream, consuming them.
    func countRemaining() throws -> Int {
        var total = 0
        while true {
            let got = try skip(1 << 24)
            total += got
            if got < 1 << 24 { return total }
        }
    }

    /// zlib's error code for the stream (Z_OK when there is none).
    private var errorCode: Int32 {
        var code: Int32 = 0
        _ = gzerror(file, &code)
        return code
    }

    private func errorText() -> String {
        var code: Int32 = 0
        guard let msg = gzerror(file, &code) else { return "unknown zlib error" }
        if code == Z_ERRNO { return String(cString: strerror(errno)) }
        let text = String(cString: msg)
        return text.isEmpty ? "zlib error \(code)" : "corrupt gzip data (\(text))"
    }
}
