/// Where a call's audio comes from and goes to, and how long it rings and hangs up.
public struct CallSettings: PartSettings {
    /// Where a call's audio comes from and goes to: an ALSA PCM name or `file:PATH.wav`.
    public var audioIn = "default"
    public var audioOut = "default"
    /// ALSA configuration text (alsa.conf syntax) to look ALSA names up in instead of the
    /// system's: PCMs made of plugins, as tests define them.
    public var alsaConfiguration: String?
    /// Whether a call plays the peer's audio back to it instead of using `audioIn`/`audioOut`
    /// (the echo peer).
    public var echoesCallAudio = false
    /// How long a call rings before it ends as `no answer`.
    public var ringTimeout: Duration = .seconds(30)
    /// How long hanging up waits for the peer's `End` before ending the call anyway.
    public var hangUpTimeout: Duration = .seconds(3)
    /// Whether calls clean the microphone of the peer's echo (and of steady noise). Only ALSA
    /// capture is cleaned: a `file:` source has no room to echo in. `/set aec` changes it.
    public var echoCancellation = true
    /// For testing only: loss and delay applied to the call media this side sends.
    public var impairment: CallImpairment?

    public init() {}
}
