import FuzzSupport

runLibFuzzer(fuzzGroupHeader)
