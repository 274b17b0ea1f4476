import FuzzSupport

runLibFuzzer(fuzzPeerFrames)
