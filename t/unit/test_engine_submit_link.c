/*
 * Strong references to the area tables test_engine_submit.c calls (see
 * test_engine_message_link.c: weak references do not pull object files
 * out of a static library).
 */
extern const unsigned char rop_message_entries[], rop_submit_entries[], rop_property_entries[];
extern const void *const test_submit_areas[];
const void *const test_submit_areas[] = {rop_message_entries, rop_submit_entries, rop_property_entries, 0};
