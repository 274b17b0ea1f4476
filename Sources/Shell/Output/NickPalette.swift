import Foundation

/// The colours ids are painted in: eight hues spread round the colour wheel (as WeeChat's default nick colours
/// are), so two ids in different colours never look alike, each light enough on a dark background or dark
/// enough on a light one. An id's colour comes from a stable hash of the id: the same on every run.
struct NickPalette: Sendable {
    enum Background: Sendable {
        case dark
        case light
    }

    /// One of the terminal's 256 colours, with the red, green and blue it shows as (xterm's values).
    struct Colour: Sendable, Equatable {
        var index: Int
        var red: Int
        var green: Int
        var blue: Int

        /// The SGR attributes that select it.
        var attributes: String { "38;5;\(index)" }
    }

    let background: Background

    /// Red, orange, gold, green, cyan, blue, purple, magenta: about 45 degrees of hue apart, and in an
    /// order where hues next to each other in the list are far apart on the wheel.
    var colours: [Colour] {
        switch background {
        case .dark:
            [
                Colour(index: 203, red: 255, green: 95, blue: 95), Colour(index: 77, red: 95, green: 215, blue: 95),
                Colour(index: 141, red: 175, green: 135, blue: 255), Colour(index: 220, red: 255, green: 215, blue: 0),
                Colour(index: 44, red: 0, green: 215, blue: 215), Colour(index: 208, red: 255, green: 135, blue: 0),
                Colour(index: 39, red: 0, green: 175, blue: 255), Colour(index: 170, red: 215, green: 95, blue: 215),
            ]
        case .light:
            [
                Colour(index: 160, red: 215, green: 0, blue: 0), Colour(index: 28, red: 0, green: 135, blue: 0),
                Colour(index: 91, red: 135, green: 0, blue: 175), Colour(index: 136, red: 175, green: 135, blue: 0),
                Colour(index: 30, red: 0, green: 135, blue: 135), Colour(index: 166, red: 215, green: 95, blue: 0),
                Colour(index: 25, red: 0, green: 95, blue: 175), Colour(index: 163, red: 215, green: 0, blue: 175),
            ]
        }
    }

    /// The colour of `id`.
    func colour(of id: String) -> Colour {
        // FNV-1a: Swift's own hashing is seeded per process.
        var hash: UInt32 = 2_166_136_261
        for byte in id.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let colours = colours
        return colours[Int(hash % UInt32(colours.count))]
    }

    /// The terminal's background as `COLORFGBG` tells it (`15;0` dark, `0;15` light; rxvt, Konsole and
    /// others set it); dark when nothing says otherwise, as most terminals are.
    static func background(colorFGBG: String?) -> Background {
        guard let last = colorFGBG?.split(separator: ";").last, let index = Int(last) else { return .dark }
        return [7, 15].contains(index) ? .light : .dark
    }

    /// The palette for the terminal this process runs in.
    static let terminal = NickPalette(background: background(colorFGBG: ProcessInfo.processInfo.environment["COLORFGBG"]))
}
