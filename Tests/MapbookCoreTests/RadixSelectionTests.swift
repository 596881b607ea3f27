import Testing
@testable import MapbookCore

/// Radix selection against a full sort, on arrays large enough to take the parallel path.
@Suite struct RadixSelectionTests {
    /// A deterministic mix of magnitudes, signs, ties, zeros of both signs and infinities.
    static func values(_ n: Int, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return (0..<n).map { i in
            switch i % 7 {
            case 0: return Float.random(in: -1...1, using: &g)
            case 1: return Float.random(in: 0...1e-30, using: &g)        // tiny, near denormal
            case 2: return Float(Int.random(in: -3...3, using: &g))      // many ties
            case 3: return i % 2 == 0 ? 0 : -0.0
            case 4: return Float.random(in: -1e30...1e30, using: &g)
            case 5: return i % 1000 == 5 ? -Float.infinity : Float.random(in: 10...11, using: &g)
            default: return i % 999 == 6 ? Float.infinity : Float.random(in: -5 ... -4, using: &g)
            }
        }
    }

    @Test func everyRankProbedEqualsTheSortedElement() {
        let v = Self.values(300_001, seed: 7)
        let sorted = v.sorted()
        for k in [0, 1, 2, 17, 42_857, 150_000, 299_999, 300_000] + (0..<40).map({ $0 * 7_499 + 3 }) {
            let got = v.withUnsafeBufferPointer { Selection.kthSmallest(of: $0, k) }
            // −0 and +0 are equal; compare as numbers.
            #expect(got == sorted[k], "rank \(k)")
        }
    }

    @Test func orderKeyIsMonotonicAndInvertible() {
        let xs: [Float] = [-.infinity, -1e30, -1, -1e-40, -0.0, 0, 1e-40, 1, 1e30, .infinity]
        let keys = xs.map(Selection.orderKey)
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
        for x in xs { #expect(Selection.value(ofKey: Selection.orderKey(x)).bitPattern == x.bitPattern) }
    }

    @Test func quantileOfALargeArrayMatchesQuickselect() {
        var a = Self.values(1 << 19, seed: 11)
        var b = a
        for q in [0.0, 0.05, 0.5, 0.95, 0.999, 1.0] {
            let k = min(a.count - 1, Int((q * Double(a.count)).rounded(.down)))
            #expect(Selection.quantile(&a, q) == Selection.kthSmallest(&b, k), "q = \(q)")
        }
    }

    @Test func doesNotReorderItsInput() {
        let v = Self.values(1 << 18, seed: 3)
        let copy = v
        _ = v.withUnsafeBufferPointer { Selection.kthSmallest(of: $0, 1000) }
        #expect(v.elementsEqual(copy) { $0.bitPattern == $1.bitPattern })
    }
}
