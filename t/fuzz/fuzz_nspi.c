/*
 * fuzz_nspi.c - fuzz target for the NSPI body decoders (mapi_nspi.h).
 * Input: byte 0 = request type (mod 19), byte 1 bit 0 = 0 request / 1
 * response, then the body. Whatever decodes must encode again, and the
 * re-encoded body must decode to the same bytes (encode is a fixed point).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapi_nspi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_fixed_point(int is_rsp, nspi_req_type_t t, const uint8_t *b, size_t n)
{
    nspi_arena_t a;
    nspi_request_t q;
    nspi_response_t s;
    mapi_wr_t wr;
    int rc;

    nspi_arena_init(&a, 1u << 24);
    rc = is_rsp ? nspi_response_decode(t, b, n, &s, &a) : nspi_request_decode(t, b, n, &q, &a);
    if (rc != NSPI_OK)
        abort();        /* our own encoding must decode */
    mapi_wr_init(&wr, 0);
    rc = is_rsp ? nspi_response_encode(&s, &wr) : nspi_request_encode(&q, &wr);
    if (rc != NSPI_OK || wr.len != n || memcmp(wr.p, b, n) != 0)
        abort();        /* and encode back to the same bytes */
    mapi_wr_free(&wr);
    nspi_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nspi_arena_t a;
    nspi_request_t q;
    nspi_response_t s;
    nspi_req_type_t t;
    mapi_wr_t wr;
    int is_rsp, rc;

    if (size < 2)
        return 0;
    t = (nspi_req_type_t)(data[0] % NSPI_REQ_COUNT);
    is_rsp = data[1] & 1;
    data += 2;
    size -= 2;

    nspi_arena_init(&a, 1u << 24);
    rc = is_rsp ? nspi_response_decode(t, data, size, &s, &a)
                : nspi_request_decode(t, data, size, &q, &a);
    if (rc == NSPI_OK) {
        mapi_wr_init(&wr, 0);
        rc = is_rsp ? nspi_response_encode(&s, &wr) : nspi_request_encode(&q, &wr);
        /* A decoded response may carry an ErrorCode NSPI may not send;
         * everything else that decodes must encode. */
        if (rc != NSPI_OK && !(is_rsp && rc == NSPI_E_ENCODE && !nspi_error_permitted(s.error_code)))
            abort();
        if (rc == NSPI_OK)
            check_fixed_point(is_rsp, t, wr.p, wr.len);
        mapi_wr_free(&wr);
    }
    nspi_arena_free(&a);
    return 0;
}
