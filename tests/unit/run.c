/* tests/unit/run.c: runs every Check suite (CK_RUN_SUITE=name narrows it). */
#include <stdlib.h>

#include <check.h>

#define DTEST_SUITE(name) Suite *name##_suite(void);
#include "tests/unit/suites.h"
#undef DTEST_SUITE

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(NULL);
#define DTEST_SUITE(name) srunner_add_suite(sr, name##_suite());
#include "tests/unit/suites.h"
#undef DTEST_SUITE
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
