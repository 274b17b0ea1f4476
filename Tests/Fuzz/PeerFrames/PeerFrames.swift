@testable import ChatWire
import FuzzSupport
import NIOCore

/// A frame limit small enough that the fuzzer meets it often; the decoder's logic does not depend on its size.
let maxFrameLength = 64

/// The peer frame decoder on any bytes: it never crashes, finds the same frames and stops the same
/// way whether the bytes come at once or in pieces, never hands on a frame over the limit, and
/// `nextFrame` (which takes whole frames only) agrees. A chunk's stream id and bytes make the same
/// payload again.
func fuzzPeerFrames(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let whole = input.decodedAlike(decodeFrames)

    var buffer = ByteBuffer(bytes: input.body)
    var frames: [PeerFrame] = []
    while let frame = try? PeerFrameDecoder.nextFrame(from: &buffer, maxFrameLength: maxFrameLength) {
        frames.append(frame)
    }
    require(frames == whole.messages, "nextFrame disagrees")

    for frame in frames {
        require(frame.payload.readableBytes < maxFrameLength, "a frame over the limit")
        if case .chunk(let payload) = frame, let chunk = StreamChunk(payload: payload) {
            require(chunk.payload == payload, "a chunk does not make its payload again")
        }
    }
    return 0
}

func decodeFrames(_ pieces: [[UInt8]]) -> DecodedStream<PeerFrame> {
    var decoder = PeerFrameDecoder(maxFrameLength: maxFrameLength)
    return DecodedStream(pieces: pieces) { try decoder.next(from: &$0) }
}
