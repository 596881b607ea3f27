/// The trial resolutions of a MonoRes sweep, from the low limit towards Nyquist.
///
/// As xmipp: R_c = low − c·step; each is snapped to the nearest Fourier shell
/// (index = round(N·a/R_c)); a shell already tested is skipped; the sweep ends before the
/// first resolution finer than Nyquist (2a). Here N is the longest box edge in voxels, so
/// non-cubic boxes use the same shells as the FSC.
public struct ResolutionSweep: Sendable, Equatable {
    /// The snapped resolutions (Å), coarsest first.
    public let resolutions: [Double]
    /// The digital frequency (cycles per voxel) of each.
    public let digitalFrequencies: [Double]

    /// The sweep from `low` Å in steps of `step` Å for a box of `boxVoxels` voxels of `voxel` Å.
    public init(low: Double, step: Double, voxel: Double, boxVoxels: Int) {
        var res: [Double] = [], freq: [Double] = []
        var previous = -1
        var c = 0
        while true {
            let r = low - Double(c) * step
            c += 1
            if r <= 0 { break }
            let index = Int((Double(boxVoxels) * voxel / r).rounded())
            if index == previous { continue }
            previous = index
            guard index > 0 else { continue }
            let u = Double(index) / Double(boxVoxels)
            let snapped = voxel / u
            if snapped < 2 * voxel - 1e-9 { break }
            res.append(snapped)
            freq.append(u)
        }
        resolutions = res
        digitalFrequencies = freq
    }
}
