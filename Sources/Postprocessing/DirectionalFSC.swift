import Foundation
import FourierEngine
import MapbookCore
import MapModel

/// The directional FSC of two half maps and what is read from it: the 0.143 resolution in
/// every direction, their spread, and the sphericity of the FSC-0.5 surface (3DFSC, Tan et al.
/// 2017). Written as JSON by `mapbook fsc` (field `directional`) and kept by the `fsc` cell.
public struct DirectionalFSCReport: Sendable, Codable {
    /// One direction's findings.
    public struct Direction: Sendable, Codable {
        /// The cone axis (unit vector, z ≥ 0; the cone also holds its opposite).
        public var axis: SIMD3<Double>
        /// Polar angle from +z (degrees).
        public var polarAngle: Double
        /// Azimuth from +x towards +y (degrees).
        public var azimuth: Double
        /// Where the direction's curve crosses 0.143.
        public var resolution: ResolutionEstimate
        /// Where it crosses 0.5 (the sphericity's threshold).
        public var resolutionHalf: ResolutionEstimate
    }

    /// The spread of the directional 0.143 resolutions (interpolated crossings, Å).
    public struct Spread: Sendable, Codable, Equatable {
        /// Best (smallest) resolution.
        public var minimum: Double
        /// Worst (largest) resolution.
        public var maximum: Double
        /// Mean over directions.
        public var mean: Double
        /// Sample standard deviation over directions (n − 1, as 3DFSC).
        public var standardDeviation: Double
        /// Index of the best direction.
        public var best: Int
        /// Index of the worst direction.
        public var worst: Int
    }

    /// The parameters used.
    public var parameters: DirectionalFSCParameters
    /// Whether the half maps were masked (with the global FSC's mask).
    public var masked: Bool
    /// Every direction's curve and the global curve of the same (masked) maps. Below
    /// `firstShell` each directional curve holds the global values (see `minimumConeCoefficients`).
    public var curves: DirectionalFSCCurves
    /// The first shell where every cone holds at least `minimumConeCoefficients` coefficients.
    public var firstShell: Int
    /// Each direction's crossings, in the order of `curves.directions`.
    public var directions: [Direction]
    /// The spread of the directional 0.143 resolutions.
    public var spread: Spread
    /// The directions whose curve never falls below 0.143 before Nyquist or where the data
    /// end: their resolution is a bound, counted in `spread` as the last shell.
    public var boundedDirections: Int
    /// Sphericity of the surface where the directional FSC falls to 0.5 (1: isotropic).
    public var sphericity: Double
    /// The shell-by-shell mean of the directional curves.
    public var meanCurve: FSCCurve

    /// Fewest full-sphere coefficients a cone-shell needs for its own value: with n of them the
    /// FSC of pure noise scatters by about 1/√(n/2), 0.26 for 30. Below the first shell where
    /// every cone has that many (shell 7 for 20° cones, which hold 6 % of a shell), the cones
    /// are too sparse and every directional curve takes the global value: the cones are parts of
    /// the shell, so the global value is their best estimate there (3DFSC's 150 Å high-pass
    /// plays the same part).
    public static let minimumConeCoefficients = 30.0
    /// The FSC value whose surface the sphericity measures (3DFSC's ThresholdForSphericity).
    public static let sphericityThreshold = 0.5
}

extension Postprocess {
    /// The directional FSC of two half maps, masked with `mask` when given (the same masking as
    /// the global FSC: voxel by voxel, before the transform).
    ///
    /// One pass over the half spectrum bins the product terms of the two transforms by shell ×
    /// direction (`FourierShells.directionalFSC`): two transforms in all, none per direction.
    /// No phase-randomisation correction per cone: 3DFSC applies none either, and the
    /// correction (Chen et al. 2013) removes the correlation that a mask's sharp edges put into
    /// high shells, which the global FSC already measures and checks (a verdict fails a mask
    /// whose randomised FSC stays above 0.2): with a mask that passes, the correction is near
    /// zero in every shell the directional resolutions fall in, and a per-cone correction would
    /// double the cost for noise.
    public static func directionalFSC(half1: consuming Volume, half2: consuming Volume, mask: Volume?,
                                      parameters: DirectionalFSCParameters = DirectionalFSCParameters(),
                                      names: PostprocessInputNames = PostprocessInputNames(),
                                      progress: ProgressReporter = .silent) throws -> DirectionalFSCReport {
        try checkInputs(half1, half2, mask.map { .supplied($0) } ?? .none, HalfMapFSCParameters(), names)
        try parameters.validate()
        let shells = FourierShells(grid: half1.grid)
        progress.step("Directional FSC: \(parameters.directionCount) cones of \(parameters.coneHalfAngle.parameterText)°")
        if let mask {
            half1.multiply(by: mask)
            half2.multiply(by: mask)
        }
        let f1 = FFT.forward(consume half1)
        let f2 = FFT.forward(consume half2)
        let cones = ConeLookup(directions: FibonacciDirections.halfSphere(count: parameters.directionCount),
                               halfAngle: parameters.coneHalfAngle * .pi / 180)
        let raw = shells.directionalFSC(f1, f2, cones: cones)
        return try DirectionalReading.read(raw, parameters: parameters, masked: mask != nil)
    }
}

/// How a report is read from the raw directional curves: sparse low shells from the global
/// curve, crossings per direction, their spread, the mean curve and the sphericity.
enum DirectionalReading {
    static func read(_ raw: DirectionalFSCCurves, parameters: DirectionalFSCParameters, masked: Bool) throws -> DirectionalFSCReport {
        var curves = raw
        curves.global = raw.global.withDefinedDCShell()
        let shellCount = curves.global.shellCount
        let first = (1..<shellCount).first { i in raw.curves.allSatisfy { $0.count[i] >= DirectionalFSCReport.minimumConeCoefficients } } ?? shellCount
        curves.curves = raw.curves.map { c in
            var values = c.fsc
            for i in 0..<min(first, shellCount) { values[i] = curves.global.fsc[i] }
            return c.with(values: values)
        }
        var directions: [DirectionalFSCReport.Direction] = []
        for (u, c) in zip(curves.directions, curves.curves) {
            directions.append(.init(axis: u, polarAngle: acos(min(1, u.z)) * 180 / .pi,
                                    azimuth: atan2(u.y, u.x) * 180 / .pi,
                                    resolution: try c.resolution(at: .goldStandard),
                                    resolutionHalf: try c.resolution(at: .fixed(DirectionalFSCReport.sphericityThreshold))))
        }
        let resolutions = directions.map { $0.resolution.interpolatedResolution }
        let finite = resolutions.indices.filter { resolutions[$0].isFinite }
        guard let best = finite.min(by: { resolutions[$0] < resolutions[$1] }),
              let worst = finite.max(by: { resolutions[$0] < resolutions[$1] }) else {
            throw MapbookError("the directional FSC falls below 0.143 at the lowest shell in every direction")
        }
        let values = finite.map { resolutions[$0] }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.count > 1 ? values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1) : 0
        let spread = DirectionalFSCReport.Spread(minimum: resolutions[best], maximum: resolutions[worst], mean: mean,
                                                 standardDeviation: variance.squareRoot(), best: best, worst: worst)
        let bounded = directions.filter { $0.resolution.status == .neverCrosses || $0.resolution.status == .dataEnds }.count
        let halfRadius = DirectionField(directions: curves.directions,
                                        values: directions.map { d in d.resolutionHalf.interpolatedResolution.isFinite ? 1 / d.resolutionHalf.interpolatedResolution : .nan })
        let sphericity = Sphericity.of { halfRadius.value($0) }
        return DirectionalFSCReport(parameters: parameters, masked: masked, curves: curves, firstShell: first, directions: directions,
                                    spread: spread, boundedDirections: bounded, sphericity: sphericity,
                                    meanCurve: meanCurve(curves))
    }

    /// The mean of the directional curves, shell by shell (over the directions defined there).
    static func meanCurve(_ c: DirectionalFSCCurves) -> FSCCurve {
        let values = (0..<c.global.shellCount).map { i -> Double in
            let defined = c.curves.map { $0.fsc[i] }.filter { !$0.isNaN }
            return defined.isEmpty ? .nan : defined.reduce(0, +) / Double(defined.count)
        }
        return c.global.with(values: values)
    }
}
