import Foundation
import FourierEngine
import MapbookCore
import Reports
import Testing

@Suite("EMDB FSC XML and ChimeraX paths")
struct FSCXMLRoundTripTests {
    @Test("the XML written reads back to the curve's points; malformed XML is refused with the reason")
    func roundTrip() throws {
        let xml = """
        <fsc title="t" xaxis="Resolution (A-1)" yaxis="Correlation Coefficient">
          <coordinate><x>0.010000</x><y>0.999000</y></coordinate>
          <coordinate><x>0.020000</x><y>0.500000</y></coordinate>
        </fsc>
        """
        let points = try EMDBFSCXML.points(of: Data(xml.utf8))
        #expect(points == [.init(x: 0.01, y: 0.999), .init(x: 0.02, y: 0.5)])
        for (bad, phrase) in [("<fsc><coordinate><x>0.1</x></coordinate></fsc>", "without both"),
                              ("<fsc><coordinate><x>0.1</x><y>nan</y></coordinate></fsc>", "finite"),
                              ("<fsc><coordinate><x>0.2</x><y>1</y></coordinate><coordinate><x>0.1</x><y>1</y></coordinate></fsc>", "do not rise"),
                              ("<fsc><coordinate><x>0.1</x><y>1</y></coordinate>", "well-formed"),
                              ("<other/>", "unexpected")] {
            do { _ = try EMDBFSCXML.points(of: Data(bad.utf8)); Issue.record("accepted \(bad) as \(try EMDBFSCXML.points(of: Data(bad.utf8)))") }
            catch { #expect("\(error)".contains(phrase), "\(bad): \(error)") }
        }
    }

    @Test("relative paths step up to the common folder; ChimeraX refuses names it cannot quote")
    func paths() throws {
        #expect(RelativePath.from(directory: "/a/b/chimerax", to: "/a/b/maps/x.mrc") == "../maps/x.mrc")
        #expect(RelativePath.from(directory: "/a/b", to: "/a/b/x.mrc") == "x.mrc")
        #expect(RelativePath.from(directory: "/a/b/c", to: "/d/x.mrc") == "../../../d/x.mrc")
        #expect(try ChimeraXScript.quoted("../maps/a b.mrc") == "\"../maps/a b.mrc\"")
        #expect(throws: (any Error).self) { try ChimeraXScript.quoted("a\"b.mrc") }
        #expect(throws: (any Error).self) { try ChimeraXScript.quoted("a\nclose all\n.mrc") }
    }
}
