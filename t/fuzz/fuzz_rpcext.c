/*
 * fuzz_rpcext.c - RPC_HEADER_EXT chains ([MS-OXCRPC] 2.2.2.1). Input:
 * byte 0 = decoder options (bits 0-1), then the buffer. Whatever decodes
 * is framed again (compressed and obfuscated) and must decode to the same
 * payloads.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapi_rpcext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mapi_rpcext_chain_t c, c2;
    mapi_iov_t *iov;
    mapi_wr_t wr;
    size_t i;
    if (size < 1)
        return 0;
    if (mapi_rpcext_decode_chain(data + 1, size - 1, data[0] & 3u, 0, &c) != MAPI_RPCEXT_OK)
        return 0;
    if (c.nframes == 0 || c.consumed > size - 1)
        abort();
    iov = calloc(c.nframes, sizeof(*iov));
    if (!iov)
        abort();
    for (i = 0; i < c.nframes; i++) {
        iov[i].p = c.data + c.frames[i].off;
        iov[i].len = c.frames[i].len;
    }
    mapi_wr_init(&wr, 0);
    if (mapi_rpcext_encode_chain(&wr, iov, c.nframes,
                                 MAPI_RPCEXT_ENC_COMPRESS | MAPI_RPCEXT_ENC_XOR) != MAPI_RPCEXT_OK)
        abort();
    if (mapi_rpcext_decode_chain(wr.p, wr.len, 0, 0, &c2) != MAPI_RPCEXT_OK ||
        c2.nframes != c.nframes || c2.len != c.len || (c.len && memcmp(c.data, c2.data, c.len)))
        abort();
    mapi_rpcext_chain_free(&c2);
    mapi_wr_free(&wr);
    free(iov);
    mapi_rpcext_chain_free(&c);
    return 0;
}
