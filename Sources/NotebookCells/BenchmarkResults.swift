import Foundation

/// One run of `bench/all.sh`: every (work, N) row with mapbook's time and peak memory, the
/// peer's where one was run, the FFT floor, and the facts about the machine and the run.
///
/// Read from `bench/results.tsv` by `BenchmarkResults.parse` (see BenchmarkResultsTSV.swift).
/// The derived numbers (ratios, peak per map, growth exponents) are computed here, from the
/// file's numbers, so the report and the markdown table of `all_table.py` say the same.
public struct BenchmarkResults: Codable, Sendable, Equatable {
    /// A fact about the run, from a `# key: value` header line (date, commit, machine, …).
    public struct Fact: Codable, Sendable, Equatable {
        /// What the fact is ("machine").
        public var key: String
        /// Its value as written.
        public var value: String

        /// A fact.
        public init(_ key: String, _ value: String) { self.key = key; self.value = value }
    }

    /// One timed run: its wall time (nil when the run failed) and peak memory.
    public struct Timing: Codable, Sendable, Equatable {
        /// Wall seconds; nil when the run failed.
        public var seconds: Double?
        /// Peak resident memory in MiB, when measured.
        public var peakMiB: Double?

        /// A timing.
        public init(seconds: Double?, peakMiB: Double?) { self.seconds = seconds; self.peakMiB = peakMiB }
    }

    /// One work at one box size.
    public struct Row: Codable, Sendable, Equatable {
        /// The work ("postprocess", "local resolution").
        public var work: String
        /// The box edge in voxels (the box is N³).
        public var size: Int
        /// mapbook's run.
        public var mapbook: Timing
        /// The peer program run beside it ("relion_postprocess"), if any.
        public var peerName: String?
        /// The peer's run, when a peer was run.
        public var peer: Timing?
        /// 3-D transforms mapbook's run did, when counted.
        public var transforms: Int?
        /// The run's FFT floor in seconds: its transforms, each at its shape's measured time.
        public var floorSeconds: Double?

        /// A row.
        public init(work: String, size: Int, mapbook: Timing, peerName: String? = nil, peer: Timing? = nil,
                    transforms: Int? = nil, floorSeconds: Double? = nil) {
            self.work = work; self.size = size; self.mapbook = mapbook; self.peerName = peerName; self.peer = peer
            self.transforms = transforms; self.floorSeconds = floorSeconds
        }

        /// MiB of one float32 map of N³ voxels.
        public var mapMiB: Double { pow(Double(size), 3) * 4 / 1_048_576 }

        /// mapbook's peak memory in maps of N³ float32 voxels.
        public var peakPerMap: Double? { mapbook.peakMiB.map { $0 / mapMiB } }

        /// How many times faster mapbook was than the peer: peer seconds over mapbook seconds.
        public var peerRatio: Double? { Self.ratio(peer?.seconds, mapbook.seconds) }

        /// How far mapbook is above its FFT floor: mapbook seconds over floor seconds.
        public var floorRatio: Double? { Self.ratio(mapbook.seconds, floorSeconds) }

        /// `a / b` when both are known and `b` is positive.
        static func ratio(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b, b > 0 else { return nil }
            return a / b
        }
    }

    /// Which program's times a growth exponent is fitted to.
    public enum Program: String, Codable, Sendable {
        /// mapbook's runs.
        case mapbook
        /// The peer program's runs (relion_postprocess).
        case peer
    }

    /// The header facts, in file order.
    public var facts: [Fact]
    /// The rows, in file order.
    public var rows: [Row]

    /// Results of `rows` with `facts`.
    public init(facts: [Fact], rows: [Row]) { self.facts = facts; self.rows = rows }

    /// The works, in the order they first appear.
    public var works: [String] {
        var seen = Set<String>()
        return rows.map(\.work).filter { seen.insert($0).inserted }
    }

    /// The box sizes measured, ascending.
    public var sizes: [Int] { Set(rows.map(\.size)).sorted() }

    /// The rows of `work`, smallest box first.
    public func rows(of work: String) -> [Row] { rows.filter { $0.work == work }.sorted { $0.size < $1.size } }

    /// The rows grouped by work (in first-appearance order), each work's by size: the order
    /// of the report's table.
    public var orderedRows: [Row] { works.flatMap(rows(of:)) }

    /// The (N, seconds) points of `program` for `work` with a positive time (a log needs one).
    public func points(_ work: String, _ program: Program) -> [(size: Int, seconds: Double)] {
        rows(of: work).compactMap { r in
            let t = program == .mapbook ? r.mapbook.seconds : r.peer?.seconds
            return t.flatMap { $0 > 0 ? (r.size, $0) : nil }
        }
    }

    /// The growth exponent k of time ∝ N^k for `work` run by `program`: the least-squares slope
    /// of log time on log N over the sizes measured; nil with fewer than two distinct sizes.
    public func growthExponent(_ work: String, _ program: Program) -> Double? {
        let p = points(work, program)
        return Self.slope(x: p.map { log(Double($0.size)) }, y: p.map { log($0.seconds) })
    }

    /// The ordinary least-squares slope of y on x; nil when x does not vary.
    static func slope(x: [Double], y: [Double]) -> Double? {
        guard x.count >= 2 else { return nil }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        guard sxx > 0 else { return nil }
        return zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx
    }

    /// The value of the fact `key`, if the file gives it.
    public func fact(_ key: String) -> String? { facts.first { $0.key == key }?.value }
}
