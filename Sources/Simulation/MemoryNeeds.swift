extension DatasetSimulator {
    /// Map-sized float32 buffers held at the peak of a simulation: truth, halves, noise
    /// spectra, local-resolution blend, mask (measured 11.2 maps), plus a margin.
    public static let peakMapCopies = 14.0
}
