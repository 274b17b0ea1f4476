@testable import ChatWire
import FuzzSupport

/// A request limit small enough that the fuzzer meets it often.
let maxLength = 16

/// The replies a course server may give, for each kind of request.
let requests: [LegacyRequest] = [.login(id: "2017011000", password: "x"), .query(id: "2017011000"), .logout(id: "2017011000")]

/// The course protocol on any bytes, as both the locator and the course client read it: the chunk
/// decoder never crashes, passes on no request over the limit and holds nothing back (each read
/// becomes requests at once); every request, and the input taken as one, parses as a request and
/// as a reply to each kind of request without crashing, and what parses renders and parses back.
func fuzzCourseLines(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let pieces = input.pieces
    let decoder = LegacyChunkDecoder(maxLength: maxLength)
    let decoded = DecodedStream(pieces: pieces) { try decoder.nextRequest(from: &$0) }
    if !decoded.failed {
        let delivered = pieces.reduce(0) { $0 + $1.count }
        require(decoded.messages.isEmpty == (delivered == 0), "a read was held back")
        require(decoded.messages.map(\.unicodeScalars.count).reduce(0, +) <= delivered, "requests from nowhere")
    }
    for text in decoded.messages + [input.text] {
        // Each byte decodes to at most one scalar (invalid UTF-8 becomes one U+FFFD per bad sequence).
        require(text == input.text || text.unicodeScalars.count <= maxLength + 2, "a request over the limit")
        check(text)
    }
    return 0
}

func check(_ text: String) {
    if let request = LegacyRequest(parsing: text) {
        require(LegacyRequest(parsing: request.rendered) == request, "a request does not render back")
        require(UserName.isLegacyID(request.id), "a request with a malformed id was accepted")
    }
    for request in requests {
        guard let reply = LegacyReply(parsing: text, answering: request) else { continue }
        require(LegacyReply(parsing: reply.rendered, answering: request) == reply, "a reply does not render back")
        if case .address(let address) = reply {
            require(IPv4Text.isValid(address), "a malformed address was accepted")
        }
    }
}
