/* ms_table.h - internals shared by the table and restriction code. */
#ifndef MS_TABLE_H
#define MS_TABLE_H
#include "ms_internal.h"

/* Loads the recipient or attachment rows of the row being evaluated. */
typedef ms_err_t (*ms_subrows_fn)(void *ctx, uint32_t subobject, ms_propset_t **rows, size_t *n);
int ms__res_eval(const ms_restriction_t *r, const ms_propval_t *row, size_t n,
                 ms_subrows_fn sub, void *ctx, int depth);

#define MS_PR_MESSAGE_RECIPIENTS  MS_PROP_TAG(MS_PT_OBJECT, 0x0E12)
#define MS_PR_MESSAGE_ATTACHMENTS MS_PROP_TAG(MS_PT_OBJECT, 0x0E13)
#endif
