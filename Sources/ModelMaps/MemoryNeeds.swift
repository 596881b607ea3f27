extension ModelMap {
    /// Map-sized float32 buffers held at the peak of a model map: the map and, with a
    /// low-pass, its spectrum and the filtered map.
    public static let peakMapCopies = 3.0
}
