import CCairo
import Foundation
import MapbookCore

/// A decoded raster image, for checking rendered output: comparing a figure with a stored
/// reference, or telling a blank browser screenshot from a drawn page.
public struct RasterImage: Sendable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// 0xAARRGGBB per pixel (premultiplied), top row first.
    public let pixels: [UInt32]

    /// Decodes PNG bytes.
    public init(png data: Data) throws {
        let source = ByteSource(data)
        let surface = cairo_image_surface_create_from_png_stream(ByteSource.read, Unmanaged.passUnretained(source).toOpaque())
        guard let surface, cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            if let surface { cairo_surface_destroy(surface) }
            throw MapbookError("not a PNG image that Cairo can read")
        }
        defer { cairo_surface_destroy(surface) }
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let format = cairo_image_surface_get_format(surface)
        var out = [UInt32](repeating: 0, count: w * h)
        if let base = cairo_image_surface_get_data(surface) {
            for y in 0..<h {
                let row = UnsafeRawPointer(base + y * stride)
                for x in 0..<w {
                    let v = row.load(fromByteOffset: 4 * x, as: UInt32.self)
                    out[y * w + x] = format == CAIRO_FORMAT_RGB24 ? (v | 0xff00_0000) : v
                }
            }
        }
        width = w; height = h; pixels = out
    }

    /// Decodes the PNG file at `path`.
    public init(pngFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw MapbookError("cannot read the image", path: path) }
        do { try self.init(png: data) } catch let e as MapbookError { throw MapbookError(e.problem, path: path) }
    }

    /// How two images differ.
    public struct Difference: Sendable, CustomStringConvertible {
        /// Whether the sizes agree (nothing else is compared when they do not).
        public var sameSize: Bool
        /// Largest difference of any channel of any pixel (0 ... 255).
        public var maximumChannelDifference: Int
        /// Fraction of pixels with a channel differing by more than the tolerance.
        public var differingFraction: Double

        /// One line for test failures.
        public var description: String {
            sameSize ? String(format: "%.3f %% of pixels differ (largest channel difference %d)", differingFraction * 100, maximumChannelDifference)
                : "image sizes differ"
        }
    }

    /// Compares with `other`: a pixel differs when any channel differs by more than `tolerance`.
    public func difference(from other: RasterImage, tolerance: Int = 24) -> Difference {
        guard width == other.width, height == other.height else {
            return Difference(sameSize: false, maximumChannelDifference: 255, differingFraction: 1)
        }
        var largest = 0, differing = 0
        for i in 0..<pixels.count where pixels[i] != other.pixels[i] {
            var worst = 0
            for shift in stride(from: 0, through: 24, by: 8) {
                let a = Int((pixels[i] >> UInt32(shift)) & 0xff), b = Int((other.pixels[i] >> UInt32(shift)) & 0xff)
                worst = max(worst, abs(a - b))
            }
            largest = max(largest, worst)
            if worst > tolerance { differing += 1 }
        }
        return Difference(sameSize: true, maximumChannelDifference: largest, differingFraction: Double(differing) / Double(max(1, pixels.count)))
    }

    /// Fraction of pixels that differ from the most common colour: near 0 for a blank page.
    public var nonBackgroundFraction: Double {
        var counts: [UInt32: Int] = [:]
        for p in pixels { counts[p, default: 0] += 1 }
        let background = counts.max { $0.value < $1.value }?.value ?? 0
        return 1 - Double(background) / Double(max(1, pixels.count))
    }

    /// Number of distinct colours (capped at `limit` to stay fast).
    public func distinctColors(limit: Int = 10_000) -> Int {
        var seen = Set<UInt32>()
        for p in pixels { seen.insert(p); if seen.count >= limit { break } }
        return seen.count
    }
}

/// Feeds bytes to Cairo's PNG reader.
final class ByteSource {
    let data: Data
    var offset = 0
    init(_ data: Data) { self.data = data }

    static let read: cairo_read_func_t = { closure, buffer, length in
        guard let closure, let buffer else { return CAIRO_STATUS_READ_ERROR }
        let s = Unmanaged<ByteSource>.fromOpaque(closure).takeUnretainedValue()
        let n = Int(length)
        guard s.offset + n <= s.data.count else { return CAIRO_STATUS_READ_ERROR }
        s.data.copyBytes(to: buffer, from: s.offset..<(s.offset + n))
        s.offset += n
        return CAIRO_STATUS_SUCCESS
    }
}
