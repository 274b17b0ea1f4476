import ChatWire
import Testing

@Suite("UserName")
struct UserNameTests {
    @Test(
        "valid names",
        arguments: ["a", "alice", "Alice_2", "d.e_f-9", "2017011000", "_x", String(repeating: "z", count: 32)])
    func valid(name: String) {
        #expect(UserName.isValid(name))
    }

    @Test(
        "invalid names",
        arguments: [
            "", "-alice", ".alice", "al ice", "al/ice", "..", "álice", "alice\n", "a:b", "a\0",
            String(repeating: "z", count: 33),
        ])
    func invalid(name: String) {
        #expect(!UserName.isValid(name))
    }

    @Test("legacy ids are exactly ten ASCII digits")
    func legacyIDs() {
        #expect(UserName.isLegacyID("2017011000"))
        #expect(UserName.isLegacyID("0000000000"))
        #expect(!UserName.isLegacyID("201701100"))
        #expect(!UserName.isLegacyID("20170110001"))
        #expect(!UserName.isLegacyID("201701100a"))
        #expect(!UserName.isLegacyID("２０１７０１１０００"))
        #expect(!UserName.isLegacyID(""))
    }
}
