import FuzzSupport

runLibFuzzer(fuzzFileNames)
