/*
 * tap.h - a minimal TAP producer for the C unit tests (read by `prove`).
 *
 *   plan_no_plan();            or plan(N);
 *   ok(cond, "name %d", x);
 *   is_int(got, want, "name");  is_str(got, want, "name");
 *   is_mem(got, gotlen, want, wantlen, "name");
 *   diag("text");
 *   return done_testing();     exit status 0 only if every test passed
 */
#ifndef MH_TAP_H
#define MH_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_run_ = 0, tap_failed_ = 0, tap_planned_ = -1;

static inline void plan(int n) { tap_planned_ = n; printf("1..%d\n", n); fflush(stdout); }
static inline void plan_no_plan(void) { tap_planned_ = -1; }

static inline void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("# ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    fflush(stdout);
}

static inline int tap_ok_(int cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline int tap_ok_(int cond, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    tap_run_++;
    if (!cond) {
        tap_failed_++;
        fputs("not ", stdout);
    }
    printf("ok %d - ", tap_run_);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    if (!cond)
        printf("#   Failed at %s line %d\n", file, line);
    fflush(stdout);
    return cond;
}

#define ok(cond, ...) tap_ok_(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...)                                                         \
    do {                                                                               \
        long long g_ = (long long)(got), w_ = (long long)(want);                       \
        if (!tap_ok_(g_ == w_, __FILE__, __LINE__, __VA_ARGS__))                       \
            printf("#   got: %lld (0x%llx)\n#   expected: %lld (0x%llx)\n", g_,       \
                   (unsigned long long)g_, w_, (unsigned long long)w_);                \
    } while (0)

#define is_str(got, want, ...)                                                         \
    do {                                                                               \
        const char *g_ = (got), *w_ = (want);                                          \
        int c_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;                          \
        if (!tap_ok_(c_, __FILE__, __LINE__, __VA_ARGS__))                             \
            printf("#   got: '%s'\n#   expected: '%s'\n", g_ ? g_ : "(null)",          \
                   w_ ? w_ : "(null)");                                                \
    } while (0)

#define is_mem(got, glen, want, wlen, ...)                                             \
    do {                                                                               \
        size_t gl_ = (size_t)(glen), wl_ = (size_t)(wlen);                             \
        int c_ = gl_ == wl_ && (gl_ == 0 || memcmp((got), (want), gl_) == 0);          \
        if (!tap_ok_(c_, __FILE__, __LINE__, __VA_ARGS__))                             \
            printf("#   lengths: got %zu, expected %zu\n", gl_, wl_);                  \
    } while (0)

static inline int done_testing(void)
{
    if (tap_planned_ < 0)
        printf("1..%d\n", tap_run_);
    else if (tap_planned_ != tap_run_)
        printf("# planned %d tests but ran %d\n", tap_planned_, tap_run_);
    fflush(stdout);
    return (tap_failed_ == 0 && (tap_planned_ < 0 || tap_planned_ == tap_run_)) ? 0 : 1;
}

#endif /* MH_TAP_H */
