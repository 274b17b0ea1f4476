#ifndef P2PCHAT_CSPEEXDSP_SHIM_H
#define P2PCHAT_CSPEEXDSP_SHIM_H
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

/*
 * The _ctl calls take their value by untyped pointer; one wrapper per request we use keeps the
 * pointer casts out of Swift.
 */

static inline int p2p_speex_echo_set_sampling_rate(SpeexEchoState *st, int rate) {
    return speex_echo_ctl(st, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
}

static inline int p2p_speex_preprocess_set_echo_state(SpeexPreprocessState *st, SpeexEchoState *echo) {
    return speex_preprocess_ctl(st, SPEEX_PREPROCESS_SET_ECHO_STATE, echo);
}

static inline int p2p_speex_preprocess_set_int(SpeexPreprocessState *st, int request, int value) {
    return speex_preprocess_ctl(st, request, &value);
}

#endif
