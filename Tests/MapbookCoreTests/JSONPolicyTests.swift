import Foundation
import Testing
@testable import MapbookCore

@Suite("JSON policy and UTC time")
struct JSONPolicyTests {
    struct Sample: Codable, Equatable { var b: Double; var a: [Double] }

    @Test("non-finite numbers: strings read back exactly; null for reports; keys sorted")
    func nonFinite() throws {
        let v = Sample(b: .infinity, a: [.nan, -.infinity, 1.5])
        let strings = try JSONPolicy.encode(v, pretty: false, nonFinite: .strings)
        #expect(String(decoding: strings, as: UTF8.self) == #"{"a":["nan","-inf",1.5],"b":"inf"}"#)
        let back = try JSONPolicy.decode(Sample.self, from: strings)
        #expect(back.b == .infinity && back.a[0].isNaN && back.a[1] == -.infinity && back.a[2] == 1.5)
        let nulls = try JSONPolicy.encode(v, pretty: false, nonFinite: .null)
        #expect(String(decoding: nulls, as: UTF8.self) == #"{"a":[null,null,1.5],"b":null}"#)
    }

    @Test("UTC time in every format, whatever the local zone")
    func utc() {
        let d = Date(timeIntervalSince1970: 1_740_837_909.123)   // 2025-03-01 14:05:09.123 UTC
        #expect(UTCTime.string(d, .iso) == "2025-03-01T14:05:09Z")
        #expect(UTCTime.string(d, .isoMilliseconds) == "2025-03-01T14:05:09.123Z")
        #expect(UTCTime.string(d, .labelSeconds) == "2025-03-01 14:05:09")
        #expect(UTCTime.string(d, .labelMinutes) == "2025-03-01 14:05")
        #expect(UTCTime.string(d, .readable) == "2025-03-01 14:05 UTC")
    }
}
