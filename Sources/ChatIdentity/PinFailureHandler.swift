import NIOCore
import NIOSSL

/// Sits right after the TLS handler and turns the generic "certificate verify failed" of a
/// refused pin into the `PinMismatchError` that says what was expected and what was presented.
/// NIOSSL's verification callback can only answer pass or fail, so the reason travels here
/// through the shared `PinVerifier`.
final class PinFailureHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let verifier: PinVerifier

    init(verifier: PinVerifier) {
        self.verifier = verifier
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let failure = self.verifier.failure, error is NIOSSLError {
            context.fireErrorCaught(failure)
        } else {
            context.fireErrorCaught(error)
        }
    }
}
