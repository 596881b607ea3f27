import Foundation
import Notebook

/// What an applied B-factor did to a map, in words that follow its sign. The applied factor
/// is exp(−B s²/4): a negative B sharpens, a positive B blurs (a B of +37.9 Å² is a blur, not
/// a sharpening), zero leaves the map as it was. A B that is not a number (a sharpening by
/// another method, with no single B) reads as sharpened.
enum BFactorWording {
    /// "sharpened", "blurred" or "unsharpened".
    static func participle(_ b: Double) -> String {
        if b > 0 { return "blurred" }
        return b == 0 ? "unsharpened" : "sharpened"
    }

    /// "sharpening", "blurring" or "no sharpening".
    static func gerund(_ b: Double) -> String {
        if b > 0 { return "blurring" }
        return b == 0 ? "no sharpening" : "sharpening"
    }

    /// `text` with "sharpened" (and "Sharpened") replaced by the participle for `b`: a label or
    /// title written for the usual negative B, made true for any sign. Unchanged without a B.
    static func relabel(_ text: String, bFactor b: Double?) -> String {
        guard let b, b >= 0 else { return text }
        let word = participle(b)
        return text.replacingOccurrences(of: "sharpened", with: word)
            .replacingOccurrences(of: "Sharpened", with: word.prefix(1).uppercased() + word.dropFirst())
    }
}

extension BFactorWording {
    /// The label of the map `r`, saying "blurred" where its cell's own name says "sharpened"
    /// but the B that cell applied (its `bfactor` number) is positive.
    static func mapLabel(_ r: PlanReference, context: CellContext) -> String {
        relabel(context.label(r), bFactor: appliedB(of: r, context: context))
    }

    /// The B applied by the cell that made the map `r` (its `bfactor` number), if it has one.
    static func appliedB(of r: PlanReference, context: CellContext) -> Double? {
        r.isDataset ? nil : (try? context.number(PlanReference(r.source, "bfactor")))?.value
    }
}
