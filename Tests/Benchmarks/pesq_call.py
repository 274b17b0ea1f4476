#!/usr/bin/env python3
"""Speech quality of a p2pchat call: PESQ wide band (ITU-T P.862.2) through a loopback call
with no loss and with 10% loss, against Opus alone (same encoder settings) as the ceiling.

Usage:  python3 Tests/Benchmarks/pesq_call.py [--p2pchat .build/release/p2pchat] [--runs 5]
Needs:  espeak-ng and sox (Debian), and `pip install pesq numpy scipy`.

The speech is made with espeak-ng, converted to 48 kHz mono, played by `p2pchat bench call
--input` and scored at 16 kHz after aligning by cross-correlation. Each line is the median of --runs runs,
with the lowest and highest in brackets; run N loses datagrams with seed N, the call and its
ceiling the same frames.
"""
import argparse
import subprocess
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np
from pesq import pesq
from scipy.io import wavfile
from scipy.signal import correlate, resample_poly

SENTENCES = (
    "The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. "
    "It is easy to tell the depth of a well. These days a chicken leg is a rare dish. "
    "Rice is often served in round bowls. The juice of lemons makes fine punch."
)


def run(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def wideband(path):
    rate, samples = wavfile.read(path)
    assert rate == 48000, f"{path}: {rate} Hz"
    return resample_poly(samples.astype(np.float64), 1, 3)


def score(reference, degraded):
    """PESQ-WB of `degraded` against `reference`, after removing the call's delay."""
    search = min(len(degraded), len(reference))
    lags = correlate(degraded[:search], reference[:search], mode="full", method="fft")
    middle = search - 1
    lag = int(np.argmax(lags[middle:middle + 16000 // 2]))  # delays of 0 to 500 ms
    aligned = degraded[lag:lag + len(reference)]
    aligned = np.pad(aligned, (0, len(reference) - len(aligned)))
    return pesq(16000, reference.astype(np.float32), aligned.astype(np.float32), "wb"), lag / 16


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--p2pchat", default=".build/release/p2pchat")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="p2pchat-pesq-") as directory:
        directory = Path(directory)
        spoken, speech = directory / "spoken.wav", directory / "speech.wav"
        run("espeak-ng", "-w", str(spoken), SENTENCES)
        run("sox", str(spoken), "-r", "48000", "-c", "1", "-b", "16", str(speech))
        reference = wideband(speech)
        runs = [
            # A call sends copies of the previous frame only while its peer reports loss: none on
            # a clean path, where Opus alone is the ceiling.
            ("Opus alone (ceiling)", ["--opus-only"]),
            ("call, no loss", []),
            # The same frames lost as in the call (the same --seed), at the bitrate a call uses
            # under loss, each packet also carried by the next datagram, decoded by a perfect
            # receiver: the ceiling of a call with that loss.
            ("Opus alone, 10% loss", ["--opus-only", "--loss", "0.1"]),
            ("call, 10% loss", ["--loss", "0.1"]),
        ]
        print(f"PESQ-WB, {len(reference) / 16000:.1f} s of espeak-ng speech, 20 ms frames, median of {arguments.runs} runs [range]")
        for name, options in runs:
            scores, delays, rates = [], [], []
            for seed in range(1, arguments.runs + 1):
                heard = directory / "heard.wav"
                report = run(arguments.p2pchat, "bench", "call", "--input", str(speech), "--output", str(heard),
                             "--seed", str(seed), *options)
                rate = next((line.split("caller → callee ")[1].split(" kbit/s")[0] for line in report.splitlines() if "caller → callee" in line), None)
                if rate is None:
                    rate = next((line.split(", ")[1].split(" kbit/s")[0] for line in report.splitlines() if "kbit/s of Opus" in line), "?")
                score_value, delay = score(reference, wideband(heard))
                scores.append(score_value)
                delays.append(delay)
                rates.append(rate)
            print(f"  {name:24} {statistics.median(scores):.2f} [{min(scores):.2f}–{max(scores):.2f}]"
                  f"   (delay {statistics.median(delays):.0f} ms, {statistics.median(float(r) for r in rates if r != '?'):.1f} kbit/s"
                  f"{' sealed UDP payload' if '--opus-only' not in options else ' of Opus'})")
        print("  goals: ≥ 3.5 with no loss, ≥ 3.0 with 10% loss, each within 0.2 of Opus alone")


if __name__ == "__main__":
    sys.exit(main())
