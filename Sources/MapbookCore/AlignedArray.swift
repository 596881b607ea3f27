import Foundation

/// Storage for an `AlignedArray`: one 64-byte-aligned allocation, freed on deinit.
@usableFromInline
final class AlignedStorage<Element: BitwiseCopyable>: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<Element>
    @usableFromInline let count: Int

    @usableFromInline let bytes: Int

    @usableFromInline
    init(uninitializedCount count: Int) {
        precondition(count >= 0, "negative element count")
        self.count = count
        let (raw, bytes) = LargeBufferPool.shared.allocate(max(1, count) * MemoryLayout<Element>.stride)
        self.bytes = bytes
        pointer = raw.bindMemory(to: Element.self, capacity: max(1, count))
    }

    deinit { LargeBufferPool.shared.release(UnsafeMutableRawPointer(pointer), bytes: bytes) }
}

/// A fixed-size array of plain values in one 64-byte-aligned block, with value semantics
/// (copy on write).
///
/// Volumes and Fourier spectra live in these so FFTW can run its SIMD kernels directly on
/// them (FFTW plans assume the alignment they were made with), without a staging copy.
public struct AlignedArray<Element: BitwiseCopyable>: RandomAccessCollection, MutableCollection, @unchecked Sendable {
    @usableFromInline var storage: AlignedStorage<Element>

    /// An array of `count` copies of `value`.
    public init(repeating value: Element, count: Int) {
        storage = AlignedStorage(uninitializedCount: count)
        storage.pointer.initialize(repeating: value, count: count)
    }

    /// An array whose elements are written by `body` before anyone reads them.
    /// `body` must initialise every element.
    public init(unsafeUninitializedCount count: Int, _ body: (UnsafeMutableBufferPointer<Element>) throws -> Void) rethrows {
        storage = AlignedStorage(uninitializedCount: count)
        try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// Copies the elements of `array`.
    public init(_ array: [Element]) {
        storage = AlignedStorage(uninitializedCount: array.count)
        array.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { storage.pointer.initialize(from: base, count: array.count) }
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }
    public var count: Int { storage.count }

    public subscript(index: Int) -> Element {
        @inlinable get {
            precondition(index >= 0 && index < storage.count, "AlignedArray index out of range")
            return storage.pointer[index]
        }
        @inlinable set {
            precondition(index >= 0 && index < storage.count, "AlignedArray index out of range")
            makeUnique()
            storage.pointer[index] = newValue
        }
    }

    @usableFromInline
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            let copy = AlignedStorage<Element>(uninitializedCount: storage.count)
            copy.pointer.initialize(from: storage.pointer, count: storage.count)
            storage = copy
        }
    }

    /// Read access to the contiguous elements.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Write access to the contiguous elements (copies first if the storage is shared).
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// The elements as a Swift array (a copy).
    public var array: [Element] { withUnsafeBufferPointer { Array($0) } }
}

extension AlignedArray: Equatable where Element: Equatable {
    public static func == (lhs: AlignedArray, rhs: AlignedArray) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.storage === rhs.storage { return true }
        return lhs.withUnsafeBufferPointer { a in rhs.withUnsafeBufferPointer { b in a.elementsEqual(b) } }
    }
}

/// Recycles large buffers (volumes, spectra) inside the process.
///
/// A fresh 64 MB allocation comes from the kernel as untouched pages, and the first write to
/// each page faults: for a 256³ map that costs about as much as an FFT of it. Map algorithms
/// allocate and drop many same-sized buffers (a volume, its spectrum, a copy), so freed large
/// buffers are kept — at most `capacity` of them — and handed out again. A buffer serves any
/// request up to its size and at least 95 % of it, so a real volume can reuse a spectrum's
/// buffer (they differ by < 1 %). Small buffers go straight to the system allocator.
public final class LargeBufferPool: @unchecked Sendable {
    /// The process-wide pool.
    public static let shared = LargeBufferPool()

    /// Buffers smaller than this are not pooled.
    public static let minimumBytes = 1 << 20
    /// Most buffers kept at once.
    public var capacity = 3

    private let lock = NSLock()
    private var free: [(pointer: UnsafeMutableRawPointer, bytes: Int)] = []

    func allocate(_ bytes: Int) -> (UnsafeMutableRawPointer, Int) {
        if bytes >= Self.minimumBytes {
            lock.lock()
            // Best fit among the kept buffers.
            var best: Int? = nil
            for (i, b) in free.enumerated() where b.bytes >= bytes && Double(bytes) >= 0.95 * Double(b.bytes) {
                if best == nil || b.bytes < free[best!].bytes { best = i }
            }
            if let best {
                let b = free.remove(at: best)
                lock.unlock()
                return (b.pointer, b.bytes)
            }
            lock.unlock()
        }
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            fatalError("out of memory allocating \(bytes) bytes")
        }
        return (raw, bytes)
    }

    func release(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        if bytes >= Self.minimumBytes {
            lock.lock()
            if free.count < capacity {
                free.append((pointer, bytes))
                lock.unlock()
                return
            }
            lock.unlock()
        }
        Foundation.free(pointer)
    }

    /// Returns every kept buffer to the system.
    public func drain() {
        lock.lock(); defer { lock.unlock() }
        for b in free { Foundation.free(b.pointer) }
        free.removeAll()
    }
}
