import FuzzSupport

runLibFuzzer(fuzzLocatorLines)
