import ChatWire
import NIOCore
import Voice

/// The server-reflexive address of a call's UDP socket: a STUN Binding (RFC 8489) sent from the
/// socket itself to the TURN server, whose answer says where the datagram came from once it
/// passed every NAT on the way. A friend's probes aimed there open the hole ours leave behind.
enum StunBinding {
    /// The address the server saw, or nil when no valid answer came within `timeout` (a Binding
    /// needs no credentials; it is sent again after 100 and 300 ms, as datagrams get lost).
    static func reflexiveAddress(of socket: MediaSocket, server: SocketAddress, timeout: Duration = .milliseconds(700)) async -> StunAddress? {
        let request = StunMessage(type: StunMessageType(.binding, .request))
        let (answers, continuation) = AsyncStream.makeStream(of: StunAddress.self, bufferingPolicy: .bufferingNewest(1))
        socket.receive { datagram, source in
            guard source == server, let received = try? StunMessage.parse(datagram),
                  received.message.transactionID == request.transactionID,
                  received.message.type.messageClass == .successResponse,
                  let mapped = received.message.xorMappedAddress else { return }
            continuation.yield(mapped)
        }
        defer { socket.receive(nil) }
        let bytes = request.encoded(fingerprint: true)
        return await withTaskGroup(of: StunAddress?.self) { group in
            group.addTask {
                for await mapped in answers { return mapped }
                return nil
            }
            group.addTask {
                for delay in [Duration.zero, .milliseconds(100), .milliseconds(200)] {
                    try? await Task.sleep(for: delay)
                    socket.send(bytes, to: server)
                }
                try? await Task.sleep(for: timeout - .milliseconds(300))
                continuation.finish()
                return nil
            }
            defer { group.cancelAll() }
            while let next = await group.next() {
                if let next {
                    continuation.finish()
                    return next
                }
            }
            return nil
        }
    }
}
