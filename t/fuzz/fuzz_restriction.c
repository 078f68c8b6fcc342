/*
 * fuzz_restriction.c - restrictions ([MS-OXCDATA] 2.12) and property values
 * (2.11): byte 0 picks the width (bit 0: wide counts) and what to decode
 * (bit 1: a TaggedPropertyValue list instead of a restriction). A decoded
 * restriction is evaluated against a fixed object, copied, freed, and must
 * re-encode stably.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapi_restriction.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mapi_propval_t obj[4];

static const mapi_propval_t *getp(void *ctx, uint32_t tag)
{
    (void)ctx;
    return mapi_propval_find(obj, 4, MAPI_PROP_CHANGE_TYPE(tag, MAPI_PT_UNSPECIFIED));
}

static void stable(mapi_arena_t *a, int wide, const mapi_restriction_t *r)
{
    mapi_wr_t w1, w2;
    mapi_rd_t rd;
    mapi_restriction_t *again;
    mapi_wr_init(&w1, 0);
    mapi_wr_init(&w2, 0);
    if (mapi_restriction_encode(&w1, wide, r) != MAPI_OK)
        abort();
    mapi_rd_init(&rd, w1.p, w1.len);
    if (mapi_restriction_decode(&rd, a, wide, &again) != MAPI_OK || rd.off != w1.len ||
        mapi_restriction_encode(&w2, wide, again) != MAPI_OK || w2.len != w1.len ||
        memcmp(w1.p, w2.p, w1.len) != 0)
        abort();
    mapi_wr_free(&w1);
    mapi_wr_free(&w2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char subj[] = "Hello", cls[] = "IPM.Note";
    mapi_arena_t a;
    mapi_rd_t rd;
    int wide;
    if (size < 1)
        return 0;
    wide = data[0] & 1;
    memset(obj, 0, sizeof(obj));
    obj[0].tag = 0x0037001F; obj[0].v.str = subj;
    obj[1].tag = 0x001A001E; obj[1].v.str = cls;
    obj[2].tag = 0x0E070003; obj[2].v.i32 = 1;
    obj[3].tag = 0x0E080014; obj[3].v.i64 = 100;
    mapi_arena_init(&a, 1u << 24);
    mapi_rd_init(&rd, data + 1, size - 1);
    if (data[0] & 2) {
        mapi_proplist_t pl;
        uint32_t n = mapi_rd_u8(&rd);
        if (mapi_proplist_decode_n(&rd, &a, wide, n, &pl) == MAPI_OK) {
            mapi_wr_t w;
            mapi_wr_init(&w, 0);
            if (mapi_proplist_encode_n(&w, wide, &pl) != MAPI_OK && wide)
                abort(); /* wide widths hold whatever was decoded */
            mapi_wr_free(&w);
        }
    } else {
        mapi_restriction_t *r, *d;
        int st;
        if (mapi_restriction_decode(&rd, &a, wide, &r) == MAPI_OK) {
            mapi_restriction_ops_t ops;
            memset(&ops, 0, sizeof(ops));
            ops.get_prop = getp;
            (void)mapi_restriction_match_ex(r, &ops, NULL);
            mapi_restriction_reset(r);
            stable(&a, wide, r);
            d = mapi_restriction_dup(r);
            if (!d)
                abort();
            mapi_restriction_free(d);
        }
        d = mapi_restriction_parse(data + 1, size - 1, wide, NULL, &st);
        mapi_restriction_free(d);
    }
    mapi_arena_clear(&a);
    return 0;
}
