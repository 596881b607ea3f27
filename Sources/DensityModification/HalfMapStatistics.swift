import Foundation
import FourierEngine
import MapbookCore
import MapModel

extension DensityModification {
    /// The original half maps' spectra and what they show before any modification.
    struct HalfMapStatistics {
        /// The half maps' grid.
        let grid: VoxelGrid
        let shells: FourierShells
        /// The original half maps' spectra (O1, O2 of the combination).
        let O1: HalfSpectrum
        let O2: HalfSpectrum
        /// Their FSC, shell 0 set as RELION does (`withShellZero`).
        let fscBefore: FSCCurve
        /// Where that FSC crosses 0.143.
        let resolutionBefore: ResolutionEstimate
        /// The resolution the procedure works to (Å): `given`, or read from the FSC.
        let resolution: Double

        /// The statistics of `half1` and `half2`; throws, naming the map (`names`), when their
        /// FSC is undefined at the lowest resolution or gives no resolution to work to.
        init(_ half1: Volume, _ half2: Volume, names: (String, String), given: Double?, progress: ProgressReporter) throws {
            grid = half1.grid
            shells = FourierShells(grid: grid)
            progress.step("Fourier transforms of the half maps")
            O1 = FFT.forward(half1)
            O2 = FFT.forward(half2)
            let raw = shells.fsc(O1, O2)
            try FSCInput.requireDefined(raw, O1, O2, names: names, shells: shells)
            fscBefore = withShellZero(raw)
            resolutionBefore = try fscBefore.resolution(at: .goldStandard)
            resolution = try Self.workingResolution(given: given, before: resolutionBefore, shells: shells)
        }

        /// The resolution to work to: `given` when it is a positive resolution no finer than
        /// Nyquist; otherwise where the half maps' FSC crosses 0.143.
        static func workingResolution(given: Double?, before: ResolutionEstimate, shells: FourierShells) throws -> Double {
            if let r = given {
                guard r > 0, r.isFinite else { throw ParameterProblem(key: "resolution", value: r.parameterText, "must be a positive resolution in Å") }
                guard r >= shells.nyquistResolution - 1e-9 else {
                    throw ParameterProblem(key: "resolution", value: r.parameterText, String(format: "Å is finer than Nyquist (%.2f Å)", shells.nyquistResolution))
                }
                return r
            }
            switch before.status {
            case .belowFirstShell:
                throw MapbookError("the half maps do not correlate even in the lowest shell (FSC < 0.143): they are not two halves of one reconstruction, or one is empty")
            case .neverCrosses: return shells.nyquistResolution
            // The halves hold no power beyond this shell: there is nothing finer to modify.
            case .crossed, .dataEnds: return before.interpolatedResolution
            }
        }
    }

    /// half1 − half2: pure noise, where the noise's uniformity is measured.
    static func halfDifference(_ half1: Volume, _ half2: Volume) -> Volume {
        var difference = half1
        difference.voxels.withUnsafeMutableBufferPointer { d in
            half2.voxels.withUnsafeBufferPointer { b in
                Parallelism.forEachRange(d.count, minimumPerChunk: 1 << 16) { _, r in for i in r { d[i] -= b[i] } }
            }
        }
        return difference
    }
}
