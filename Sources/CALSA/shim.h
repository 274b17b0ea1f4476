#ifndef P2PCHAT_CALSA_SHIM_H
#define P2PCHAT_CALSA_SHIM_H
#include <alsa/asoundlib.h>

/*
 * alsa-lib prints its own diagnostics to stderr ("ALSA lib confmisc.c:855:
 * cannot find card '0'" and more) before a failing call returns. The program
 * reports one line of its own instead, so the handler swallows them; its type
 * is variadic, which Swift cannot implement.
 */
static void p2p_alsa_quiet_handler(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static inline void p2p_alsa_silence_errors(void) {
    snd_lib_error_set_handler(p2p_alsa_quiet_handler);
}

/*
 * Opens a PCM defined in `configuration` (alsa.conf syntax) instead of the
 * global configuration: tests define `file`/`null` plugin devices this way,
 * without touching the user's ~/.asoundrc or the process environment.
 */
static inline int p2p_alsa_open_with_configuration(snd_pcm_t **pcm, const char *name, snd_pcm_stream_t stream,
                                                   int mode, const char *configuration) {
    snd_config_t *top = NULL;
    snd_input_t *input = NULL;
    int err = snd_config_top(&top);
    if (err < 0) return err;
    err = snd_input_buffer_open(&input, configuration, -1);
    if (err < 0) { snd_config_delete(top); return err; }
    err = snd_config_load(top, input);
    snd_input_close(input);
    if (err < 0) { snd_config_delete(top); return err; }
    err = snd_pcm_open_lconf(pcm, name, stream, mode, top);
    snd_config_delete(top);
    return err;
}

#endif
