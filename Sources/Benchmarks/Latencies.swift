import Foundation

/// The timings a benchmark collected, sorted once for its percentiles.
struct Latencies {
    private let sorted: [Duration]

    init(_ samples: [Duration]) {
        sorted = samples.sorted()
    }

    var count: Int { sorted.count }

    func percentile(_ fraction: Double) -> Duration {
        guard !sorted.isEmpty else { return .zero }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}

extension Duration {
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    var formattedMicroseconds: String {
        String(format: "%.0f µs", inSeconds * 1e6)
    }
}
