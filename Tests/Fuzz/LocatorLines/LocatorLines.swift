@testable import ChatWire
import FuzzSupport

/// A line limit small enough that the fuzzer meets it often.
let maxLineLength = 64

/// The modern locator protocol on any bytes, as both server and client read it: the line decoder
/// never crashes, finds the same lines and stops the same way however the bytes are split, and
/// passes on no line over the limit; every line, and the input taken as one line, parses as a
/// request and as a reply without crashing, and what parses renders and parses back to itself.
func fuzzLocatorLines(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let whole = input.decodedAlike(decodeLines)
    for line in whole.messages + [input.text] {
        // Invalid UTF-8 is repaired with one replacement character per bad byte at most.
        require(line == input.text || line.unicodeScalars.count <= maxLineLength, "a line over the limit")
        check(line)
    }
    return 0
}

func check(_ line: String) {
    if let parsed = LocatorLine(parsing: line) {
        require(LocatorLine(parsing: parsed.rendered) == parsed, "a locator line does not render back")
    }
    if case .success(let request) = LocatorRequest.parse(line) {
        require((try? LocatorRequest.parse(request.rendered).get()) == request, "a request does not render back")
    }
    if let reply = LocatorReply(parsing: line) {
        require(LocatorReply(parsing: reply.rendered) == reply, "a reply does not render back")
    }
}

func decodeLines(_ pieces: [[UInt8]]) -> DecodedStream<String> {
    var decoder = LineFrameDecoder(maxLength: maxLineLength)
    return DecodedStream(pieces: pieces) { try decoder.nextLine(from: &$0) }
}
