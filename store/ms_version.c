int ms_store_version(void);
int ms_store_version(void) { return 1; }
