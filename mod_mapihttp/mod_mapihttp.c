#include "mh_private.h"
#include "http_protocol.h"
static int mh_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "mapihttp"))
        return DECLINED;
    return HTTP_NOT_IMPLEMENTED;
}
static void mh_register_hooks(apr_pool_t *p) { ap_hook_handler(mh_handler, NULL, NULL, APR_HOOK_MIDDLE); }
AP_DECLARE_MODULE(mapihttp) = { STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, mh_register_hooks, 0 };
