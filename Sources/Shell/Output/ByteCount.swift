import Foundation

/// Sizes and speeds as people read them: `0 B`, `512 B`, `1.5 kB`, `12.3 MB`, `1.07 GB` (powers of 1000).
enum ByteCount {
    static func text(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        return String(format: value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }

    /// `12.3 MB/s`.
    static func rate(_ bytesPerSecond: Double) -> String {
        String(format: "%.1f MB/s", bytesPerSecond / 1_000_000)
    }

    /// Whole percent of `bytes` in `size` (100 for an empty file).
    static func percent(_ bytes: Int64, of size: Int64) -> Int {
        size > 0 ? Int(min(bytes, size) * 100 / size) : 100
    }

    /// `m:ss` (or `h:mm:ss`) left at `bytesPerSecond`; `?` when it cannot be known.
    static func eta(remaining: Int64, bytesPerSecond: Double) -> String {
        guard bytesPerSecond > 0, remaining >= 0 else { return "?" }
        let seconds = Int((Double(remaining) / bytesPerSecond).rounded(.up))
        guard seconds < 100 * 3600 else { return "?" }
        let (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, rest) : String(format: "%d:%02d", minutes, rest)
    }
}
