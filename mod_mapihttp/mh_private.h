#ifndef MH_PRIVATE_H
#define MH_PRIVATE_H
#include "httpd.h"
#include "http_config.h"
extern module AP_MODULE_DECLARE_DATA mapihttp_module;
#endif
