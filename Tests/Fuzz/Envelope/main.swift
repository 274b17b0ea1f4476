import FuzzSupport

runLibFuzzer(fuzzEnvelope)
