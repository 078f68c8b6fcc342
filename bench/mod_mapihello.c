/*
 * mod_mapihello: the trivial handler the benchmarks compare mod_mapihttp
 * against. It answers any POST with a fixed 200 text body, doing no parsing
 * and no state, so the difference measures our handler alone.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "ap_config.h"

static int mapihello_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "mapihello") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_discard_request_body(r);
    ap_rputs("hello\n", r);
    return OK;
}

static void mapihello_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(mapihello_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(mapihello) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, mapihello_register_hooks, 0
};
