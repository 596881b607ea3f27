extension LocalSharpening {
    /// Map-sized float32 buffers held at the peak of LocalDeblur, MonoRes on the half maps
    /// included: measured 16.3 maps (64³ against 128³ runs), plus a margin.
    public static let peakMapCopies = 20.0
}
