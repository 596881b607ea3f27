import Foundation
import Figures
import MapbookCore
import Notebook
import NotebookCells

extension FacilityIndex {
    /// The figure a dataset's thumbnail is made from, relative to its report folder: the first
    /// of `IndexFigures.thumbnailPreference` that a cell which ran drew (cells in plan order).
    static func thumbnailSource(in folder: String, summary: RunSummary) -> String? {
        let ran = summary.cells.filter { $0.status == .executed || $0.status == .cached }
        for name in IndexFigures.thumbnailPreference {
            for cell in ran {
                let path = "figures/\(cell.id)_\(name).png"
                if FileManager.default.fileExists(atPath: folder + "/" + path) { return path }
            }
        }
        return nil
    }

    /// Makes each row's thumbnail in `index_files/thumbnails/` (the folder exists) and records
    /// its path; a row whose figure is missing or unreadable gets none.
    mutating func makeThumbnails(root: String) {
        for i in datasets.indices {
            datasets[i].thumbnail = nil
            guard let figure = datasets[i].figure, let image = try? RasterImage(pngFile: root + "/" + figure),
                  let png = try? FigureRenderer.png(Thumbnail(image), scale: FigureRenderer.defaultScale) else { continue }
            let path = Self.filesFolder + "/thumbnails/" + datasets[i].dataset + ".png"
            if (try? AtomicFile.write(png, to: root + "/" + path)) != nil { datasets[i].thumbnail = path }
        }
    }
}

/// A report figure scaled down to fit `Thumbnail.box`, keeping its shape.
struct Thumbnail: Figure {
    /// The largest size of a thumbnail, in points (the page shows it at this size).
    static let box = FigureSize(150, 100)

    let image: RasterImage
    let size: FigureSize

    init(_ image: RasterImage) {
        self.image = image
        let scale = min(Self.box.width / Double(max(1, image.width)), Self.box.height / Double(max(1, image.height)))
        size = FigureSize(max(1, (Double(image.width) * scale).rounded()), max(1, (Double(image.height) * scale).rounded()))
    }

    func draw(on canvas: Canvas) {
        canvas.image(image.pixels, width: image.width, height: image.height, in: Rect(x: 0, y: 0, width: size.width, height: size.height), smooth: true)
    }
}
