/*
 * test_client_fixture.c - the scripted loopback HTTP server of the client
 * tests (see test_client_fixture.h).
 */
#include "test_client_fixture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FX_MAX_HEAD 65536

/* ---- allocation arena for built responses ------------------------------ */
static char **fx_allocs;
static size_t fx_n_allocs;

static char *fx_alloc(size_t n)
{
    char **a = realloc(fx_allocs, (fx_n_allocs + 1) * sizeof(*a));
    char *p = malloc(n ? n : 1);
    if (!a || !p) {
        fprintf(stderr, "fixture: out of memory\n");
        abort();
    }
    fx_allocs = a;
    fx_allocs[fx_n_allocs++] = p;
    return p;
}

void fx_free_all(void)
{
    for (size_t i = 0; i < fx_n_allocs; i++)
        free(fx_allocs[i]);
    free(fx_allocs);
    fx_allocs = NULL;
    fx_n_allocs = 0;
}

fx_piece_t fx_whole(const char *status_line, const char *headers, const void *body, size_t len)
{
    size_t hl = strlen(status_line) + strlen(headers) + 64;
    char *p = fx_alloc(hl + len);
    int n = snprintf(p, hl, "%s\r\n%sContent-Length: %zu\r\n\r\n", status_line, headers, len);
    if (len)
        memcpy(p + n, body, len);
    return (fx_piece_t){0, p, (size_t)n + len};
}

fx_piece_t fx_chunked_head(const char *status_line, const char *headers)
{
    size_t hl = strlen(status_line) + strlen(headers) + 64;
    char *p = fx_alloc(hl);
    int n = snprintf(p, hl, "%s\r\n%sTransfer-Encoding: chunked\r\n\r\n", status_line, headers);
    return (fx_piece_t){0, p, (size_t)n};
}

fx_piece_t fx_chunk(const void *data, size_t len)
{
    char *p = fx_alloc(len + 32);
    int n = snprintf(p, 32, "%zx\r\n", len);
    memcpy(p + n, data, len);
    memcpy(p + n + len, "\r\n", 2);
    return (fx_piece_t){0, p, (size_t)n + len + 2};
}

fx_piece_t fx_last_chunk(void) { return (fx_piece_t){0, "0\r\n\r\n", 5}; }

fx_piece_t fx_delayed(fx_piece_t p, int delay_ms)
{
    p.delay_ms = delay_ms;
    return p;
}

/* ---- server thread ----------------------------------------------------- */

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

static int stopping(fx_server_t *s)
{
    pthread_mutex_lock(&s->mu);
    int v = s->stop;
    pthread_mutex_unlock(&s->mu);
    return v;
}

/* Waits for fd to be readable; 1 ready, 0 stop requested, -1 error. */
static int wait_readable(fx_server_t *s, int fd)
{
    for (;;) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int r = poll(&pfd, 1, 50);
        if (r > 0)
            return 1;
        if (r < 0 && errno != EINTR)
            return -1;
        if (stopping(s))
            return 0;
    }
}

static long content_length(const char *head)
{
    const char *p = head;
    while ((p = strchr(p, '\n')) != NULL) {
        p++;
        if (strncasecmp(p, "Content-Length:", 15) == 0)
            return strtol(p + 15, NULL, 10);
    }
    return 0;
}

/* Reads one request; 1 recorded, 0 connection over. */
static int read_request(fx_server_t *s, int fd, char *buf, size_t *have)
{
    char *end;
    for (;;) {
        buf[*have] = '\0';
        if ((end = strstr(buf, "\r\n\r\n")) != NULL)
            break;
        if (*have >= FX_MAX_HEAD - 1 || wait_readable(s, fd) != 1)
            return 0;
        ssize_t n = recv(fd, buf + *have, FX_MAX_HEAD - 1 - *have, 0);
        if (n <= 0)
            return 0;
        *have += (size_t)n;
    }
    size_t head_len = (size_t)(end - buf) + 4;
    long cl = content_length(buf);
    fx_request_t r;
    if (cl < 0 || cl > 16 * 1024 * 1024)
        return 0;
    r.head = strndup(buf, head_len - 2);
    r.body = malloc((size_t)cl + 1);
    r.body_len = (size_t)cl;
    size_t got = *have - head_len < (size_t)cl ? *have - head_len : (size_t)cl;
    memcpy(r.body, buf + head_len, got);
    while (got < (size_t)cl) {
        if (wait_readable(s, fd) != 1)
            break;
        ssize_t n = recv(fd, r.body + got, (size_t)cl - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    /* Keep whatever followed (a pipelined next request). */
    size_t used = head_len + ((*have - head_len) < (size_t)cl ? (*have - head_len) : (size_t)cl);
    memmove(buf, buf + used, *have - used);
    *have -= used;
    pthread_mutex_lock(&s->mu);
    if (s->n_reqs < FX_MAX_REQS)
        s->reqs[s->n_reqs++] = r;
    else {
        free(r.head);
        free(r.body);
    }
    pthread_mutex_unlock(&s->mu);
    return got == (size_t)cl;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Serves one connection; returns how many responses it sent. */
static void serve_conn(fx_server_t *s, int fd, size_t *next)
{
    char *buf = malloc(FX_MAX_HEAD);
    size_t have = 0;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    while (buf && !stopping(s) && read_request(s, fd, buf, &have)) {
        if (*next >= s->n_script)
            break;
        const fx_response_t *resp = &s->script[(*next)++];
        int bad = 0;
        for (size_t i = 0; i < resp->n_pieces && !bad; i++) {
            if (resp->pieces[i].delay_ms)
                sleep_ms(resp->pieces[i].delay_ms);
            bad = write_all(fd, resp->pieces[i].data, resp->pieces[i].len);
        }
        if (bad || resp->close_after)
            break;
    }
    free(buf);
    close(fd);
}

static void *server_main(void *arg)
{
    fx_server_t *s = arg;
    size_t next = 0;
    while (wait_readable(s, s->listen_fd) == 1) {
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        pthread_mutex_lock(&s->mu);
        s->accepts++;
        pthread_mutex_unlock(&s->mu);
        serve_conn(s, fd, &next);
    }
    return NULL;
}

int fx_start(fx_server_t *s, const fx_response_t *script, size_t n_script)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof(a);
    int one = 1;
    memset(s, 0, sizeof(*s));
    s->script = script;
    s->n_script = n_script;
    pthread_mutex_init(&s->mu, NULL);
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (s->listen_fd < 0)
        return -1;
    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s->listen_fd, (struct sockaddr *)&a, sizeof(a)) != 0
        || listen(s->listen_fd, 8) != 0
        || getsockname(s->listen_fd, (struct sockaddr *)&a, &alen) != 0) {
        close(s->listen_fd);
        return -1;
    }
    s->port = ntohs(a.sin_port);
    if (pthread_create(&s->thread, NULL, server_main, s) != 0) {
        close(s->listen_fd);
        return -1;
    }
    return 0;
}

void fx_stop(fx_server_t *s)
{
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
    for (size_t i = 0; i < s->n_reqs; i++) {
        free(s->reqs[i].head);
        free(s->reqs[i].body);
    }
    pthread_mutex_destroy(&s->mu);
}

const char *fx_url(const fx_server_t *s, const char *path, char *buf, size_t size)
{
    snprintf(buf, size, "http://127.0.0.1:%d%s", s->port, path);
    return buf;
}

size_t fx_n_requests(fx_server_t *s)
{
    pthread_mutex_lock(&s->mu);
    size_t n = s->n_reqs;
    pthread_mutex_unlock(&s->mu);
    return n;
}

int fx_accepts(fx_server_t *s)
{
    pthread_mutex_lock(&s->mu);
    int n = s->accepts;
    pthread_mutex_unlock(&s->mu);
    return n;
}

const fx_request_t *fx_req(fx_server_t *s, size_t i)
{
    const fx_request_t *r = NULL;
    pthread_mutex_lock(&s->mu);
    if (i < s->n_reqs)
        r = &s->reqs[i];
    pthread_mutex_unlock(&s->mu);
    return r;
}

static const char *find_header(const char *head, const char *name, const char *from)
{
    size_t nl = strlen(name);
    const char *p = from ? from : head;
    while ((p = strstr(p, "\r\n")) != NULL) {
        p += 2;
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':')
            return p;
    }
    return NULL;
}

const char *fx_req_header(const fx_request_t *r, const char *name, char *buf, size_t size)
{
    const char *p = r ? find_header(r->head, name, NULL) : NULL;
    if (!p)
        return NULL;
    p += strlen(name) + 1;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strcspn(p, "\r\n");
    if (n >= size)
        n = size - 1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

int fx_req_header_count(const fx_request_t *r, const char *name)
{
    int k = 0;
    const char *p = NULL;
    while (r && (p = find_header(r->head, name, p)) != NULL)
        k++;
    return k;
}

const char *fx_req_method(const fx_request_t *r, char *buf, size_t size)
{
    size_t n = r ? strcspn(r->head, " ") : 0;
    if (n >= size)
        n = size - 1;
    if (r)
        memcpy(buf, r->head, n);
    buf[n] = '\0';
    return buf;
}

int fx_dead_port(void)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0
        && getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}
