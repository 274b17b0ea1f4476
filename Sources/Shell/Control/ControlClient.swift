import ChatWire
import Glibc
import NIOCore
import NIOPosix

/// The other end of ``ControlSocket``: hands the running shell one command line and collects its
/// answer.
public enum ControlClient {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Nothing answers at the path: no shell runs for that user (a file there is a crashed one's).
        case noShell(path: String)
        case refused(path: String, reason: String)
        /// The shell closed the connection without its `exit` line (it quit meanwhile).
        case cutShort

        public var description: String {
            switch self {
            case .noShell(let path): "no p2pchat shell answers at \(path)"
            case .refused(let path, let reason): "cannot use \(path): \(reason)"
            case .cutShort: "the shell went away before it answered"
            }
        }
    }

    public static func run(_ line: String, at path: String) async throws -> ControlReply {
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineFrameDecoder(maxLength: ControlSocket.maximumLineLength)))
                        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(LineEncoder()))
                    }
                }
                .connect(unixDomainSocketPath: path).get()
        } catch let error as IOError where error.errnoCode == EACCES || error.errnoCode == EPERM {
            throw Failure.refused(path: path, reason: "permission denied (it is another user's)")
        } catch {
            throw Failure.noShell(path: path)
        }
        let connection = try await channel.eventLoop.submit {
            try NIOAsyncChannel<String, String>(wrappingChannelSynchronously: channel)
        }.get()
        return try await connection.executeThenClose { lines, writer in
            try await writer.write(line)
            var reply = ControlReply(lines: [], status: 1)
            for try await answer in lines {
                if answer.hasPrefix("exit "), let status = Int32(answer.dropFirst(5)) {
                    reply.status = status
                    return reply
                }
                reply.lines.append(answer)
            }
            throw Failure.cutShort
        }
    }
}
