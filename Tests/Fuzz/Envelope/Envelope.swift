import ChatWire
import FuzzSupport
import NIOCore

/// Envelope decoding on any bytes: it never crashes, and an envelope it accepts is valid, and
/// encodes and decodes back to itself.
func fuzzEnvelope(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    guard let envelope = try? Envelope.decode(from: payload) else { return 0 }
    checkRoundTrip(envelope)
    return 0
}
