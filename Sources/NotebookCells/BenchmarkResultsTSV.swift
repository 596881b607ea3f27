import Foundation
import MapbookCore

/// Reading `bench/results.tsv`, the table `bench/all_table.py` writes.
///
/// The file is `# key: value` lines (facts about the run), then a header line naming the
/// columns, then one tab-separated line per (work, N):
///
///     # date: 2026-12-07 14:27 UTC
///     work  N  mapbook_s  mapbook_peak_mib  peer  peer_s  peer_mib  transforms  floor_s
///     postprocess  256  0.82  379  relion_postprocess  8.76  781  9  0.26
///
/// Columns may come in any order (others are ignored). `mapbook_s` and `peer_s` are seconds
/// or `failed`; the peer's columns are empty where no peer was run, and `transforms` and
/// `floor_s` where they were not measured. Any other problem — a missing column, text where a
/// number belongs, a time that is NaN, infinite or negative, a work measured twice at one N —
/// is one error naming the file and line.
extension BenchmarkResults {
    /// The columns every file has.
    public static let columns = ["work", "N", "mapbook_s", "mapbook_peak_mib", "peer", "peer_s", "peer_mib", "transforms", "floor_s"]

    /// What a failed run's time is written as.
    public static let failedText = "failed"

    /// Reads and checks the table at `path`.
    public static func read(path: String) throws -> BenchmarkResults {
        try parse(try InputFile.text(of: path, kind: "benchmark table"), path: path)
    }

    /// Checks and decodes table `text`; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws -> BenchmarkResults {
        var facts: [Fact] = []
        var rows: [Row] = []
        var header: [String: Int]?
        var firstLine: [String: Int] = [:]   // "work\tN" → line, for duplicates
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let number = index + 1
            func problem(_ what: String) -> MapbookError { MapbookError(what, path: "\(path):\(number)") }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if line.hasPrefix("#") {
                if let fact = fact(line) { facts.append(fact) }
                continue
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let columns = header else {
                header = try headerColumns(fields, problem: problem)
                continue
            }
            guard fields.count == columns.count else {
                throw problem("\(fields.count) tab-separated fields, but the header names \(columns.count) columns")
            }
            let row = try Self.row(fields, columns: columns, problem: problem)
            let key = "\(row.work)\t\(row.size)"
            if let earlier = firstLine[key] {
                throw problem("'\(row.work)' at N = \(row.size) is given twice (first on line \(earlier))")
            }
            firstLine[key] = number
            rows.append(row)
        }
        guard header != nil else { throw MapbookError("the benchmark table has no header line (\(columns.joined(separator: ", ")))", path: path) }
        guard !rows.isEmpty else { throw MapbookError("the benchmark table has no rows", path: path) }
        return BenchmarkResults(facts: facts, rows: rows)
    }

    /// The fact on a `# key: value` line; nil for a plain comment.
    static func fact(_ line: String) -> Fact? {
        let body = line.dropFirst().trimmingCharacters(in: .whitespaces)
        guard let colon = body.range(of: ": ") else { return nil }
        let key = body[..<colon.lowerBound].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { return nil }
        return Fact(key, body[colon.upperBound...].trimmingCharacters(in: .whitespaces))
    }

    /// Each column's index; every required column must be there, once.
    static func headerColumns(_ fields: [String], problem: (String) -> MapbookError) throws -> [String: Int] {
        var index: [String: Int] = [:]
        for (i, name) in fields.enumerated() {
            guard index[name] == nil else { throw problem("the header names column '\(name)' twice") }
            index[name] = i
        }
        if let missing = columns.first(where: { index[$0] == nil }) {
            throw problem("the header has no column '\(missing)'; the columns are \(columns.joined(separator: ", ")) (tab-separated)")
        }
        return index
    }

    /// One data line as a row.
    static func row(_ fields: [String], columns: [String: Int], problem: (String) -> MapbookError) throws -> Row {
        func text(_ column: String) -> String { fields[columns[column]!] }
        func number(_ column: String) throws -> Double? {
            let t = text(column)
            if t.isEmpty { return nil }
            // Decimal notation only: Double() would also take "nan", "inf" and hexadecimal.
            guard t.allSatisfy({ "0123456789.eE+-".contains($0) }), let v = Double(t), v.isFinite else {
                throw problem("\(column) '\(t)' is not a number")
            }
            guard v >= 0 else { throw problem("\(column) \(t) is negative") }
            return v
        }
        func seconds(_ column: String) throws -> Double? {
            text(column) == failedText ? nil : try number(column)
        }
        let work = text("work")
        guard !work.isEmpty else { throw problem("the work is empty") }
        guard let size = Int(text("N")), size > 0 else { throw problem("N '\(text("N"))' is not a box edge (a whole number of voxels, 1 or more)") }
        guard !text("mapbook_s").isEmpty else { throw problem("mapbook_s is empty; write the seconds or '\(failedText)'") }
        let mapbook = Timing(seconds: try seconds("mapbook_s"), peakMiB: try number("mapbook_peak_mib"))
        let peerName = text("peer")
        var peer: Timing?
        if peerName.isEmpty {
            if let given = ["peer_s", "peer_mib"].first(where: { !text($0).isEmpty }) {
                throw problem("\(given) is given but the peer column is empty; name the peer program")
            }
        } else {
            guard !text("peer_s").isEmpty else { throw problem("peer_s is empty for peer '\(peerName)'; write the seconds or '\(failedText)'") }
            peer = Timing(seconds: try seconds("peer_s"), peakMiB: try number("peer_mib"))
        }
        var transforms: Int?
        if !text("transforms").isEmpty {
            guard let t = Int(text("transforms")), t >= 0 else { throw problem("transforms '\(text("transforms"))' is not a count (a whole number, 0 or more)") }
            transforms = t
        }
        return Row(work: work, size: size, mapbook: mapbook, peerName: peerName.isEmpty ? nil : peerName, peer: peer,
                   transforms: transforms, floorSeconds: try number("floor_s"))
    }
}
