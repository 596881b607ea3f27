import Foundation
import Notebook

/// The commented starter plan `mapbook init` writes: the dataset block filled in from the
/// command line, and a cell of every kind with every option, its default and its meaning.
public enum StarterPlan {
    /// What `mapbook init` was given. Paths are written as given, relative to the plan's
    /// folder (the caller converts them).
    public struct Inputs: Sendable {
        /// Dataset name.
        public var name: String
        /// The two half maps.
        public var halfMaps: [String]
        /// A full map.
        public var fullMap: String?
        /// A mask.
        public var mask: String?
        /// An atomic model.
        public var model: String?
        /// A sequence.
        public var sequence: String?
        /// Voxel size override, Å.
        public var voxelSize: Double?
        /// Point group.
        public var symmetry: String
        /// The plan's file name, for the "run it" line (default NAME.yaml).
        public var planFile: String?
        /// Simulated data: the noise-free truth (the `truth` cell is offered only with it).
        public var truth: String?

        /// Inputs for a starter plan.
        public init(name: String, halfMaps: [String], fullMap: String? = nil, mask: String? = nil, model: String? = nil,
                    sequence: String? = nil, voxelSize: Double? = nil, symmetry: String = "C1", planFile: String? = nil, truth: String? = nil) {
            self.name = name; self.halfMaps = halfMaps; self.fullMap = fullMap; self.mask = mask; self.model = model
            self.sequence = sequence; self.voxelSize = voxelSize; self.symmetry = symmetry; self.planFile = planFile; self.truth = truth
        }
    }

    /// Values the starter plan writes for options that have no default, or whose default is
    /// better shown concretely, by kind and key.
    static func starterValue(kind: String, key: String, inputs: Inputs) -> String? {
        switch (kind, key) {
        case ("montage", "maps"):
            return "[dataset.half_map_1, postprocess.sharpened, postprocess.sharpened_masked]"
        case ("views", "maps"): return "[postprocess.sharpened]"
        case ("compare", "numbers"): return "[fsc.resolution, postprocess.resolution, postprocess.resolution_half_bit, postprocess.bfactor]"
        case ("compare", "maps"): return "[dataset.half_map_1, dataset.half_map_2, postprocess.sharpened]"
        case ("composite", "maps"): return "[dataset.half_map_1, dataset.half_map_2]"
        case ("truth", "maps"): return "[dataset.half_map_1, postprocess.sharpened]"
        case ("truth", "mask"): return inputs.mask != nil ? "dataset.mask" : "postprocess.mask"
        case ("fsc", "mask"), ("postprocess", "mask"): return inputs.mask != nil ? "dataset.mask" : nil
        case ("sharpen", "resolution"): return "postprocess.resolution"
        // Written as the value it resolves to, so the uncommented cell runs as written.
        case ("density_modify", "symmetry"): return quoted(inputs.symmetry)
        // Density modification needs the molecule's size: from the dataset's sequence when
        // there is one, else a stated guess the user is asked to replace (see `starterNote`).
        case ("density_modify", "solvent_fraction"): return inputs.sequence == nil ? "0.5" : nil
        default: return nil
        }
    }

    /// A comment replacing an option's help where the starter plan writes a guess the user
    /// should replace.
    static func starterNote(kind: String, key: String, inputs: Inputs) -> String? {
        switch (kind, key) {
        case ("density_modify", "solvent_fraction") where inputs.sequence == nil:
            return "no sequence was given: replace with sequence: dataset.sequence (set it above) or molecular_mass: Da"
        case ("model_fit", "model") where inputs.model == nil:
            return "no model was given: set model: in the dataset block above (mapbook init --model) before uncommenting"
        default: return nil
        }
    }

    /// Kinds that the starter plan runs (the rest are listed commented out).
    static let activeKinds = ["fsc", "postprocess", "montage", "compare"]

    /// The plan text, with a cell of each of `kinds` (by default every kind that analyses a
    /// dataset; the benchmark kind reads no maps).
    public static func text(_ inputs: Inputs, kinds: [any NotebookCell.Type] = CellKinds.datasetKinds) -> String {
        var out = """
        # mapbook analysis plan for \(inputs.name), written by `mapbook init`.
        #
        # Run it:   mapbook run \(inputs.planFile ?? inputs.name + ".yaml") -o reports/\(inputs.name)
        # Cells run in order. Analysis cells are cached: running again reuses every cell whose
        # inputs and options are unchanged. Paths are relative to this file. A cell reads
        # values through references: dataset.<field> or <cell id>.<output>. Markdown cells may
        # quote numbers as {{ <cell id>.<output> }}. Every option is listed with its default;
        # lines starting with # are comments.

        title: \(quoted("mapbook report: " + inputs.name))

        dataset:
          name: \(quoted(inputs.name))
          half_maps: [\(inputs.halfMaps.map(quoted).joined(separator: ", "))]

        """
        func field(_ key: String, _ value: String?, _ example: String, _ help: String) {
            if let value { out += "  \(key): \(value)\(pad(key, value))# \(help)\n" }
            else { out += "  # \(key): \(example)\(pad(key, example, commented: true))# \(help)\n" }
        }
        field("full_map", inputs.fullMap.map(quoted), "map.mrc", "a full (not half) map")
        field("mask", inputs.mask.map(quoted), "mask.mrc", "a soft mask, values in [0, 1], on the half maps' grid")
        field("model", inputs.model.map(quoted), "model.cif", "an atomic model (recorded; later cells use it)")
        field("sequence", inputs.sequence.map(quoted), "sequence.fasta", "the sequence (recorded; later cells use it)")
        field("voxel_size", inputs.voxelSize.map { "\($0)" }, "1.06", "Å; overrides the voxel size in the maps' headers")
        field("symmetry", quoted(inputs.symmetry), "C1", "point group (C1, Cn, Dn, T, O, I), for the half-bit threshold")
        if let t = inputs.truth { field("truth", quoted(t), "truth.mrc", "simulated data: the noise-free map (the truth cell scores maps against it)") }
        out += """

        cells:
          - markdown: |
              # \(inputs.name)

              Half-map validation of **\(inputs.name)**. The corrected FSC reaches
              {{ postprocess.resolution }} at 0.143 ({{ postprocess.resolution_half }} at 0.5); the
              post-processing B-factor is {{ postprocess.bfactor }} (negative sharpens, positive blurs).

        """
        // The truth cell needs a truth: only simulated datasets have one.
        for kind in kinds where kind.kind != TruthCell.kind || inputs.truth != nil {
            let name = kind.kind
            let active = activeKinds.contains(name)
            let c = active ? "" : "# "
            out += "\n  # \(name): \(kind.summary)\n"
            if !kind.outputs.isEmpty {
                out += "  # outputs: " + kind.outputs.map { "\(name).\($0.name) (\($0.type.rawValue))" }.joined(separator: ", ") + "\n"
            }
            out += "  \(c)- kind: \(name)\n"
            out += "  \(c)  id: \(name)\(pad("id", name))# unique; names references and files\n"
            out += "  \(c)  title: \(quoted(kind.defaultTitle))\n"
            for o in kind.options {
                let given = starterValue(kind: name, key: o.key, inputs: inputs)
                let value = given ?? (o.shownInStarterPlan ? o.defaultValue : nil)
                let help = starterNote(kind: name, key: o.key, inputs: inputs)
                    ?? o.help + (o.defaultValue.map { given == nil && o.shownInStarterPlan ? "" : " (default: \($0))" } ?? " (required)")
                if let value {
                    out += "  \(c)  \(o.key): \(value)\(pad(o.key, value))# \(help)\n"
                } else {
                    let example = exampleValue(o.key)
                    out += "  \(c)  # \(o.key): \(example)\(pad(o.key, example, commented: true))# \(help)\n"
                }
            }
        }
        out += """

          - markdown: |
              ## Notes

              Write conclusions here. Numbers can be quoted, for example the unmasked FSC
              reaches {{ fsc.resolution }}.

        """
        return out
    }

    static func exampleValue(_ key: String) -> String {
        switch key {
        case "mask": return "auto"
        case "mask_threshold": return "0.02"
        case "autob_highres": return "4.0"
        case "randomize_at": return "8.0"
        case "method": return "b_iso_to_d_cut"
        case "labels": return "[half map 1, sharpened]"
        default: return "…"
        }
    }

    static func pad(_ key: String, _ value: String, commented: Bool = false) -> String {
        let used = key.count + 2 + value.count + (commented ? 2 : 0)
        return String(repeating: " ", count: max(2, 40 - used))
    }

    /// A YAML double-quoted string (JSON escapes are valid YAML).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }
}
