import ArgumentParser
import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// `mapbook fft-floor` (hidden, for bench/all.sh): the time of one forward (r2c) and one
/// inverse (c2r) transform of each box shape, with the plans mapbook itself uses, printed as
/// JSON. An algorithm's FFT floor is the number of transforms it runs (`MAPBOOK_FFT_COUNTS`)
/// times these times.
struct FFTFloorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fft-floor",
        abstract: "Time one r2c and one c2r transform per box shape (for the benchmark).",
        shouldDisplay: false)

    @Argument(help: "Box shapes: N (a cube) or NXxNYxNZ.") var shapes: [String]
    @Option(name: .long, help: "Transforms timed per shape and direction (the median is printed).") var repeats = 5
    @Flag(name: .long, help: "Also time the in-place transforms (planned as well).") var inPlace = false
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        for s in shapes where Self.parse(s) == nil { throw ValidationError("'\(s)' is not a box shape (N or NXxNYxNZ, each 2 to 2048)") }
    }

    /// The shape written as "N" or "NXxNYxNZ".
    static func parse(_ text: String) -> SIMD3<Int>? {
        let parts = text.split(separator: "x").compactMap { Int($0) }
        guard parts.count == 1 || parts.count == 3, parts.allSatisfy({ (2...2048).contains($0) }),
              parts.count == text.split(separator: "x", omittingEmptySubsequences: false).count else { return nil }
        return parts.count == 1 ? SIMD3(repeating: parts[0]) : SIMD3(parts[0], parts[1], parts[2])
    }

    /// The timings of one shape: out of place, and with `--in-place` in place too (a map or
    /// spectrum given up to the transform, as `FFT.forward(consume:)` / `FFT.backward(consume:)`
    /// run it; the rows are spread to FFTW's padded layout and back within the time).
    struct Timing: Encodable {
        var shape: String
        var r2cSeconds: Double
        var c2rSeconds: Double
        var r2cInPlaceSeconds: Double?
        var c2rInPlaceSeconds: Double?
    }

    func run() throws {
        _ = compute.apply()
        var out: [Timing] = []
        for text in shapes {
            let size = Self.parse(text)!
            let grid = VoxelGrid(size: size, voxelSize: SIMD3(repeating: 1))
            var volume = Volume(grid: grid) { x, y, z in Float((x &* 7 &+ y &* 13 &+ z &* 29) % 17) }
            var spectrum = FFT.forward(volume)       // plans and warms up both directions
            volume = FFT.backward(spectrum)
            // Each repeat gets its own inputs, copied before the clock starts: the transforms
            // destroy (c2r) or take over (in place) what they are given.
            func median<Input>(_ make: () -> Input, _ body: (inout Input) -> Void) -> Double {
                var times: [Double] = []
                for _ in 0..<repeats {
                    var input = make()
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    body(&input)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
                }
                return times.sorted()[times.count / 2]
            }
            func privateCopy(_ v: Volume) -> Volume { var c = v; c.voxels[0] = v.voxels[0]; return c }
            func privateCopy(_ s: HalfSpectrum) -> HalfSpectrum { var c = s; c.coefficients[0] = s.coefficients[0]; return c }
            let r2c = median({ () }) { _ in FFT.forward(volume, into: &spectrum) }
            let c2r = median({ privateCopy(spectrum) }) { FFT.backward(destroying: &$0, into: &volume) }
            var r2cInPlace: Double? = nil, c2rInPlace: Double? = nil
            if inPlace {
                _ = FFT.backward(FFT.forward(privateCopy(volume)))       // plans the in-place transforms
                r2cInPlace = median({ Optional(privateCopy(volume)) }) { _ = FFT.forward($0.take()!) }
                c2rInPlace = median({ Optional(privateCopy(spectrum)) }) { _ = FFT.backward($0.take()!) }
            }
            out.append(Timing(shape: "\(size.x)x\(size.y)x\(size.z)", r2cSeconds: r2c, c2rSeconds: c2r,
                              r2cInPlaceSeconds: r2cInPlace, c2rInPlaceSeconds: c2rInPlace))
        }
        struct Output: Encodable { var threads: Int; var transforms: [Timing]; var planning: FFTPlanningLedger.Reading }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Output(threads: Parallelism.threads, transforms: out, planning: FFTPlanningLedger.shared.reading))
        print(String(decoding: data, as: UTF8.self))
    }
}

/// Writes this process's transform counts (`FFTCounts`) as JSON to `$MAPBOOK_FFT_COUNTS` when
/// the process exits, for the benchmark's floor; nothing when the variable is unset.
enum FFTCountsAtExit {
    static func install() {
        guard let path = ProcessInfo.processInfo.environment["MAPBOOK_FFT_COUNTS"], !path.isEmpty else { return }
        atexit {
            guard let path = ProcessInfo.processInfo.environment["MAPBOOK_FFT_COUNTS"] else { return }
            struct Output: Encodable { var transforms: [String: Double]; var planning: FFTPlanningLedger.Reading }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            if let data = try? encoder.encode(Output(transforms: FFTCounts.snapshot, planning: FFTPlanningLedger.shared.reading)) {
                _ = FileManager.default.createFile(atPath: path, contents: data)
            }
        }
    }
}
