import Foundation
import Testing
import TestSupport
@testable import Figures

/// Compares each figure kind with its stored reference PNG (see References/README.md for the
/// tolerance and for re-recording).
@Suite("Figure reference images")
struct ReferenceImageTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("References").path
    static let recording = ProcessInfo.processInfo.environment["MAPBOOK_RECORD_REFERENCES"] == "1"

    static let names = FigureFixtures.all().map(\.0)

    @Test("matches its reference image within tolerance", arguments: names)
    func matchesReference(name: String) throws {
        let figure = try #require(FigureFixtures.all().first { $0.0 == name }?.1)
        let png = try FigureRenderer.png(figure, scale: 1)
        let path = Self.directory + "/\(name).png"
        if Self.recording {
            try png.write(to: URL(fileURLWithPath: path))
            Issue.record("recorded \(path); run again without MAPBOOK_RECORD_REFERENCES to compare")
            return
        }
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("no reference image \(path); record it with MAPBOOK_RECORD_REFERENCES=1 swift test --filter FiguresTests")
            return
        }
        let rendered = try RasterImage(png: png)
        let reference = try RasterImage(pngFile: path)
        let diff = rendered.difference(from: reference)
        #expect(diff.sameSize && diff.differingFraction <= 0.01, "\(name): \(diff)")
    }

    @Test("the comparison notices a real change: a figure with one curve removed differs from its reference")
    func comparisonDetectsChange() throws {
        var figure = FigureFixtures.fscFigure()
        figure.curves.removeLast()
        let changed = try RasterImage(png: FigureRenderer.png(figure, scale: 1))
        let original = try RasterImage(png: FigureRenderer.png(FigureFixtures.fscFigure(), scale: 1))
        #expect(changed.difference(from: original).differingFraction > 0.001)
    }
}
