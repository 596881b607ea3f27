import Foundation
import Testing
import TestSupport

@Suite("mapbook batch --slurm: refused values")
struct BatchSlurmCLITests {
    @Test("a Slurm value that cannot go into a script: one line naming the option and the value, exit 1, nothing written or submitted")
    func refusedValues() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        try FileManager.default.createDirectory(atPath: tmp.file("a"), withIntermediateDirectories: true)
        try Data("dataset:\n  half_maps: [half1.mrc, half2.mrc]\ncells:\n  - kind: fsc\n".utf8).write(to: URL(fileURLWithPath: tmp.file("t.yaml")))
        try Data("template t.yaml\ndataset a\n".utf8).write(to: URL(fileURLWithPath: tmp.file("m.txt")))
        // A stand-in sbatch that would record any submission.
        let bin = tmp.file("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try Data("#!/bin/sh\necho \"$@\" >> '\(tmp.file("sbatch.log"))'\necho 41\n".utf8).write(to: URL(fileURLWithPath: bin + "/sbatch"))
        chmod(bin + "/sbatch", 0o755)
        let cases: [([String], String)] = [
            (["--partition", "gpu;touch PWNED"], #"--partition "gpu;touch PWNED": a Slurm partition holds only letters, digits and ._-,:+@%"#),
            (["--account", "lab\ntouch PWNED"], #"--account "lab\ntouch PWNED": a Slurm account holds only letters, digits and ._-,:+@%"#),
            (["--qos", "$(touch PWNED)"], #"--qos "$(touch PWNED)": a Slurm qos holds only letters, digits and ._-,:+@%"#),
            (["--sbatch-option=touch PWNED"], #"--sbatch-option "touch PWNED": an sbatch option starts with '-' (such as --gres=gpu:1)"#),
            (["--sbatch-option=--gres=gpu:1\rtouch PWNED"], #"--sbatch-option "--gres=gpu:1\rtouch PWNED": holds a control character"#),
            (["--mapbook", "/opt/mapbook\ntouch PWNED"], #"--mapbook "/opt/mapbook\ntouch PWNED": holds a control character"#),
            (["--mapbook=-a"], #"--mapbook "-a": starts with '-'"#),
        ]
        for (extra, expected) in cases {
            for command in [["batch", "run", tmp.file("m.txt"), "--slurm"], ["batch", "run", tmp.file("m.txt"), "--dry-run"],
                            ["batch", "resubmit", tmp.file("m.txt"), "--slurm-bin", bin]] {
                let r = try CLI.run(command + extra)
                #expect(r.status == 1, "\(command + extra): \(r.stderr)")
                #expect(r.stderr.hasPrefix("mapbook: error: " + expected) && r.stderr.filter { $0 == "\n" }.count == 1, "\(r.stderr)")
                #expect(r.stdout.isEmpty, "\(r.stdout)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.file("batch")), "a refused value left files behind")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("sbatch.log")), "a refused value reached sbatch")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("PWNED")))
    }
}
