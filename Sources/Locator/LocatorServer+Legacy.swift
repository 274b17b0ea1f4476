import ChatWire
import Logging
import NIOCore

extension LocatorServer {
    /// The course protocol: one reply per request, byte for byte as the course server wrote them.
    func serveLegacy(_ channel: NIOAsyncChannel<String, ByteBuffer>) async {
        let host = channel.channel.remoteAddress?.bareIP ?? "?"
        do {
            try await channel.executeThenClose { inbound, outbound in
                do {
                    for try await request in inbound {
                        let reply = await legacyReply(to: request, from: host)
                        try await outbound.write(ByteBuffer(string: reply.rendered))
                    }
                } catch is LineTooLongError {
                    logger.notice("course-protocol request over the length limit", metadata: ["host": "\(host)"])
                    try await outbound.write(ByteBuffer(string: LegacyReply.malformed.rendered))
                }
            }
        } catch {
            logger.debug("course-protocol connection ended", metadata: ["host": "\(host)", "reason": "\(error)"])
        }
    }

    func legacyReply(to text: String, from host: String) async -> LegacyReply {
        guard let request = LegacyRequest(parsing: text) else { return .malformed }
        guard isOnRoster(request.id) else { return .incorrectNumber }
        switch request {
        case .login(let id, let password):
            // The course server had no separate answer for a wrong password: it is not a correct message.
            guard password == configuration.legacyPassword else { return .malformed }
            await registry.legacyLogin(id, host: host)
            return .loggedIn
        case .query(let id):
            return await registry.address(of: id).map { .address($0.host) } ?? .offline
        case .logout(let id):
            await registry.legacyLogout(id)
            return .loggedOut
        }
    }
}
