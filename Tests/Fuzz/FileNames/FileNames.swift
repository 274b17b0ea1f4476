import ChatWire
import FuzzSupport

/// File names from peers on any text: sanitising never crashes, and a name it keeps obeys every
/// rule it promises (one harmless path component of at most `maxBytes`, no hidden file, nothing
/// invisible), and is left as it is when sanitised again.

func fuzzFileNames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let name = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let safe = FileName.sanitised(name) else { return 0 }
    require(!safe.isEmpty && safe.utf8.count <= FileName.maxBytes, "a name of \(safe.utf8.count) bytes")
    require(!safe.contains("/") && !safe.contains("\\"), "a path separator survived")
    require(!safe.contains(".."), "'..' survived")
    require(safe.first != "." && !safe.first!.isWhitespace, "a leading dot or space survived")
    require(safe.last != "." && !safe.last!.isWhitespace, "a trailing dot or space survived")
    require(
        !safe.unicodeScalars.contains { [.control, .format, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory) },
        "an invisible character survived")
    require(FileName.sanitised(safe) == safe, "sanitising twice changes the name")
    return 0
}
