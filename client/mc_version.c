int mc_client_version(void);
int mc_client_version(void) { return 1; }
