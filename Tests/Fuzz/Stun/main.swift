import FuzzSupport

runLibFuzzer(fuzzStun)
