import NIOCore
import NIOPosix

/// A ten-digit course id whose last five digits are a TCP port free on 127.0.0.1 right now: in
/// the course protocol a user's peer port is the last five digits of the id.
public func freeCourseID() async throws -> String {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    try await channel.close()
    guard (10000...65535).contains(port) else { throw CourseIDError(port: port) }
    return "20170" + String(port)
}

struct CourseIDError: Error, CustomStringConvertible {
    var port: Int
    var description: String { "the system picked port \(port), which is not five digits" }
}
