import FuzzSupport

runLibFuzzer(fuzzPunch)
