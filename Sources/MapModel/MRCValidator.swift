import MapbookCore

extension MRCFile {
    /// Everything worth knowing about what is wrong, odd or ambiguous in the map at `path`, one
    /// line per finding, each starting "error: ", "warning: " or "note: ".
    ///
    /// Errors are the faults that make `read` refuse the file (the first one is what `read`
    /// throws); warnings are departures from MRC2014 that mapbook tolerates but other programs
    /// may not (header statistics that disagree with the data, MX ≠ NX, unusual ISPG, a
    /// non-standard MAP field or machine stamp, mislabelled NLABL); notes say how mapbook
    /// interprets ambiguous fields. An empty list, or notes only, means a clean file.
    /// The lines do not repeat the path.
    public static func validate(path: String) -> [String] {
        var issues: [MRCIssue] = []
        do {
            let input = try MapInputStream(path: path)
            let (header, orderNote) = try readHeader(from: input)
            let layout = header.layoutIssues()
            if let orderNote, header.hasPlausibleDimensions { issues.append(.warning(orderNote)) }
            issues += layout
            // Without a known size, mode and axis order the data cannot be located or decoded.
            guard layout.firstError == nil else { return issues.map(\.line) }
            let geometry = MRCGeometry(header)
            issues += geometry.issues
            issues += header.conventionIssues()
            do {
                let voxels = try readVoxels(from: input, header: header)
                if let problem = nonFiniteProblem(voxels, grid: geometry.grid) {
                    issues.append(.error(problem))
                } else {
                    issues += statisticsIssues(header, VolumeStatistics(voxels))
                }
            } catch let e as MapbookError {
                issues.append(.error(e.problem))
            }
        } catch let e as MapbookError {
            issues.append(.error(e.problem))
        } catch {
            issues.append(.error("\(error)"))
        }
        return issues.map(\.line)
    }

    /// Compares the header's DMIN, DMAX, DMEAN and RMS with the data.
    ///
    /// MRC2014 marks unknown statistics with DMAX < DMIN, DMEAN below both and RMS < 0; all-zero
    /// fields are the other common way writers leave them unset. Anything else must match the
    /// data to within 1e-4 of its range (float rounding in the writer is far smaller).
    static func statisticsIssues(_ header: MRCHeader, _ stats: VolumeStatistics) -> [MRCIssue] {
        let dataMin = Double(stats.min), dataMax = Double(stats.max)
        let tolerance = 1e-4 * max(dataMax - dataMin, Double(Float.leastNormalMagnitude))
        func disagrees(_ headerValue: Float, _ dataValue: Double) -> Bool {
            !(abs(Double(headerValue) - dataValue) <= tolerance)
        }
        func f(_ v: Double) -> String { String(format: "%.6g", v) }
        let summary = "data: min \(f(dataMin)), max \(f(dataMax)), mean \(f(stats.mean)), rms \(f(stats.rms))"

        if header.dmin == 0 && header.dmax == 0 && header.dmean == 0 && header.rms == 0 {
            return [.warning("header DMIN, DMAX, DMEAN and RMS are all 0 (unset); \(summary)")]
        }
        var issues: [MRCIssue] = []
        if header.dmax < header.dmin {
            issues.append(.note("header marks DMIN/DMAX as not computed (DMAX < DMIN); \(summary)"))
        } else {
            if disagrees(header.dmin, dataMin) {
                issues.append(.warning("header DMIN = \(f(Double(header.dmin))) disagrees with the data minimum \(f(dataMin))"))
            }
            if disagrees(header.dmax, dataMax) {
                issues.append(.warning("header DMAX = \(f(Double(header.dmax))) disagrees with the data maximum \(f(dataMax))"))
            }
            if header.dmean >= min(header.dmin, header.dmax) && disagrees(header.dmean, stats.mean) {
                issues.append(.warning("header DMEAN = \(f(Double(header.dmean))) disagrees with the data mean \(f(stats.mean))"))
            }
        }
        if header.rms >= 0 && disagrees(header.rms, stats.rms) {
            let unset = header.rms == 0 ? " (probably unset)" : ""
            issues.append(.warning("header RMS = \(f(Double(header.rms)))\(unset) disagrees with the data standard deviation \(f(stats.rms))"))
        }
        return issues
    }
}
