import Foundation

/// A colour bar: the colour map as a strip with labelled ticks in data units.
public enum ColorBar {
    /// Draws a horizontal bar in `rect` for values `lo ... hi`, ticks below, `title` under them.
    public static func horizontal(_ map: ColorMap, lo: Double, hi: Double, in rect: Rect, title: String, on canvas: Canvas,
                                  ticks: [Tick]? = nil) {
        let steps = 256
        let pixels = (0..<steps).map { Canvas.pixel(map.color(at: Double($0) / Double(steps - 1))) }
        canvas.image(pixels, width: steps, height: 1, in: rect, smooth: true)
        canvas.stroke(rect, color: .ink, width: 0.6)
        let span = hi > lo ? hi - lo : 1
        var bottom = rect.maxY
        for t in ticks ?? NiceTicks.ticks(from: lo, to: hi, target: 5) where t.value >= lo - 1e-9 && t.value <= hi + 1e-9 {
            let x = rect.minX + (t.value - lo) / span * rect.width
            canvas.strokeLine(from: Point(x, rect.maxY), to: Point(x, rect.maxY + 3), color: .ink, width: 0.8)
            let box = canvas.text(t.label, at: Point(x, rect.maxY + 4), size: FigureFont.tick, horizontal: .center, vertical: .top)
            bottom = max(bottom, box.maxY)
        }
        canvas.text(title, at: Point(rect.minX + rect.width / 2, bottom + 3), size: FigureFont.tick, horizontal: .center, vertical: .top)
    }

    /// Draws a vertical bar in `rect` for values `lo` (bottom) ... `hi` (top), ticks to the
    /// right, and `title` turned upright beyond them.
    public static func vertical(_ map: ColorMap, lo: Double, hi: Double, in rect: Rect, title: String, on canvas: Canvas) {
        let steps = 256
        let pixels = (0..<steps).map { Canvas.pixel(map.color(at: Double(steps - 1 - $0) / Double(steps - 1))) }
        canvas.image(pixels, width: 1, height: steps, in: rect, smooth: true)
        canvas.stroke(rect, color: .ink, width: 0.6)
        let span = hi > lo ? hi - lo : 1
        var widest = 0.0
        for t in NiceTicks.ticks(from: lo, to: hi, target: 6) {
            let y = rect.maxY - (t.value - lo) / span * rect.height
            canvas.strokeLine(from: Point(rect.maxX, y), to: Point(rect.maxX + 3, y), color: .ink, width: 0.8)
            let box = canvas.text(t.label, at: Point(rect.maxX + 5, y), size: FigureFont.tick, vertical: .middle)
            widest = max(widest, box.width)
        }
        canvas.text(title, at: Point(rect.maxX + 10 + widest, rect.minY + rect.height / 2), size: FigureFont.label,
                    horizontal: .center, vertical: .top, rotation: .pi / 2)
    }
}
