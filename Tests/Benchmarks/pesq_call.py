#!/usr/bin/env python3
"""Speech quality of a p2pchat call: PESQ wide band (ITU-T P.862.2) through a loopback call
with no loss and with 10% loss, against Opus alone (same encoder settings) as the ceiling.

Usage:  python3 Tests/Benchmarks/pesq_call.py [--p2pchat .build/release/p2pchat]
Needs:  espeak-ng and sox (Debian), and `pip install pesq numpy scipy`.

The speech is made with espeak-ng, converted to 48 kHz mono, played by `p2pchat bench call
--input` and scored at 16 kHz after aligning by cross-correlation.
"""
import argparse
import subprocess
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
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="p2pchat-pesq-") as directory:
        directory = Path(directory)
        spoken, speech = directory / "spoken.wav", directory / "speech.wav"
        run("espeak-ng", "-w", str(spoken), SENTENCES)
        run("sox", str(spoken), "-r", "48000", "-c", "1", "-b", "16", str(speech))
        reference = wideband(speech)
        runs = [
            # A call plans FEC for the loss its peer reports: none on a clean path.
            ("Opus alone (ceiling)", ["--opus-only", "--expected-loss", "0"]),
            ("call, no loss", []),
            # Random 10% loss decoded as a perfect jitter buffer would (FEC from the next packet,
            # else concealment): the ceiling of a call with that loss.
            ("Opus alone, 10% loss", ["--opus-only", "--loss", "0.1", "--expected-loss", "10"]),
            ("call, 10% loss", ["--loss", "0.1"]),
        ]
        print(f"PESQ-WB, {len(reference) / 16000:.1f} s of espeak-ng speech, Opus 24 kbit/s 20 ms frames")
        results = {}
        for name, options in runs:
            heard = directory / "heard.wav"
            report = run(arguments.p2pchat, "bench", "call", "--input", str(speech), "--output", str(heard), *options)
            rate = next((line.split("caller → callee ")[1].split(",")[0] for line in report.splitlines() if "caller → callee" in line), "")
            results[name], delay = score(reference, wideband(heard))
            print(f"  {name:24} {results[name]:.2f}   (delay {delay:.0f} ms{', ' + rate if rate else ''})")
        print("  goals: ≥ 3.5 with no loss, ≥ 3.0 with 10% loss, each within 0.2 of Opus alone")


if __name__ == "__main__":
    sys.exit(main())
