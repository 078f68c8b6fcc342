/*
 * probe_selftest.c - unit checks of mapiprobe's pieces that need no server:
 * the Autodiscover response reader ([MS-OXDSCLI] 2.2.4 shapes, errors,
 * truncation at every length), the small XML extractor, the ec names and the
 * JSON report's escaping. TAP on stdout; run by t/integ/probe.t.
 */
#include "mapiprobe.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define NS "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
#define NSA "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
#define URL_MS "https://mail.example.test/mapi/emsmdb/?MailboxId=0a1b2c3d-0000-4000-8000-00000000abcd@example.test"
#define URL_AB "https://mail.example.test/mapi/nspi/?MailboxId=0a1b2c3d-0000-4000-8000-00000000abcd@example.test"

static const char good[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
    "<Autodiscover xmlns=\"" NS "\"><Response xmlns=\"" NSA "\">"
    "<User><DisplayName>Alice &amp; Co</DisplayName><LegacyDN>/o=x/cn=Recipients/cn=alice</LegacyDN>"
    "<AutoDiscoverSMTPAddress>alice@example.test</AutoDiscoverSMTPAddress></User>"
    "<Account><AccountType>email</AccountType><Action>settings</Action>"
    "<Protocol><Type>EXHTTP</Type><Server>legacy.example.test</Server></Protocol>"
    "<Protocol Type=\"mapiHttp\" Version=\"1\">"
    "<MailStore><InternalUrl>" URL_MS "</InternalUrl><ExternalUrl>https://ext.example.test/e</ExternalUrl></MailStore>"
    "<AddressBook><InternalUrl>" URL_AB "</InternalUrl><ExternalUrl>https://ext.example.test/n</ExternalUrl></AddressBook>"
    "</Protocol></Account></Response></Autodiscover>\r\n";

static void reset(probe_t *p)
{
    free(p->legacy_dn);
    free(p->display_name);
    free(p->mailstore_url);
    free(p->addressbook_url);
    p->legacy_dn = p->display_name = p->mailstore_url = p->addressbook_url = NULL;
    p->nsteps = 0;
}

/* Reads `text` from an exact-size heap copy (so ASan sees any over-read). */
static int read_exact(probe_t *p, const char *text, size_t len, probe_step_t **st)
{
    char *copy = malloc(len ? len : 1);
    int rc;
    memcpy(copy, text, len);
    reset(p);
    *st = probe_step_begin(p, "Autodiscover");
    rc = probe_read_autodiscover(p, *st, copy, len);
    free(copy);
    return rc;
}

static void test_reader(void)
{
    probe_t p;
    probe_step_t *st;
    char *bad;
    size_t n, fails = 0;

    memset(&p, 0, sizeof(p));
    p.email = "alice@example.test";
    ok(read_exact(&p, good, strlen(good), &st) == 0 && st->result == PROBE_SUCCEEDED, "a mapiHttp response is read");
    ok(p.mailstore_url && strcmp(p.mailstore_url, URL_MS) == 0, "MailStore InternalUrl (after a legacy Protocol)");
    ok(p.addressbook_url && strcmp(p.addressbook_url, URL_AB) == 0, "AddressBook InternalUrl");
    ok(p.legacy_dn && strcmp(p.legacy_dn, "/o=x/cn=Recipients/cn=alice") == 0, "User/LegacyDN");
    ok(p.display_name && strcmp(p.display_name, "Alice & Co") == 0, "DisplayName with &amp; decoded");

    p.use_external = 1;
    ok(read_exact(&p, good, strlen(good), &st) == 0 && p.mailstore_url &&
           strcmp(p.mailstore_url, "https://ext.example.test/e") == 0,
       "--external picks ExternalUrl");
    p.use_external = 0;

    bad = "<Autodiscover xmlns=\"" NS "\"><Response><Error Time=\"1:2:3\" Id=\"9\"><ErrorCode>500</ErrorCode>"
          "<Message>The e-mail address cannot be found.</Message><DebugData /></Error></Response></Autodiscover>";
    ok(read_exact(&p, bad, strlen(bad), &st) != 0 && st->result == PROBE_FAILED &&
           strstr(st->error, "ErrorCode 500") && strstr(st->exception, "cannot be found"),
       "an Error response fails with its ErrorCode and Message (%s | %s)", st->error, st->exception);

    bad = "<Autodiscover xmlns=\"" NS "\"><Response xmlns=\"" NSA "\"><User><LegacyDN>/o=x</LegacyDN></User>"
          "<Account><Action>settings</Action></Account></Response></Autodiscover>";
    ok(read_exact(&p, bad, strlen(bad), &st) != 0 && strstr(st->error, "MAPI/HTTP not offered"),
       "settings without a mapiHttp Protocol: 'MAPI/HTTP not offered'");

    bad = "<Autodiscover><Response><User><LegacyDN>/o=x</LegacyDN></User><Account>"
          "<Protocol Type=\"mapiHttp\" Version=\"1\"><MailStore><InternalUrl>https://a/</InternalUrl></MailStore>"
          "</Protocol></Account></Response></Autodiscover>";
    ok(read_exact(&p, bad, strlen(bad), &st) != 0 && strstr(st->error, "AddressBook URL missing"),
       "a mapiHttp Protocol without AddressBook is refused (clients fail hard on it)");

    bad = "<Autodiscover><Response><Account><Protocol Type=\"mapiHttp\" Version=\"1\">"
          "<MailStore><InternalUrl>https://a/</InternalUrl></MailStore>"
          "<AddressBook><InternalUrl>https://b/</InternalUrl></AddressBook></Protocol></Account></Response></Autodiscover>";
    ok(read_exact(&p, bad, strlen(bad), &st) != 0 && strstr(st->error, "no LegacyDN"), "no User/LegacyDN is refused");

    bad = "<Autodiscover><Response><User><LegacyDN>/o=x</LegacyDN></User><Account><Protocol Type=\"mapiHttp\">"
          "<MailStore><InternalUrl>https://a/</InternalUrl></MailStore>"
          "<AddressBook><InternalUrl>https://b/</InternalUrl></AddressBook></Protocol></Account></Response></Autodiscover>";
    ok(read_exact(&p, bad, strlen(bad), &st) != 0 && strstr(st->error, "Version"), "a Protocol without Version is refused");

    ok(read_exact(&p, "<html>Not found</html>", 22, &st) != 0 && st->result == PROBE_FAILED,
       "an HTML page is not an Autodiscover response");
    ok(read_exact(&p, "", 0, &st) != 0, "an empty body fails");

    /* every truncation of a good response: never a crash, never a success
     * before the AddressBook block is complete */
    for (n = 0; n < strlen(good); n++) {
        int rc = read_exact(&p, good, n, &st);
        if (rc == 0 && n < (size_t)(strstr(good, "</AddressBook>") - good))
            fails++;
    }
    is_int((int)fails, 0, "no truncated response (all %zu lengths) is taken as complete", strlen(good));
    reset(&p);
}

static void test_extractor(void)
{
    const char *x = "<a:Root xmlns:a=\"n\"><a:Item k='v'> one &lt;&#65;&#x42;&gt; </a:Item><Empty/><Item>two</Item></a:Root>";
    const char *end = x + strlen(x), *after = NULL, *cs, *ce;
    char *t = probe_xml_text(x, end, "Item", &after);
    ok(t && strcmp(t, "one <AB>") == 0, "prefixed element with attributes; entities and references decoded, blanks trimmed (%s)",
       t ? t : "-");
    free(t);
    t = after ? probe_xml_text(after, end, "Item", NULL) : NULL;
    ok(t && strcmp(t, "two") == 0, "the next element of the same name after the first");
    free(t);
    ok(probe_xml_find(x, end, "Empty", &cs, &ce) == 0 && cs == ce, "an empty element has empty content");
    ok(probe_xml_find(x, end, "It", &cs, &ce) != 0, "a name prefix of another name does not match");
    ok(probe_xml_find(x, x + 30, "Item", &cs, &ce) != 0, "an element cut by the end of the buffer is not found");
    x = "<A>x &amp y";
    t = probe_xml_text(x, x + strlen(x), "A", NULL);
    ok(t == NULL, "an element without its end tag is not found");
    free(t);
    x = "<A>x &amp y</A>";
    t = probe_xml_text(x, x + strlen(x), "A", NULL);
    ok(t && strcmp(t, "x &amp y") == 0, "'&' without ';' is kept as is (%s)", t ? t : "-");
    free(t);
}

static void test_names_and_json(void)
{
    probe_t p;
    probe_step_t *st;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    ok(strcmp(probe_ec_name(MAPI_EC_NOT_SUPPORTED), "ecNotSupported") == 0, "ecNotSupported named");
    ok(strcmp(probe_ec_name(MAPI_EC_NULL_OBJECT), "ecNullObject") == 0, "ecNullObject named");
    ok(strcmp(probe_ec_name(0x12345678u), "ecUnknown") == 0, "an unknown code is ecUnknown");

    memset(&p, 0, sizeof(p));
    p.base_url = "https://h";
    p.email = "a@b";
    st = probe_step_begin(&p, "Connect");
    probe_step_fail(st, "tab\there \"quoted\" back\\slash \x01", "Connect: %s", "line\nbreak");
    f = open_memstream(&buf, &len);
    probe_print_json(&p, f);
    fclose(f);
    ok(buf && strstr(buf, "\"Error\": \"Connect: line\\nbreak\""), "JSON: newline escaped");
    ok(buf && strstr(buf, "tab\\there \\\"quoted\\\" back\\\\slash \\u0001"), "JSON: tab, quotes, backslash, control escaped");
    ok(buf && strstr(buf, "\"Result\": \"Failed\""), "JSON: a failed step makes the probe Failed");
    ok(!probe_all_succeeded(&p), "a failed step: not all succeeded");
    free(buf);

    memset(&p, 0, sizeof(p));
    ok(!probe_all_succeeded(&p), "no step at all is not a success");
    probe_step_ok(probe_step_begin(&p, "Autodiscover"), "x");
    probe_step_skip(&p, "OpenMessage", "not run: the Inbox is empty");
    ok(probe_all_succeeded(&p), "succeeded + skipped steps: success");
}

/* probe_new_conn is in mapiprobe.c with main(); the reader does not use it. */
mc_conn_t *probe_new_conn(const probe_t *p, const char *url)
{
    (void)p;
    (void)url;
    return NULL;
}

int main(void)
{
    test_reader();
    test_extractor();
    test_names_and_json();
    return done_testing();
}
