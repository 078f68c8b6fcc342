/* Unit tests for mapicodec/mapi_buf.c: bounds, sticky errors, strings. */
#include "tap.h"
#include "mapi_buf.h"

static void test_reader(void)
{
    static const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
    mapi_rd_t rd;
    mapi_rd_init(&rd, b, sizeof(b));
    is_int(mapi_rd_u8(&rd), 0x01, "u8");
    is_int(mapi_rd_u16(&rd), 0x0302, "u16 little-endian");
    is_int(mapi_rd_u32(&rd), 0x07060504, "u32 little-endian");
    is_int(mapi_rd_left(&rd), 2, "two bytes left");
    is_int(mapi_rd_u32(&rd), 0, "u32 past the end reads 0");
    ok(!mapi_rd_ok(&rd), "reading past the end sets the error");
    is_int(mapi_rd_u8(&rd), 0, "error is sticky");
    ok(mapi_rd_bytes(&rd, 0) == NULL, "no bytes once failed");
}

static void test_strings(void)
{
    static const uint8_t a[] = {'a', 'b', 0, 'c'};
    static const uint8_t w[] = {'h', 0, 0xE9, 0, 0, 0, 'x'};
    static const uint8_t odd[] = {'h', 0, 'i'};
    mapi_rd_t rd;
    size_t n = 99;
    const char *s;
    char *u;

    mapi_rd_init(&rd, a, sizeof(a));
    s = mapi_rd_asciiz(&rd, &n);
    ok(s && n == 2 && s[0] == 'a', "asciiz read");
    ok(mapi_rd_asciiz(&rd, &n) == NULL && !mapi_rd_ok(&rd), "asciiz without NUL fails");

    mapi_rd_init(&rd, w, sizeof(w));
    {
        const uint8_t *q = mapi_rd_utf16z(&rd, &n);
        ok(q && n == 2, "utf16z read, 2 units");
        u = q ? mapi_utf16le_to_utf8(q, n) : NULL;
        is_str(u, "h\xc3\xa9", "utf16 to utf8");
        free(u);
        is_int(mapi_rd_left(&rd), 1, "one byte left after utf16z");
    }
    mapi_rd_init(&rd, odd, sizeof(odd));
    ok(mapi_rd_utf16z(&rd, &n) == NULL, "utf16z without 2-byte NUL fails");
}

static void test_writer(void)
{
    mapi_wr_t wr;
    uint8_t *p;
    size_t len;
    static const uint8_t want[] = {0xAA, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12, 'o', 'k', 0,
                                   0x3A, 0xD8, 0x00, 0xDE, 'A', 0, 0, 0};
    mapi_wr_init(&wr, 0);
    mapi_wr_u8(&wr, 0xAA);
    mapi_wr_u16(&wr, 0x1234);
    mapi_wr_u32(&wr, 0);
    mapi_wr_put_u32_at(&wr, 3, 0x12345678);
    mapi_wr_asciiz(&wr, "ok");
    mapi_wr_utf16z_from_utf8(&wr, "\xf0\x9e\xa8\x80" "A");
    ok(mapi_wr_ok(&wr), "writer ok");
    p = mapi_wr_steal(&wr, &len);
    is_mem(p, len, want, sizeof(want), "written bytes, with a surrogate pair");
    free(p);

    mapi_wr_init(&wr, 4);
    mapi_wr_u32(&wr, 1);
    ok(mapi_wr_ok(&wr), "write up to the limit");
    mapi_wr_u8(&wr, 1);
    ok(!mapi_wr_ok(&wr), "write past the limit fails");
    mapi_wr_free(&wr);

    mapi_wr_init(&wr, 0);
    mapi_wr_utf16z_from_utf8(&wr, "\xff" "b");
    ok(wr.len == 6 && mapi_le16(wr.p) == 0xFFFD, "invalid utf-8 becomes U+FFFD");
    mapi_wr_free(&wr);
}

int main(void)
{
    test_reader();
    test_strings();
    test_writer();
    return done_testing();
}
