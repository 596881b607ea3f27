extension Postprocess {
    /// Map-sized float32 buffers held at the peak of a post-processing run: both halves and
    /// their spectra, the phase-randomised and masked copies, the mask and the sharpened maps.
    /// Measured peak resident memory: 9.0 maps (difference of 64³ and 128³ runs of
    /// `mapbook postprocess --auto-mask`), plus a margin.
    public static let peakMapCopies = 11.0
    /// The same for the FSC alone (`mapbook fsc`, the fsc cell): measured 6.1 maps.
    public static let fscPeakMapCopies = 8.0
}
