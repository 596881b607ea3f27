import Foundation

/// Several figures drawn one above the other as one: one file, whose fonts and frame are
/// written once, where separate files would repeat them (a report's size counts).
public struct FigureColumn: Figure, Sendable {
    /// The figures, top to bottom, each at its own size.
    public var panels: [any Figure]
    /// As wide as the widest panel, as tall as all of them.
    public var size: FigureSize

    /// A column of `panels`.
    public init(_ panels: [any Figure]) {
        self.panels = panels
        size = FigureSize(panels.map(\.size.width).max() ?? 0, panels.map(\.size.height).reduce(0, +))
    }

    /// The formats every panel is worth writing in (a column of images is images).
    public var formats: [FigureFormat] {
        FigureFormat.allCases.filter { f in panels.allSatisfy { $0.formats.contains(f) } }
    }

    /// Draws each panel below the previous one.
    public func draw(on canvas: Canvas) {
        var y = 0.0
        for p in panels {
            FigureRenderer.draw(p, on: canvas, in: Rect(x: 0, y: y, width: p.size.width, height: p.size.height))
            y += p.size.height
        }
    }
}
