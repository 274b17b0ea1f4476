@preconcurrency import CALSA
import Glibc

/// One open ALSA PCM (`snd_pcm_t`), set to the call format, non-blocking: the session's 20 ms
/// clock decides when audio moves, not the device (the `file` plugin would not pace at all).
final class ALSAPCM {
    let device: String
    let direction: AudioDirection
    private let handle: OpaquePointer
    private var closed = false

    /// Opens `device` from the global ALSA configuration, or from `configuration` (alsa.conf
    /// syntax) alone when given.
    init(device: String, direction: AudioDirection, configuration: String? = nil) throws(AudioError) {
        p2p_alsa_silence_errors()
        self.device = device
        self.direction = direction
        let stream = direction == .capture ? SND_PCM_STREAM_CAPTURE : SND_PCM_STREAM_PLAYBACK
        var pcm: OpaquePointer?
        let opened: Int32
        if let configuration {
            opened = p2p_alsa_open_with_configuration(&pcm, device, stream, SND_PCM_NONBLOCK, configuration)
        } else {
            opened = snd_pcm_open(&pcm, device, stream, SND_PCM_NONBLOCK)
        }
        guard opened >= 0, let pcm else {
            throw .deviceUnavailable(device: device, direction: direction, reason: Self.message(opened))
        }
        handle = pcm
        let configured = snd_pcm_set_params(
            pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, UInt32(AudioFrame.sampleRate), 1, 60_000)
        guard configured >= 0 else {
            snd_pcm_close(pcm)
            throw .deviceUnavailable(device: device, direction: direction, reason: "48 kHz mono 16-bit: \(Self.message(configured))")
        }
        if direction == .playback { startPlaybackAfterOneFrame() }
    }

    deinit {
        close()
    }

    /// Frames read into `buffer` from `offset` to its end (0 when none are ready yet); recovers
    /// from overruns.
    func read(into buffer: inout [Int16], from offset: Int) throws(AudioError) -> Int {
        guard !closed else { throw .deviceFailed(device: device, reason: "already closed") }
        let result = buffer.withUnsafeMutableBufferPointer {
            snd_pcm_readi(handle, $0.baseAddress! + offset, snd_pcm_uframes_t($0.count - offset))
        }
        if result >= 0 { return result }
        return try recover(Int32(result))
    }

    /// Frames written from `frame` (0 when the device buffer is full); recovers from underruns.
    func write(_ frame: [Int16]) throws(AudioError) -> Int {
        guard !closed else { throw .deviceFailed(device: device, reason: "already closed") }
        let result = frame.withUnsafeBytes { snd_pcm_writei(handle, $0.baseAddress, snd_pcm_uframes_t(frame.count)) }
        if result >= 0 { return result }
        return try recover(Int32(result))
    }

    /// Plays out what is queued (playback) and closes the device; the `file` plugin completes
    /// its file here.
    func close() {
        guard !closed else { return }
        closed = true
        if direction == .playback {
            snd_pcm_nonblock(handle, 0)
            snd_pcm_drain(handle)
        }
        snd_pcm_close(handle)
    }

    private func recover(_ error: Int32) throws(AudioError) -> Int {
        if error == -EAGAIN { return 0 }
        let recovered = snd_pcm_recover(handle, error, 1)
        guard recovered >= 0 else { throw .deviceFailed(device: device, reason: Self.message(error)) }
        return 0
    }

    /// `snd_pcm_set_params` starts playback only once the whole buffer is full, which would add
    /// its length to the call's latency.
    private func startPlaybackAfterOneFrame() {
        var parameters: OpaquePointer?
        guard snd_pcm_sw_params_malloc(&parameters) >= 0, let parameters else { return }
        defer { snd_pcm_sw_params_free(parameters) }
        guard snd_pcm_sw_params_current(handle, parameters) >= 0 else { return }
        snd_pcm_sw_params_set_start_threshold(handle, parameters, snd_pcm_uframes_t(AudioFrame.samples))
        snd_pcm_sw_params(handle, parameters)
    }

    private static func message(_ code: Int32) -> String {
        guard let text = snd_strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
