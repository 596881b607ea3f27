import Foundation
import Testing
import TestSupport
@testable import MapbookCore

@Suite("SHA-256")
struct SHA256Tests {
    /// The FIPS 180-2 / NIST example vectors.
    static let vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ]

    @Test("standard test vectors", arguments: 0..<4)
    func vectors(index: Int) {
        let (message, digest) = Self.vectors[index]
        #expect(SHA256.hex(message) == digest)
    }

    @Test("one million 'a', fed in uneven pieces, equals the standard digest")
    func millionA() {
        var h = SHA256()
        let piece = Data(repeating: UInt8(ascii: "a"), count: 999)
        var fed = 0
        while fed < 1_000_000 {
            let n = min(piece.count - fed % 7, 1_000_000 - fed)
            h.update(piece.prefix(n))
            fed += n
        }
        #expect(h.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("every length around the padding boundary agrees between one-shot and byte-by-byte feeding")
    func paddingBoundaries() {
        for n in 50...130 {
            let data = Data((0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            var bytewise = SHA256()
            for b in data { bytewise.update(Data([b])) }
            #expect(bytewise.hexDigest() == SHA256.hex(data), "length \(n)")
        }
        // 55 and 56 bytes straddle the single-block padding limit; known digests of "a"×n.
        #expect(SHA256.hex(String(repeating: "a", count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(SHA256.hex(String(repeating: "a", count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }

    @Test("a file hashes to the digest of its bytes; a missing file is a one-line error naming it")
    func file() throws {
        let tmp = TemporaryDirectory()
        defer { tmp.cleanup() }
        // Larger than one 4 MiB read, with marks in both pieces.
        var data = Data(repeating: 7, count: 5 << 20)
        data[12_345] = 1
        data[data.count - 1] = 9
        try data.write(to: URL(fileURLWithPath: tmp.file("blob")))
        #expect(try SHA256.hex(fileAt: tmp.file("blob")) == SHA256.hex(data))
        #expect(throws: MapbookError.self) { try SHA256.hex(fileAt: tmp.file("missing")) }
    }
}
