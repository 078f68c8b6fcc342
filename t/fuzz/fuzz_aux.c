/*
 * fuzz_aux.c - auxiliary buffers ([MS-OXCRPC] 2.2.2.2). Input: byte 0 bit 0
 * = 0 framed AuxiliaryBuffer / 1 bare payload, then the bytes. Parsed
 * buffers are summarised (exercises every decoded field).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapi_aux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mapi_aux_t aux;
    char line[512];
    int rc;
    if (size < 1)
        return 0;
    rc = (data[0] & 1) ? mapi_aux_parse_payload(data + 1, size - 1, &aux)
                       : mapi_aux_parse(data + 1, size - 1, &aux);
    if (rc == MAPI_AUX_OK) {
        mapi_aux_summary(&aux, line, sizeof(line));
        if (strlen(line) >= sizeof(line))
            abort();
    } else if (aux.payload || aux.blocks) {
        abort(); /* failures must not leave allocations behind */
    }
    mapi_aux_free(&aux);
    return 0;
}
