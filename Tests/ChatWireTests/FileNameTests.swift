import ChatWire
import Testing

@Suite("FileName")
struct FileNameTests {
    @Test(
        "names from peers become one harmless path component",
        arguments: [
            ("report.pdf", "report.pdf"), ("../../etc/passwd", "___etc_passwd"), ("/etc/shadow", "_etc_shadow"),
            ("a/b\\c", "a_b_c"), (".profile", "profile"), ("...", nil), ("..", nil), (".", nil), ("", nil),
            ("  spaced  ", "spaced"), ("tab\there", "tabhere"), ("bell\u{7}.txt", "bell.txt"), ("nul\u{0}.txt", "nul.txt"),
            ("\u{202E}fdp.exe", "fdp.exe"), ("zero\u{200B}width", "zerowidth"), ("dots....txt", "dots__txt"),
            ("trailing.", "trailing"), ("Grüße 你好 👋.txt", "Grüße 你好 👋.txt"), ("e\u{301}t\u{E9}", "e\u{301}t\u{E9}"),
        ] as [(String, String?)])
    func sanitised(name: String, expected: String?) {
        #expect(FileName.sanitised(name) == expected)
    }

    @Test("a long name is cut to the limit, keeping its extension")
    func long() throws {
        let name = String(repeating: "ä", count: 300) + ".tar"
        let cut = try #require(FileName.sanitised(name))
        #expect(cut.utf8.count <= FileName.maxBytes)
        #expect(cut.hasSuffix(".tar"))
        #expect(FileName.sanitised(String(repeating: "x", count: 5000)) == nil)
    }
}
