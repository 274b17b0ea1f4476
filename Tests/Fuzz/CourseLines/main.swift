import FuzzSupport

runLibFuzzer(fuzzCourseLines)
