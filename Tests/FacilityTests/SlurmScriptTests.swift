import Foundation
import Testing
import MapbookCore
import MapModel
import Notebook
import TestSupport
@testable import Facility

@Suite("Slurm scripts and state")
struct SlurmScriptTests {
    @Test("array specifications: a range or a list, with the throttle")
    func arraySpec() {
        #expect(SlurmBatch.arraySpec([0, 1, 2, 3, 4, 5], throttle: 2) == "0-5%2")
        #expect(SlurmBatch.arraySpec([4, 1], throttle: 3) == "1,4%3")
        #expect(SlurmBatch.arraySpec([7], throttle: 1) == "7%1")
        #expect(ResourceEstimate.slurmTime(minutes: 5) == "00:05:00")
        #expect(ResourceEstimate.slurmTime(minutes: 1500) == "1-01:00:00")
    }

    @Test("the array script requests the largest estimate, from the map headers, and runs one task per entry")
    func script() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        for (d, n) in [("small", 24), ("large", 64)] {
            try FileManager.default.createDirectory(atPath: dir.file(d), withIntermediateDirectories: true)
            for h in ["half1.mrc", "half2.mrc"] {
                try MRCFile.write(Volume(grid: VoxelGrid(cube: n, voxel: 1)) { _, _, _ in 0 }, to: dir.file("\(d)/\(h)"))
            }
        }
        try Data("dataset:\n  half_maps: [half1.mrc, half2.mrc]\ncells:\n  - kind: postprocess\n  - kind: local_resolution\n".utf8)
            .write(to: URL(fileURLWithPath: dir.file("t.yaml")))
        try Data("template t.yaml\ndataset small\ndataset large\n".utf8).write(to: URL(fileURLWithPath: dir.file("m.txt")))
        let manifest = try BatchManifest.load(path: dir.file("m.txt"))
        var options = SlurmBatch.Options(executable: "/opt/mapbook/bin/mapbook")
        options.throttle = 2
        options.partition = "gpu"
        options.extraDirectives = ["--gres=gpu:1"]
        let layout = BatchLayout(root: dir.file("out"))
        let script = try SlurmBatch.arrayScript(manifest: manifest, layout: layout, indices: [0, 1], options: options)
        let small = try ResourceEstimate.estimate(plan: manifest.entries[0].loadPlan(), files: manifest.entries[0].datasetFiles(manifest.entries[0].loadPlan()), cpus: 1)
        let large = try ResourceEstimate.estimate(plan: manifest.entries[1].loadPlan(), files: manifest.entries[1].datasetFiles(manifest.entries[1].loadPlan()), cpus: 1)
        #expect(small.box == [24, 24, 24] && large.box == [64, 64, 64])
        #expect(large.memoryMiB > small.memoryMiB)
        // What `mapbook run` checks before the largest cell (its maps of 1 MiB each and 96 MiB
        // fixed), with half again on top.
        let copies = try manifest.entries[1].loadPlan().peakMapCopies
        #expect(large.memoryMiB == Int((1.5 * (copies + 96)).rounded(.up)))
        #expect(script.hasPrefix("#!/bin/bash\n"))
        #expect(script.contains("#SBATCH --array=0-1%2\n"))
        #expect(script.contains("#SBATCH --mem=\(large.memoryMiB)M\n"))
        #expect(script.contains("#SBATCH --time=\(ResourceEstimate.slurmTime(minutes: large.minutes))\n"))
        #expect(script.contains("#SBATCH --partition=gpu\n#SBATCH --gres=gpu:1\n"))
        #expect(script.contains("#   task 1 large: box 64x64x64"))
        #expect(script.contains("exec /opt/mapbook/bin/mapbook batch task \(manifest.path) --output \(layout.root) --index \"$SLURM_ARRAY_TASK_ID\""))
        // Every #SBATCH line comes before the first command, or sbatch ignores it.
        let lines = script.split(separator: "\n")
        let firstCommand = lines.firstIndex { !$0.hasPrefix("#") }!
        #expect(lines[firstCommand...].allSatisfy { !$0.hasPrefix("#SBATCH") })
    }

    @Test("status and resubmission with stand-in sbatch, squeue and scontrol: only failed, killed and missing datasets go again")
    func resubmit() throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        for d in ["a", "b", "c", "d", "e"] {
            try FileManager.default.createDirectory(atPath: dir.file(d), withIntermediateDirectories: true)
            for h in ["half1.mrc", "half2.mrc"] { try MRCFile.write(Volume(grid: VoxelGrid(cube: 8, voxel: 1)) { _, _, _ in 0 }, to: dir.file("\(d)/\(h)")) }
        }
        try Data("dataset:\n  half_maps: [half1.mrc, half2.mrc]\ncells:\n  - kind: fsc\n".utf8).write(to: URL(fileURLWithPath: dir.file("t.yaml")))
        try Data("template t.yaml\ndataset a\ndataset b\ndataset c\ndataset d\ndataset e\n".utf8).write(to: URL(fileURLWithPath: dir.file("m.txt")))
        let manifest = try BatchManifest.load(path: dir.file("m.txt"))
        let layout = BatchLayout(root: dir.file("out"))
        try layout.prepare()
        // Stand-ins: sbatch logs its arguments and prints the next id; squeue says task 4 runs.
        let bin = dir.file("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let scripts = [
            "sbatch": "#!/bin/sh\necho \"$@\" >> \(dir.file("sbatch.log"))\nn=$(wc -l < \(dir.file("sbatch.log")))\necho $((40 + n))\n",
            "squeue": "#!/bin/sh\necho '41_4|RUNNING'\n",
            "scontrol": "#!/bin/sh\ncase \"$4\" in 41_1) echo 'JobId=42 ArrayJobId=41 JobState=CANCELLED Reason=None';; *) exit 1;; esac\n",
        ]
        for (name, text) in scripts {
            try Data(text.utf8).write(to: URL(fileURLWithPath: bin + "/" + name))
            chmod(bin + "/" + name, 0o755)
        }
        var options = SlurmBatch.Options(executable: "/usr/bin/mapbook")
        options.commandFolder = bin
        options.throttle = 2
        let first = try SlurmBatch.submit(manifest: manifest, layout: layout, options: options)
        #expect(first.arrayJob == "41" && first.aggregateJob == "42" && first.array == "0-4%2")
        let log1 = try String(contentsOfFile: dir.file("sbatch.log"), encoding: .utf8)
        #expect(log1.contains("--dependency=afterany:41"))
        // a: completed; b: killed mid-run (status still running, Slurm says CANCELLED);
        // c: failed; d: never started; e: still running.
        func status(_ name: String, _ state: TaskState) throws {
            try TaskStatus(dataset: name, state: state, started: "2024-01-01T00:00:00Z", host: "h", pid: 1).write(layout.status(name))
        }
        try status("a", .completed); try status("b", .running); try status("c", .failed); try status("e", .running)
        let states = try SlurmBatch.states(manifest: manifest, layout: layout, options: options)
        #expect(states.map(\.summary) == ["completed", "interrupted (cancelled)", "failed", "missing", "running"])
        #expect(states.map(\.job) == ["41_0", "41_1", "41_2", "41_3", "41_4"])
        let again = try #require(try SlurmBatch.resubmit(manifest: manifest, layout: layout, options: options))
        #expect(again.array == "1-3%2")
        #expect(Set(again.tasks.values) == ["b", "c", "d"])
        #expect(SlurmBatch.submissions(layout).count == 2)
        let log2 = try String(contentsOfFile: dir.file("sbatch.log"), encoding: .utf8).split(separator: "\n")
        #expect(log2[2].contains("--array=1-3%2"))
        #expect(log2[3].contains("--dependency=afterany:43"))
    }
}
