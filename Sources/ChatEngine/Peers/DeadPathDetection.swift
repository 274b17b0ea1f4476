import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// TCP keep-alive on the connections to friends and to the TURN relay. A NAT forgets the mapping
/// of a connection that stays idle (home routers after minutes, some after seconds), and from
/// then on neither side hears the other while TCP, sending nothing, notices nothing. Probes after
/// `idle` of silence hold the mapping; when `count` probes go unanswered, or data sent stays
/// unacknowledged for `userTimeout`, the kernel fails the connection, and it is dialed anew
/// (through the relay where need be) instead of swallowing messages for a quarter of an hour.
enum DeadPathDetection {
    static let idle = 4
    static let interval = 2
    static let count = 2
    /// Milliseconds, as `TCP_USER_TIMEOUT` takes them: as long as the probes take to give up.
    static let userTimeout = (idle + interval * count) * 1_000

    /// Each option and its value.
    static let options: [(ChannelOptions.Types.SocketOption, SocketOptionValue)] = [
        (.socketOption(.so_keepalive), 1),
        (.tcpOption(NIOBSDSocket.Option(rawValue: TCP_KEEPIDLE)), idle),
        (.tcpOption(NIOBSDSocket.Option(rawValue: TCP_KEEPINTVL)), interval),
        (.tcpOption(NIOBSDSocket.Option(rawValue: TCP_KEEPCNT)), count),
        (.tcpOption(NIOBSDSocket.Option(rawValue: TCP_USER_TIMEOUT)), userTimeout),
    ]
}

extension ClientBootstrap {
    /// The connection fails within seconds once the path to the other side is gone.
    func detectingDeadPaths() -> ClientBootstrap {
        DeadPathDetection.options.reduce(self) { $0.channelOption($1.0, value: $1.1) }
    }
}

extension ServerBootstrap {
    /// Every accepted connection fails within seconds once the path to the other side is gone.
    func childrenDetectingDeadPaths() -> ServerBootstrap {
        DeadPathDetection.options.reduce(self) { $0.childChannelOption($1.0, value: $1.1) }
    }
}
