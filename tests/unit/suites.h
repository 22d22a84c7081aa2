/* tests/unit/suites.h: every Check suite, one line each (X-macro). Keep sorted. */
DTEST_SUITE(engine)
DTEST_SUITE(hash)
DTEST_SUITE(inputs)
DTEST_SUITE(report)
DTEST_SUITE(rules)
DTEST_SUITE(secret)
DTEST_SUITE(util)
