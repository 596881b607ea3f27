import Facility
import MapbookCore

extension SlurmValueError {
    /// The command-line options the library's keys stand for.
    static let flags = ["partition": "--partition", "account": "--account", "qos": "--qos", "sbatch option": "--sbatch-option",
                        "executable": "--mapbook", "throttle": "--throttle", "cpus per task": "--cpus-per-task",
                        "memory": "--mem", "minutes": "--time-minutes", "output folder": "--output"]

    /// The error as the command line says it: `--partition "a;b": …` (one line, exit 1).
    var commandLineError: MapbookError {
        var e = self
        e.key = Self.flags[key] ?? key
        return MapbookError(e.description)
    }
}

/// Runs `body`, turning a bad Slurm value into the command line's one-line error.
func slurmChecked<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as SlurmValueError { throw e.commandLineError }
}
