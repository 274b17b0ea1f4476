import Glibc

/// User plus system CPU time of this process since it was made, in seconds.
struct CPUUsage {
    private let start = Self.now()

    func elapsed() -> Double { Self.now() - start }

    private static func now() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
