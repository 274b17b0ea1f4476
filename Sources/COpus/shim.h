#ifndef P2PCHAT_COPUS_SHIM_H
#define P2PCHAT_COPUS_SHIM_H
#include <opus/opus.h>

/*
 * opus_encoder_ctl and opus_decoder_ctl are variadic and their requests are
 * macros, so Swift can call neither: one wrapper per request we use.
 */

static inline int p2p_opus_set_bitrate(OpusEncoder *e, opus_int32 bitsPerSecond) {
    return opus_encoder_ctl(e, OPUS_SET_BITRATE(bitsPerSecond));
}

static inline int p2p_opus_set_inband_fec(OpusEncoder *e, opus_int32 on) {
    return opus_encoder_ctl(e, OPUS_SET_INBAND_FEC(on));
}

/* The loss the encoder plans for: with 0 it spends nothing on in-band FEC. */
static inline int p2p_opus_set_packet_loss_perc(OpusEncoder *e, opus_int32 percent) {
    return opus_encoder_ctl(e, OPUS_SET_PACKET_LOSS_PERC(percent));
}

static inline int p2p_opus_set_signal_voice(OpusEncoder *e) {
    return opus_encoder_ctl(e, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
}

/* Wide band (8 kHz of audio) at most: the bits go to where speech is. */
static inline int p2p_opus_set_max_bandwidth_wide(OpusEncoder *e) {
    return opus_encoder_ctl(e, OPUS_SET_MAX_BANDWIDTH(OPUS_BANDWIDTH_WIDEBAND));
}

static inline int p2p_opus_set_complexity(OpusEncoder *e, opus_int32 complexity) {
    return opus_encoder_ctl(e, OPUS_SET_COMPLEXITY(complexity));
}

static inline int p2p_opus_lookahead(OpusEncoder *e) {
    opus_int32 samples = 0;
    if (opus_encoder_ctl(e, OPUS_GET_LOOKAHEAD(&samples)) != OPUS_OK) return -1;
    return samples;
}

static inline int p2p_opus_bitrate(OpusEncoder *e) {
    opus_int32 bitsPerSecond = 0;
    if (opus_encoder_ctl(e, OPUS_GET_BITRATE(&bitsPerSecond)) != OPUS_OK) return -1;
    return bitsPerSecond;
}

#endif
