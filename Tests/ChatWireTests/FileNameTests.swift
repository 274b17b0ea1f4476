import ChatWire
import Foundation
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

    /// Names the fuzzer (`Tests/Fuzz/FileNames`) found, or that it led to: cutting a long stem
    /// left a trailing dot or space, `..` before the extension, or, when one character was longer
    /// than the limit, only the extension: a hidden file.
    @Test(
        "a cut name still starts and ends well and has no '..'",
        arguments: [
            (String(repeating: "a", count: 235) + "." + String(repeating: "b", count: 10) + ".txt", String(repeating: "a", count: 235) + ".txt"),
            (String(repeating: "a", count: 239) + " " + String(repeating: "b", count: 5), String(repeating: "a", count: 239)),
            ("e" + String(repeating: "\u{301}", count: 150) + ".txt", "e" + String(repeating: "\u{301}", count: 117) + ".txt"),
        ])
    func cutWell(name: String, expected: String) throws {
        let cut = try #require(FileName.sanitised(name))
        #expect(cut == expected)
        #expect(FileName.sanitised(cut) == cut)
    }

    @Test("the fuzzer's first crashing input is kept to the rules")
    func fuzzerInput() throws {
        let bytes = try #require(Data(base64Encoded: "sSAgICAgICAgICCxLrHB8bH//////////////9M0NDTM////////////////////////////+yz//////////////1v///////////////9b/7Gxsf+xAfGxsbGx/7GxsS6xAfH/////////W7GxsS5MOFNlcXVlbmNlsf+xsbH/sf8="))
        let cut = try #require(FileName.sanitised(String(decoding: bytes, as: UTF8.self)))
        #expect(cut.utf8.count <= FileName.maxBytes)
        #expect(!cut.contains("..") && !cut.hasPrefix("."))
        #expect(cut.last != "." && cut.last?.isWhitespace == false)
        #expect(FileName.sanitised(cut) == cut)
    }
}
