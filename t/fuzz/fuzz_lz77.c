/*
 * fuzz_lz77.c - LZ77+DIRECT2 ([MS-OXCRPC] 3.1.4.1.1.2). Input: u16 LE
 * SizeActual, then a compressed stream. The decoder must stay inside its
 * exact-size output buffer; separately the raw input is compressed and
 * must decompress back to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapi_lz77.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t out_len, clen = 0;
    uint8_t *out, *c;
    int rc;
    if (size < 2)
        return 0;
    out_len = (size_t)(data[0] | (data[1] << 8));
    out = malloc(out_len ? out_len : 1);
    if (!out)
        return 0;
    (void)mapi_lz77_decompress(data + 2, size - 2, out, out_len);
    free(out);

    /* round trip of the whole input through the encoder */
    if (size > 0x8000)
        return 0;
    c = malloc(size);
    out = malloc(size);
    if (!c || !out)
        abort();
    rc = mapi_lz77_compress(data, size, c, size, &clen);
    if (rc == MAPI_LZ77_OK) {
        if (clen >= size || mapi_lz77_decompress(c, clen, out, size) != MAPI_LZ77_OK ||
            memcmp(out, data, size) != 0)
            abort();
    } else if (rc != MAPI_LZ77_NOT_SMALLER) {
        abort();
    }
    free(c);
    free(out);
    return 0;
}
