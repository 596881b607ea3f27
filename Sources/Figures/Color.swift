import Foundation

/// An sRGB colour with alpha, each channel in [0, 1].
public struct Color: Equatable, Hashable, Sendable, Codable {
    /// Red.
    public var red: Double
    /// Green.
    public var green: Double
    /// Blue.
    public var blue: Double
    /// Opacity.
    public var alpha: Double

    /// A colour from channels in [0, 1].
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }

    /// A colour from a 24-bit 0xRRGGBB value.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double((hex >> 16) & 0xff) / 255, green: Double((hex >> 8) & 0xff) / 255,
                  blue: Double(hex & 0xff) / 255, alpha: alpha)
    }

    /// The same colour with another opacity.
    public func withAlpha(_ a: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: a) }

    /// The colour `t` of the way from this one to `other` (in sRGB, which is enough for the
    /// finely sampled colour-map tables).
    public func mixed(with other: Color, _ t: Double) -> Color {
        Color(red: red + (other.red - red) * t, green: green + (other.green - green) * t,
              blue: blue + (other.blue - blue) * t, alpha: alpha + (other.alpha - alpha) * t)
    }

    /// `#rrggbb`, for HTML and SVG.
    public var hexString: String {
        String(format: "#%02x%02x%02x", Int((red * 255).rounded()), Int((green * 255).rounded()), Int((blue * 255).rounded()))
    }

    /// Black.
    public static let black = Color(hex: 0x000000)
    /// White.
    public static let white = Color(hex: 0xffffff)
    /// Axis and text grey.
    public static let ink = Color(hex: 0x222222)
    /// Grid-line grey.
    public static let grid = Color(hex: 0xe4e4e4)
    /// Threshold-line grey.
    public static let threshold = Color(hex: 0x777777)
}

/// The Okabe–Ito palette (Okabe & Ito 2008): eight colours that stay distinct under the common
/// colour-vision deficiencies. Curves in every mapbook figure take their colours from it.
public enum OkabeIto {
    /// #000000
    public static let black = Color(hex: 0x000000)
    /// #E69F00
    public static let orange = Color(hex: 0xE69F00)
    /// #56B4E9
    public static let skyBlue = Color(hex: 0x56B4E9)
    /// #009E73
    public static let bluishGreen = Color(hex: 0x009E73)
    /// #F0E442
    public static let yellow = Color(hex: 0xF0E442)
    /// #0072B2
    public static let blue = Color(hex: 0x0072B2)
    /// #D55E00
    public static let vermillion = Color(hex: 0xD55E00)
    /// #CC79A7
    public static let reddishPurple = Color(hex: 0xCC79A7)

    /// The colours in the order curves use them (yellow last: it is faint on white).
    public static let cycle: [Color] = [black, blue, orange, bluishGreen, vermillion, reddishPurple, skyBlue, yellow]

    /// The colour's name as a caption says it ("orange", "bluish green"); "grey" for a grey
    /// outside the palette, nil for any other colour.
    public static func name(of c: Color) -> String? {
        let names = [(black, "black"), (orange, "orange"), (skyBlue, "sky blue"), (bluishGreen, "bluish green"), (yellow, "yellow"),
                     (blue, "blue"), (vermillion, "vermillion"), (reddishPurple, "reddish purple")]
        if let n = names.first(where: { $0.0 == c }) { return n.1 }
        return c.red == c.green && c.green == c.blue ? "grey" : nil
    }

    /// "dashed orange", "solid black": how a caption names a line in `style`.
    public static func describe(_ style: LineStyle) -> String {
        [style.patternName, name(of: style.color)].compactMap { $0 }.joined(separator: " ")
    }
}
