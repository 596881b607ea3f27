extension LocalSharpening {
    /// Map-sized float32 buffers held at the peak of LocalDeblur, MonoRes on the half maps
    /// included: measured 20.2 maps with the half maps judging the iterates (their two
    /// references, half 1's track and the best iterate; 16.3 without; 64³ against 128³ runs
    /// of `local-sharpen` with --half-maps), plus a margin.
    public static let peakMapCopies = 24.0
}
