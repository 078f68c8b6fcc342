/*
 * Strong references to the ROP area tables: rop_dispatch.c finds them
 * through weak references, which do not pull object files out of a static
 * library, so a test program linking libmapiengine statically names them
 * here (without rop_engine.h's weak declarations in scope).
 */
extern const unsigned char rop_logon_entries[], rop_message_entries[],
    rop_property_entries[], rop_stream_entries[];
extern const void *const test_engine_areas[];
const void *const test_engine_areas[] = {rop_logon_entries, rop_message_entries,
                                         rop_property_entries, rop_stream_entries, 0};
