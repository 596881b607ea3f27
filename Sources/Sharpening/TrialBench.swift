import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// The region a search scores, transformed once, with what it takes to sharpen and measure it
/// again and again: each trial copies the spectrum, scales it, transforms it back and measures
/// the map. Independent trials run side by side, one per worker, each with its own buffers and
/// single-threaded FFTs (the measuring is serial code, so this keeps every core busy).
final class TrialBench: @unchecked Sendable {
    /// The box's grid and Fourier shells.
    let shells: FourierShells
    /// The unsharpened box spectrum.
    let spectrum: HalfSpectrum
    /// The box's own shell rms amplitudes, for whitening methods.
    let whitening: ShellWhitening
    /// The resolution cut-off every trial gets.
    let cutoff: SharpeningCutoff
    /// Voxels the contour encloses.
    let enclosedVoxels: Int

    private final class Worker {
        var spectrum: HalfSpectrum
        var volume: Volume
        let measurer = ClarityMeasurer()
        init(grid: VoxelGrid) {
            spectrum = HalfSpectrum(grid: grid)
            volume = Volume(grid: grid)
        }
    }
    private var workers: [Worker] = []
    private let lock = NSLock()

    /// A bench for `box` (transformed here) scored with contours enclosing `enclosedVoxels`.
    init(box: Volume, cutoff: SharpeningCutoff, enclosedVoxels: Int) {
        shells = FourierShells(grid: box.grid)
        spectrum = FFT.forward(box)
        whitening = ShellWhitening(power: shells.meanPower(spectrum), shells: shells)
        self.cutoff = cutoff
        self.enclosedVoxels = enclosedVoxels
    }

    /// Most trials run at once: every thread, but no more than eight box-sized buffer sets.
    private var maxWorkers: Int { min(8, Parallelism.threads) }

    private func worker(_ i: Int) -> Worker {
        lock.lock(); defer { lock.unlock() }
        while workers.count <= i { workers.append(Worker(grid: spectrum.grid)) }
        return workers[i]
    }

    /// Sharpens a copy of the box spectrum by `settings` (nil: only the cut-off) into `w`'s
    /// volume.
    private func sharpen(_ settings: SharpeningSettings?, in w: Worker, parallel: Bool) {
        let source = spectrum
        w.spectrum.coefficients.withUnsafeMutableBufferPointer { dst in
            source.coefficients.withUnsafeBufferPointer { src in
                dst.baseAddress!.update(from: src.baseAddress!, count: src.count)
            }
        }
        let scaling = (settings ?? .bIso(0)).scaling(shells: shells, cutoff: cutoff, whitening: whitening)
        scaling.apply(to: &w.spectrum, shells: shells, parallel: parallel)
        FFT.backward(destroying: &w.spectrum, into: &w.volume, threads: parallel ? nil : 1)
    }

    /// Measures the box sharpened by each of `trials` (nil: only the cut-off), in order.
    func measure(_ trials: [SharpeningSettings?]) -> [ClarityMeasurement] {
        guard !trials.isEmpty else { return [] }
        let count = min(maxWorkers, trials.count)
        if count == 1 {
            let w = worker(0)
            return trials.map { t in
                sharpen(t, in: w, parallel: true)
                return w.measurer.measure(w.volume, enclosedVoxels: enclosedVoxels)
            }
        }
        var results = [ClarityMeasurement?](repeating: nil, count: trials.count)
        let ws = (0..<count).map { worker($0) }
        results.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: count) { c in
                let w = ws[c]
                for i in stride(from: c, to: trials.count, by: count) {
                    sharpen(trials[i], in: w, parallel: false)
                    out[i] = w.measurer.measure(w.volume, enclosedVoxels: enclosedVoxels)
                }
            }
        }
        return results.map { $0! }
    }

    /// The box sharpened by `settings` (a new volume).
    func sharpened(_ settings: SharpeningSettings?, parallel: Bool = true) -> Volume {
        let w = Worker(grid: spectrum.grid)
        sharpen(settings, in: w, parallel: parallel)
        return w.volume
    }

    /// Releases the per-worker buffers.
    func releaseBuffers() {
        lock.lock(); defer { lock.unlock() }
        workers.removeAll()
    }
}
