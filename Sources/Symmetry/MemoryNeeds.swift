extension SymmetryDetection {
    /// Map-sized float32 buffers held at the peak of a symmetry search: the map and its
    /// low-passed copy (measured 1.1 maps), plus a margin.
    public static let peakMapCopies = 3.0
}
