#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit, which bounds how many connections the locator can hold.
public enum FileDescriptorLimit {
    /// Raises the soft limit to the hard one and returns the soft limit now in force.
    @discardableResult
    public static func raiseToHard() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// The connection cap that leaves room below `limit` for the database, the TLS identity, logs
    /// and the event loops: 90% of the limit, and at least 64 descriptors spare.
    public static func defaultConnectionCap(for limit: Int) -> Int {
        max(8, min(limit - limit / 10, limit - 64))
    }
}
