/* mh-raise-event DIR MAILBOX: raises a notification event on every session
 * context of MAILBOX in the session table at DIR, from another process, the
 * way the store's change notifications will (tests NotificationWait). */
#include "mhs_session.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    mhs_limits_t lim = {0, 0, 0, 0, 0};
    mhs_table_t *t;
    char err[256];
    size_t n = 0;
    if (argc != 3) {
        fprintf(stderr, "usage: mh-raise-event SESSION_DIR MAILBOX\n");
        return 2;
    }
    if (mhs_open(argv[1], &lim, &t, err, sizeof(err)) != MHS_OK) {
        fprintf(stderr, "mh-raise-event: %s\n", err);
        return 1;
    }
    if (mhs_raise_event_mailbox(t, argv[2], &n) != MHS_OK) {
        fprintf(stderr, "mh-raise-event: %s\n", mhs_last_error(t));
        mhs_close(t);
        return 1;
    }
    printf("raised on %zu session contexts\n", n);
    mhs_close(t);
    return 0;
}
