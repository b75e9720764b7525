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

#ifndef RDMA_TEST_H
#define RDMA_TEST_H 1

/* The unit-test runner for the C unit tests of lib/, datapath/ and
 * ofproto-rdma/ code (tests/test-*.c).
 *
 * "rdma-test NAME [ARGS...]" runs the test NAME, which every test file
 * registers with RDMA_TEST_REGISTER.  A test reports each failed check on
 * stderr with its file and line and makes rdma-test exit with status 1;
 * the autotest suite runs one rdma-test command per test. */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* A unit test. */
struct rdma_test {
    const char *name;               /* Name on the command line. */
    const char *help;               /* One-line description. */
    void (*run)(int argc, char *argv[]); /* Runs the test. */
};

void rdma_test_register(const struct rdma_test *);
void rdma_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Defines a constructor that registers test NAME, implemented by
 * FUNCTION, with description HELP. */
#define RDMA_TEST_REGISTER(NAME, HELP, FUNCTION)                        \
    static void rdma_test_register_##FUNCTION(void)                     \
        __attribute__((constructor));                                   \
    static void                                                         \
    rdma_test_register_##FUNCTION(void)                                 \
    {                                                                   \
        static const struct rdma_test t = { NAME, HELP, FUNCTION };     \
        rdma_test_register(&t);                                         \
    }

/* Checks that integers A and B are equal. */
#define CHECK_INT(A, B)                                                 \
    do {                                                                \
        long long a_ = (A), b_ = (B);                                   \
        if (a_ != b_) {                                                 \
            rdma_test_fail(__FILE__, __LINE__, "%s == %lld, expected "  \
                           "%s == %lld", #A, a_, #B, b_);               \
        }                                                               \
    } while (0)

/* Checks that condition C holds. */
#define CHECK(C)                                                        \
    do {                                                                \
        if (!(C)) {                                                     \
            rdma_test_fail(__FILE__, __LINE__, "%s is false", #C);      \
        }                                                               \
    } while (0)

/* Checks that strings A and B are equal. */
#define CHECK_STR(A, B)                                                 \
    do {                                                                \
        const char *a_ = (A), *b_ = (B);                                \
        if (strcmp(a_, b_)) {                                           \
            rdma_test_fail(__FILE__, __LINE__, "%s is \"%s\", expected " \
                           "\"%s\"", #A, a_, b_);                       \
        }                                                               \
    } while (0)

#endif /* rdma-test.h */
