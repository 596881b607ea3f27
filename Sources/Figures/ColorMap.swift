import Foundation
import MapbookCore

/// Colour maps for scalar images (local resolution, densities).
///
/// viridis and cividis are perceptually uniform (cividis also for colour-vision deficiency);
/// turbo is the smooth "familiar rainbow". Each is stored as 33 evenly spaced samples of the
/// published 256-entry table (entries 0, 8, …, 248 and 255) and interpolated linearly; the
/// largest difference from the full table is under 2/255 for viridis and turbo and 5/255 for
/// cividis, far below what a colour bar shows.
public enum ColorMap: String, Sendable, Codable, CaseIterable {
    /// Dark purple → green → yellow.
    case viridis
    /// Dark blue → grey → yellow.
    case cividis
    /// Dark blue → cyan → green → yellow → red.
    case turbo
    /// Black → white.
    case gray

    /// The colour at `t` in [0, 1] (clamped; NaN gives mid-grey).
    public func color(at t: Double) -> Color {
        guard t.isFinite else { return Color(hex: 0x808080) }
        let t = min(1, max(0, t))
        if self == .gray { return Color(red: t, green: t, blue: t) }
        let stops = samples
        // Sample k sits at table entry 8k, except the last, which is entry 255.
        let entry = t * 255
        var k = min(Int(entry / 8), stops.count - 2)
        if entry >= 248 { k = stops.count - 2 }
        let lo = Double(k * 8), hi = k + 1 == stops.count - 1 ? 255.0 : Double((k + 1) * 8)
        let f = (entry - lo) / (hi - lo)
        return Color(hex: stops[k]).mixed(with: Color(hex: stops[k + 1]), f)
    }

    private var samples: [UInt32] {
        switch self {
        case .viridis: return Self.viridisSamples
        case .cividis: return Self.cividisSamples
        case .turbo: return Self.turboSamples
        case .gray: return [0x000000, 0xffffff]
        }
    }

    private static let viridisSamples: [UInt32] = [
        0x440154, 0x470d60, 0x48186a, 0x482374, 0x472d7b, 0x453781, 0x424086, 0x3e4989, 0x3b528b, 0x375b8d, 0x33638d,
        0x2f6b8e, 0x2c728e, 0x297a8e, 0x26828e, 0x23898e, 0x21918c, 0x1f988b, 0x1fa088, 0x22a785, 0x28ae80, 0x32b67a,
        0x3fbc73, 0x4ec36b, 0x5ec962, 0x70cf57, 0x84d44b, 0x98d83e, 0xaddc30, 0xc2df23, 0xd8e219, 0xece51b, 0xfde725,
    ]
    private static let cividisSamples: [UInt32] = [
        0x00224e, 0x00285b, 0x002e6a, 0x053371, 0x1a386f, 0x273e6e, 0x32436d, 0x3b496c, 0x434e6c, 0x4b546c, 0x535a6d,
        0x5a5f6e, 0x61656f, 0x686a71, 0x6f7073, 0x767676, 0x7d7c78, 0x848279, 0x8c8878, 0x938e78, 0x9b9476, 0xa39a74,
        0xaba072, 0xb4a76f, 0xbcae6c, 0xc4b468, 0xcdbb63, 0xd5c25e, 0xdec958, 0xe7d150, 0xf0d846, 0xf9e03a, 0xfee838,
    ]
    private static let turboSamples: [UInt32] = [
        0x30123b, 0x392a73, 0x4040a2, 0x4456c7, 0x466be3, 0x4680f6, 0x4294ff, 0x37a8fa, 0x28bceb, 0x1ccdd8, 0x18ddc2,
        0x1fe9af, 0x32f298, 0x4ef97d, 0x6dfe62, 0x8bff4b, 0xa4fc3c, 0xb9f635, 0xcdec34, 0xdfdf37, 0xeecf3a, 0xf8be39,
        0xfdac34, 0xfe962b, 0xfb7e21, 0xf46617, 0xeb500e, 0xdf3f08, 0xd02f05, 0xbe2102, 0xa91601, 0x920b01, 0x7a0403,
    ]
}

/// A colour map is chosen by name, on the command line and in plans alike.
extension ColorMap: ParameterChoice {}
