import Foundation

/// Storage for an `AlignedArray`: one 64-byte-aligned allocation, freed on deinit.
@usableFromInline
final class AlignedStorage<Element: BitwiseCopyable>: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<Element>
    @usableFromInline let count: Int

    /// Bytes allocated: at least `count` elements, more for large buffers (see
    /// `LargeBufferPool.capacity(for:)`).
    @usableFromInline let bytes: Int
    /// Set when another storage took over the allocation (`AlignedArray.reinterpreted`).
    @usableFromInline var handedOver = false

    @usableFromInline
    init(uninitializedCount count: Int) {
        precondition(count >= 0, "negative element count")
        self.count = count
        let (raw, bytes) = LargeBufferPool.shared.allocate(max(1, count) * MemoryLayout<Element>.stride)
        self.bytes = bytes
        pointer = raw.bindMemory(to: Element.self, capacity: max(1, count))
    }

    /// Takes over an allocation of `bytes` bytes holding `count` elements.
    @usableFromInline
    init(adopting raw: UnsafeMutableRawPointer, bytes: Int, count: Int) {
        precondition(count * MemoryLayout<Element>.stride <= bytes, "allocation too small")
        self.count = count
        self.bytes = bytes
        pointer = raw.bindMemory(to: Element.self, capacity: max(1, count))
    }

    deinit {
        if !handedOver { LargeBufferPool.shared.release(UnsafeMutableRawPointer(pointer), bytes: bytes) }
    }
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

    /// Bytes the allocation holds; large arrays hold more than their elements need, so that
    /// an in-place transform can reuse them (see `LargeBufferPool.capacity(for:)`).
    public var allocatedBytes: Int { storage.bytes }

    /// Whether this array is the only owner of its allocation (so `reinterpreted` can take it
    /// over without a copy).
    public mutating func ownsAllocationAlone() -> Bool { isKnownUniquelyReferenced(&storage) }

    /// Hands this array's allocation over, reinterpreted as `count` elements of another type,
    /// after `body` has rewritten its bytes (given the whole allocation); this array is left
    /// empty. No copy and no new memory: for transforms that work in place, such as a
    /// real-to-complex FFT. The array must be the only owner of its allocation
    /// (`ownsAllocationAlone()`), and the allocation must hold `count` new elements.
    public mutating func handOver<New: BitwiseCopyable>(as type: New.Type, count: Int,
                                                         _ body: (UnsafeMutableRawBufferPointer) -> Void) -> AlignedArray<New> {
        precondition(isKnownUniquelyReferenced(&storage), "handOver needs the only reference to the allocation")
        precondition(count * MemoryLayout<New>.stride <= storage.bytes, "allocation too small for the new elements")
        let raw = UnsafeMutableRawPointer(storage.pointer), bytes = storage.bytes
        body(UnsafeMutableRawBufferPointer(start: raw, count: bytes))
        storage.handedOver = true
        storage = AlignedStorage(uninitializedCount: 0)
        return AlignedArray<New>(storage: AlignedStorage<New>(adopting: raw, bytes: bytes, count: count))
    }

    @usableFromInline
    init(storage: AlignedStorage<Element>) { self.storage = storage }
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
/// buffers are kept — at most `keptBuffers` of them — and handed out again. A buffer serves any
/// request up to its size and not much smaller, so a real volume and its spectrum share
/// buffers (they differ by 2/N). Small buffers go straight to the system allocator.
public final class LargeBufferPool: @unchecked Sendable {
    /// The process-wide pool.
    public static let shared = LargeBufferPool()

    /// Buffers smaller than this are not pooled.
    public static let minimumBytes = 1 << 20
    /// Most buffers kept at once.
    public var keptBuffers = 3

    private let lock = NSLock()
    private var free: [(pointer: UnsafeMutableRawPointer, bytes: Int)] = []

    /// Bytes allocated for a request of `bytes`: a large buffer gets 1/16 more, so that a real
    /// map's buffer can hold its half spectrum (N·N·(N/2+1) complex values: 2/N more bytes, for
    /// any box edge N ≥ 32) and FFTs can run in place. Pages past what is written are never
    /// touched, so the extra costs address space, not memory.
    public static func capacity(for bytes: Int) -> Int {
        bytes < minimumBytes ? bytes : (bytes + bytes / 16 + 63) / 64 * 64
    }

    func allocate(_ bytes: Int) -> (UnsafeMutableRawPointer, Int) {
        let size = Self.capacity(for: bytes)
        if bytes >= Self.minimumBytes {
            lock.lock()
            // Best fit among the kept buffers; a kept buffer that is too small for this request
            // goes back to the system now, rather than sit in memory beside the new one.
            var best: Int? = nil
            for (i, b) in free.enumerated() where b.bytes >= bytes && Double(b.bytes) <= 1.1 * Double(size) {
                if best == nil || b.bytes < free[best!].bytes { best = i }
            }
            if let best {
                let b = free.remove(at: best)
                lock.unlock()
                return (b.pointer, b.bytes)
            }
            let small = free.filter { $0.bytes < bytes }
            free.removeAll { $0.bytes < bytes }
            lock.unlock()
            for b in small { Foundation.free(b.pointer) }
        }
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, size) == 0, let raw else {
            fatalError("out of memory allocating \(size) bytes")
        }
        return (raw, size)
    }

    func release(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        if bytes >= Self.minimumBytes {
            lock.lock()
            if free.count < keptBuffers {
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
