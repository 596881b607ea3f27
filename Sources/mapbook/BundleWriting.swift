import MapbookCore

/// Runs `body`, the work that fills `bundle`: on any error the bundle is discarded, so a failed
/// command leaves no partial output, and a library `ParameterProblem` is phrased with its flag.
func writingBundle(_ bundle: OutputBundle, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let problem as ParameterProblem {
        bundle.discard()
        throw CommandParameters.phrased(problem)
    } catch {
        bundle.discard()
        throw error
    }
}
