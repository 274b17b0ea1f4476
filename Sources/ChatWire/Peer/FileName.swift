import Foundation

/// File names that come from peers, made safe to create in a downloads directory.
public enum FileName {
    /// The most bytes of UTF-8 a name keeps (the usual file-system limit), with room for ` (99).part`.
    public static let maxBytes = 240

    /// `name` as a single harmless path component, or nil when nothing usable is left.
    ///
    /// Path separators become `_`, so a name can never climb out of the directory it is put in;
    /// control and invisible formatting characters (which could hide a different name on screen,
    /// such as a right-to-left override) are dropped; `..` anywhere becomes `_`; leading dots and
    /// spaces go (no hidden files), as do trailing dots and spaces. Other Unicode survives as it is.
    /// Over `maxBytes`, the stem is shortened and the extension kept.
    public static func sanitised(_ name: String) -> String? {
        guard name.utf8.count <= 4096 else { return nil }
        var scalars = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                continue
            default:
                scalars.append(scalar == "/" || scalar == "\\" ? "_" : scalar)
            }
        }
        var text = String(String(scalars).drop(while: isTrimmed))
        while text.contains("..") { text = text.replacingOccurrences(of: "..", with: "_") }
        trimEnd(&text)
        guard !text.isEmpty else { return nil }
        return shortened(text)
    }

    /// Dots and spaces, which may not start or end a name.
    private static func isTrimmed(_ character: Character) -> Bool {
        character == "." || character.isWhitespace
    }

    private static func trimEnd(_ text: inout String) {
        while let last = text.last, isTrimmed(last) { text.removeLast() }
    }

    /// `text`, which starts and ends well and has no `..`, cut to `maxBytes`.
    ///
    /// The stem is cut a Unicode scalar at a time: one character (a letter with hundreds of
    /// combining marks) can be longer than the limit, and removing it whole could leave nothing
    /// but the extension, a hidden file. The cut stem's trailing dots and spaces go too, or they
    /// would end the name or make `..` with the extension's dot.
    private static func shortened(_ text: String) -> String {
        guard text.utf8.count > maxBytes else { return text }
        let dot = text.lastIndex(of: ".")
        var stem = dot.map { String(text[..<$0]) } ?? text
        var suffix = dot.map { String(text[$0...]) } ?? ""
        if suffix.utf8.count > 16 {
            stem = text
            suffix = ""
        }
        while stem.utf8.count + suffix.utf8.count > maxBytes { stem.unicodeScalars.removeLast() }
        trimEnd(&stem)
        return stem + suffix
    }
}
