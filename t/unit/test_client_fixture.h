/*
 * test_client_fixture.h - a scripted HTTP/1.1 server on 127.0.0.1 in a
 * thread, for the client tests. It answers the n-th request with the n-th
 * scripted response, written piece by piece with delays (so chunked PENDING
 * keep-alives arrive at known times), and records every request it got.
 * Offline and loopback only.
 */
#ifndef TEST_CLIENT_FIXTURE_H
#define TEST_CLIENT_FIXTURE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define FX_MAX_PIECES 8
#define FX_MAX_REQS 32

typedef struct {
    int delay_ms;           /* sleep before writing this piece */
    const char *data;
    size_t len;
} fx_piece_t;

typedef struct {
    fx_piece_t pieces[FX_MAX_PIECES];
    size_t n_pieces;
    int close_after;        /* close the connection after this response */
} fx_response_t;

typedef struct {
    char *head;             /* request line and headers, NUL-terminated */
    uint8_t *body;
    size_t body_len;
} fx_request_t;

typedef struct {
    int listen_fd;
    int port;
    pthread_t thread;
    pthread_mutex_t mu;
    const fx_response_t *script;
    size_t n_script;
    fx_request_t reqs[FX_MAX_REQS];
    size_t n_reqs;
    int accepts;            /* TCP connections accepted */
    int stop;
} fx_server_t;

/* Starts listening on 127.0.0.1:<ephemeral>; 0 on success. */
int fx_start(fx_server_t *s, const fx_response_t *script, size_t n_script);
void fx_stop(fx_server_t *s);
/* "http://127.0.0.1:<port><path>" into buf. */
const char *fx_url(const fx_server_t *s, const char *path, char *buf, size_t size);
size_t fx_n_requests(fx_server_t *s);
int fx_accepts(fx_server_t *s);
const fx_request_t *fx_req(fx_server_t *s, size_t i);
/* Value of a request header (first match, case-insensitive) copied into buf,
 * or NULL when absent. */
const char *fx_req_header(const fx_request_t *r, const char *name, char *buf, size_t size);
/* Number of header lines with that name. */
int fx_req_header_count(const fx_request_t *r, const char *name);
/* The request method ("POST", "GET", ...) copied into buf. */
const char *fx_req_method(const fx_request_t *r, char *buf, size_t size);

/* Builders for scripted responses; the memory lives until fx_free_all(). */
/* "HTTP/1.1 <status>\r\n<headers>Content-Length: n\r\n\r\n<body>" */
fx_piece_t fx_whole(const char *status_line, const char *headers, const void *body, size_t len);
/* Status line and headers with Transfer-Encoding: chunked, no body yet. */
fx_piece_t fx_chunked_head(const char *status_line, const char *headers);
/* One chunk: "<hex len>\r\n<data>\r\n". */
fx_piece_t fx_chunk(const void *data, size_t len);
fx_piece_t fx_last_chunk(void);
fx_piece_t fx_delayed(fx_piece_t p, int delay_ms);
void fx_free_all(void);

/* A local port that refuses connections (bound, then closed). */
int fx_dead_port(void);

#endif
