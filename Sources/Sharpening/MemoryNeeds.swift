extension AutoSharpen {
    /// Map-sized float32 buffers held at the peak of automatic sharpening: measured 8.7 maps
    /// for one map, 12.3 with half maps and 14.3 with half maps and local sharpening (its
    /// windows; 64³ against 128³ runs), plus a margin.
    public static func peakMapCopies(halfMaps: Bool) -> Double { halfMaps ? 17 : 11 }
}
