/// The lines of a text file held in memory, numbered from 1, without their line endings
/// (LF or CR LF), for the atomic-model readers.
struct TextLines: Sequence {
    /// The whole file.
    let bytes: [UInt8]

    /// One line: its number and its bytes.
    struct Line {
        /// 1-based line number.
        let number: Int
        /// The line's bytes, without the line ending.
        let bytes: ArraySlice<UInt8>

        /// Columns `first ... last` (1-based, inclusive, as format documents count them),
        /// clipped to the line's length, as text.
        func columns(_ first: Int, _ last: Int) -> Substring {
            let start = bytes.startIndex + first - 1
            let end = Swift.min(bytes.endIndex, bytes.startIndex + last)
            guard start < end else { return "" }
            return Substring(decoding: bytes[start..<end], as: UTF8.self)
        }

        /// Whether the line starts with `prefix` (ASCII).
        func hasPrefix(_ prefix: StaticString) -> Bool {
            let p = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
            guard bytes.count >= p.count else { return false }
            return zip(bytes, p).allSatisfy { $0 == $1 }
        }

        /// Length in columns.
        var count: Int { bytes.count }
    }

    /// Iterates over the lines.
    struct Iterator: IteratorProtocol {
        let bytes: [UInt8]
        var position = 0
        var number = 0

        mutating func next() -> Line? {
            guard position < bytes.count else { return nil }
            var end = position
            while end < bytes.count && bytes[end] != 10 { end += 1 }
            let next = end + 1
            if end > position && bytes[end - 1] == 13 { end -= 1 }
            number += 1
            let line = Line(number: number, bytes: bytes[position..<end])
            position = next
            return line
        }
    }

    /// An iterator from the first line.
    func makeIterator() -> Iterator { Iterator(bytes: bytes) }
}
