import ArgumentParser
import ChatEngine
import Voice

/// The calls' options of `p2pchat chat`; parsed, they are the part's settings.
struct CallOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where call audio comes from: an ALSA PCM name, or file:PATH.wav to talk from a file.", valueName: "pcm"))
    var audioIn = CallSettings().audioIn

    @Option(help: ArgumentHelp("Where call audio goes: an ALSA PCM name, or file:PATH.wav to record what would be played.", valueName: "pcm"))
    var audioOut = CallSettings().audioOut

    @Option(help: ArgumentHelp("For testing only: drop this share (0 to 1) of the call datagrams sent.", valueName: "share"))
    var impairLoss: Double?

    @Option(help: ArgumentHelp("For testing only: send every call datagram this many milliseconds late.", valueName: "ms"))
    var impairDelay: Int?

    func validate() throws {
        for spec in [audioIn, audioOut] {
            do {
                _ = try AudioEndpoint(spec: spec)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        if let impairLoss, !(0...1).contains(impairLoss) { throw ValidationError("--impair-loss is a share from 0 to 1") }
        if let impairDelay, !(0...10_000).contains(impairDelay) { throw ValidationError("--impair-delay is 0 to 10000 ms") }
    }

    var settings: CallSettings {
        var settings = CallSettings()
        settings.audioIn = audioIn
        settings.audioOut = audioOut
        if impairLoss != nil || impairDelay != nil {
            settings.impairment = CallImpairment(loss: impairLoss ?? 0, delay: .milliseconds(impairDelay ?? 0))
        }
        return settings
    }
}
