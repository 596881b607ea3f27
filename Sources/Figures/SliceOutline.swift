import Foundation

/// A straight piece of a contour line in image units: x from 0 (left edge) to the image's
/// width, y from 0 (top edge) to its height; pixel (c, r) has its centre at (c + ½, r + ½).
public struct OutlineSegment: Codable, Sendable, Equatable {
    /// One end.
    public var x0, y0: Double
    /// The other end.
    public var x1, y1: Double

    /// A segment.
    public init(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) { self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1 }
}

/// The contour line of a slice at one level (marching squares over the pixel centres), for
/// drawing a mask's outline over a map's slice.
public enum SliceOutline {
    /// The segments of the line where `slice` crosses `level`, linearly interpolated between
    /// pixel centres. A saddle cell (opposite corners on the same side) is split by the mean
    /// of its four corners, so the line never crosses itself. Pixels without a value (NaN)
    /// break the line.
    public static func segments(of slice: SliceImage, level: Float) -> [OutlineSegment] {
        let w = slice.width, h = slice.height
        guard w > 1, h > 1 else { return [] }
        var out: [OutlineSegment] = []
        func value(_ c: Int, _ r: Int) -> Float { slice.values[c + w * r] }
        for r in 0..<(h - 1) {
            for c in 0..<(w - 1) {
                // Corners clockwise from the top left: (c, r), (c+1, r), (c+1, r+1), (c, r+1).
                let corners: [(x: Double, y: Double, v: Float)] = [(Double(c), Double(r), value(c, r)), (Double(c + 1), Double(r), value(c + 1, r)),
                                                                   (Double(c + 1), Double(r + 1), value(c + 1, r + 1)), (Double(c), Double(r + 1), value(c, r + 1))]
                guard corners.allSatisfy({ $0.v.isFinite }) else { continue }
                let inside = corners.map { $0.v >= level }
                // Edge k joins corner k and corner k+1; it is crossed when they differ.
                func crossing(_ k: Int) -> (Double, Double) {
                    let a = corners[k], b = corners[(k + 1) % 4]
                    let t = a.v == b.v ? 0.5 : Double((level - a.v) / (b.v - a.v))
                    return (a.x + (b.x - a.x) * t + 0.5, a.y + (b.y - a.y) * t + 0.5)
                }
                let crossed = (0..<4).filter { inside[$0] != inside[($0 + 1) % 4] }
                var pairs: [(Int, Int)] = []
                if crossed.count == 2 {
                    pairs = [(crossed[0], crossed[1])]
                } else if crossed.count == 4 {
                    // Saddle: the centre's side decides which corners the line separates.
                    let centreInside = corners.map { Double($0.v) }.reduce(0, +) / 4 >= Double(level)
                    pairs = centreInside == inside[0] ? [(0, 1), (2, 3)] : [(3, 0), (1, 2)]
                }
                for (a, b) in pairs {
                    let p = crossing(a), q = crossing(b)
                    out.append(OutlineSegment(p.0, p.1, q.0, q.1))
                }
            }
        }
        return out
    }

    /// `segments` joined end to end into lines (each a list of points), so a drawing strokes a
    /// few long paths rather than many short ones. Ends are matched exactly: marching squares
    /// computes a shared edge's crossing once per cell from the same corners, so neighbours agree.
    public static func polylines(_ segments: [OutlineSegment]) -> [[Point]] {
        struct Key: Hashable { var x: Double; var y: Double }
        var byEnd: [Key: [Int]] = [:]
        for (i, s) in segments.enumerated() {
            byEnd[Key(x: s.x0, y: s.y0), default: []].append(i)
            byEnd[Key(x: s.x1, y: s.y1), default: []].append(i)
        }
        var used = [Bool](repeating: false, count: segments.count)
        var lines: [[Point]] = []
        for start in segments.indices where !used[start] {
            used[start] = true
            var line = [Point(segments[start].x0, segments[start].y0), Point(segments[start].x1, segments[start].y1)]
            // Extend forwards from the last point, then backwards from the first.
            for forward in [true, false] {
                while true {
                    let end = forward ? line[line.count - 1] : line[0]
                    guard let next = byEnd[Key(x: end.x, y: end.y)]?.first(where: { !used[$0] }) else { break }
                    used[next] = true
                    let s = segments[next]
                    let other = (s.x0 == end.x && s.y0 == end.y) ? Point(s.x1, s.y1) : Point(s.x0, s.y0)
                    if forward { line.append(other) } else { line.insert(other, at: 0) }
                }
            }
            lines.append(line)
        }
        return lines
    }
}
