extension MonoRes {
    /// Map-sized float32 buffers held at the peak of MonoRes on half maps: measured 9.1 maps
    /// (64³ against 128³ runs), plus a margin.
    public static let peakMapCopies = 11.0
}

extension LocalFSC {
    /// Map-sized float32 buffers held at the peak of the windowed local FSC: measured 12.2
    /// maps (64³ against 128³ runs), plus a margin.
    public static let peakMapCopies = 15.0
}
