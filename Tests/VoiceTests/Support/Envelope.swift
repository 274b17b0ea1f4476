import Voice

/// The loudness of audio over 10 ms windows: what "the speech lines up" and "no gap" are
/// judged on, since Opus keeps what is heard, not the waveform.
struct Envelope {
    static let window = AudioFrame.sampleRate / 100

    let levels: [Double]

    init(_ samples: [Int16]) {
        levels = stride(from: 0, to: samples.count - Self.window + 1, by: Self.window).map { start in
            let power = samples[start..<start + Self.window].reduce(0.0) { $0 + Double($1) * Double($1) }
            return (power / Double(Self.window)).squareRoot()
        }
    }

    var peak: Double { levels.max() ?? 0 }

    /// The delay (in windows, 0...maximumLag) of `other` behind `self` that correlates best,
    /// and that correlation.
    func alignment(of other: Envelope, maximumLag: Int = 40) -> (lag: Int, correlation: Double) {
        (0...maximumLag).map { lag in (lag, correlation(with: other, lag: lag)) }.max { $0.1 < $1.1 } ?? (0, 0)
    }

    /// Pearson correlation of `self[i]` with `other[i + lag]` where both exist.
    func correlation(with other: Envelope, lag: Int) -> Double {
        let count = min(levels.count, other.levels.count - lag)
        guard count > 1 else { return 0 }
        let a = levels[0..<count], b = other.levels[lag..<lag + count]
        let meanA = a.reduce(0, +) / Double(count), meanB = b.reduce(0, +) / Double(count)
        var covariance = 0.0, varianceA = 0.0, varianceB = 0.0
        for (x, y) in zip(a, b) {
            covariance += (x - meanA) * (y - meanB)
            varianceA += (x - meanA) * (x - meanA)
            varianceB += (y - meanB) * (y - meanB)
        }
        guard varianceA > 0, varianceB > 0 else { return 0 }
        return covariance / (varianceA * varianceB).squareRoot()
    }

    /// The longest stretch, in windows, where `self` speaks (above a tenth of its peak) and
    /// `other`, delayed by `lag`, is nearly silent (below a hundredth of its peak).
    func longestGap(in other: Envelope, lag: Int) -> Int {
        let speaking = peak / 10, silent = other.peak / 100
        var longest = 0, run = 0
        for index in levels.indices where index + lag < other.levels.count {
            if levels[index] > speaking && other.levels[index + lag] < silent {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        return longest
    }
}
