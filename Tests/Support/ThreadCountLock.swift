import Foundation

/// One lock for every test that changes the global worker count (`Parallelism.threads`) or
/// compares two runs bit for bit.
///
/// Swift Testing runs suites of all test targets at once in one process. A test that sets the
/// thread count changes it for whatever else runs at that moment, and FFTW plans made for
/// another thread count may round differently: a test that checks "the same seed gives the
/// same bytes" could then see two different plans. Both kinds of test take this lock.
public enum ThreadCountLock {
    private static let lock = NSRecursiveLock()

    /// Runs `body` while no other test holding the lock runs.
    public static func exclusive<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
