import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How many threads mapbook's loops and FFTs use. Set once at start-up (`--threads`);
/// defaults to every core the process may use.
public enum Parallelism {
    nonisolated(unsafe) private static var configured: Int = 0

    /// The number of worker threads (at least 1).
    public static var threads: Int {
        get { configured > 0 ? configured : ProcessInfo.processInfo.activeProcessorCount }
        set { configured = max(1, newValue) }
    }

    /// Runs `body(chunk, range)` for `count` items split into contiguous ranges, one range per
    /// worker, in parallel. Each range is processed by exactly one call.
    public static func forEachRange(_ count: Int, minimumPerChunk: Int = 1, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = chunkCount(count, minimumPerChunk: minimumPerChunk)
        if chunks == 1 { body(0, 0..<count); return }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            body(c, chunkRange(c, of: chunks, count: count))
        }
    }

    /// The number of chunks `forEachRange` will use for `count` items.
    public static func chunkCount(_ count: Int, minimumPerChunk: Int = 1) -> Int {
        max(1, min(threads, count / max(1, minimumPerChunk)))
    }

    /// The range of chunk `c` of `chunks` over `count` items.
    public static func chunkRange(_ c: Int, of chunks: Int, count: Int) -> Range<Int> {
        (c * count / chunks)..<((c + 1) * count / chunks)
    }

    /// The block of `blockPartials`: 2¹⁶ items.
    public static let reductionBlock = 1 << 16

    /// `partial(range)` over fixed blocks of `reductionBlock` items of 0 ..< `count`, computed in
    /// parallel and returned in block order. The blocks do not depend on the thread count, so
    /// sums folded from them in order are the same to the last bit on any number of threads.
    public static func blockPartials<T>(_ count: Int, empty: T, _ partial: (Range<Int>) -> T) -> [T] {
        let block = reductionBlock
        let blocks = (count + block - 1) / block
        var parts = [T](repeating: empty, count: blocks)
        parts.withUnsafeMutableBufferPointer { out in
            forEachRange(blocks) { _, range in
                for c in range { out[c] = partial((c * block)..<min(count, (c + 1) * block)) }
            }
        }
        return parts
    }
}
