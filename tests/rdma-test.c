/*
 * Copyright (c) 2026 The ovs-rdma authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#include <config.h>
#include "rdma-test.h"

#include <stdarg.h>
#include <string.h>

#include "util.h"

/* Registered tests. */
static const struct rdma_test *tests[64];
static size_t n_tests;

/* Number of failed checks so far. */
static unsigned int n_failures;

/* Adds 't' to the tests "rdma-test" can run. */
void
rdma_test_register(const struct rdma_test *t)
{
    ovs_assert(n_tests < ARRAY_SIZE(tests));
    tests[n_tests++] = t;
}

/* Reports a failed check at 'file':'line', described by 'fmt'. */
void
rdma_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "%s:%d: check failed: ", file, line);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    putc('\n', stderr);
    n_failures++;
}

/* Prints the registered tests. */
static void
rdma_test_usage(void)
{
    size_t i;

    printf("%s: unit tests for ovs-rdma\n"
           "usage: %s TEST [ARG...]\n\navailable tests:\n",
           program_name, program_name);
    for (i = 0; i < n_tests; i++) {
        printf("  %-20s %s\n", tests[i]->name, tests[i]->help);
    }
}

/* Runs the test named on the command line.  Exits with status 0 if all its
 * checks passed, 1 if any failed, 2 on a usage error. */
int
main(int argc, char *argv[])
{
    size_t i;

    set_program_name(argv[0]);
    if (argc < 2 || !strcmp(argv[1], "--help")) {
        rdma_test_usage();
        return argc < 2 ? 2 : 0;
    }
    for (i = 0; i < n_tests; i++) {
        if (!strcmp(tests[i]->name, argv[1])) {
            tests[i]->run(argc - 1, argv + 1);
            if (n_failures) {
                fprintf(stderr, "%s: %u check%s failed\n", argv[1],
                        n_failures, n_failures == 1 ? "" : "s");
                return 1;
            }
            return 0;
        }
    }
    fprintf(stderr, "%s: unknown test \"%s\" (run \"%s --help\" for a list)\n",
            program_name, argv[1], program_name);
    return 2;
}
