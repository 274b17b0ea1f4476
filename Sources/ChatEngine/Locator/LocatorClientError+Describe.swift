import Foundation
import NIOCore
import NIOPosix
import NIOSSL

extension LocatorClientError {
    /// Error text for people: the locator closing the connection reads as such, not as a TLS error.
    static func describe(_ error: any Swift.Error) -> String {
        switch error {
        case LocatorClientError.protocolViolation(let what):
            return "protocol error: \(what)"
        case let error as LocatorClientError:
            return error.description
        case let error as NIOSSLError where error == .uncleanShutdown:
            return "the locator closed the connection"
        case ChannelError.eof, ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed:
            return "the connection closed"
        case let error as NIOConnectionError:
            return error.connectionErrors.first.map { describe($0.error) } ?? "cannot connect"
        case let error as IOError:
            // "connection refused", not NIO's "connection reset (error set): Connection refused (errno: 111)".
            return String(cString: strerror(error.errnoCode)).lowercased()
        case is CancellationError:
            return "cancelled"
        default:
            return String(describing: error)
        }
    }

    /// A bounded, printable piece of what the locator sent, for messages and logs.
    static func excerpt(_ text: String) -> String {
        String(text.unicodeScalars.prefix(80).map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    }
}
