/* test_nspi_engine_names.c - the NSPI engine's names and properties:
 * ResolveNames, DNToMId, GetProps, GetPropList, QueryColumns,
 * GetSpecialTable, GetTemplateInfo, ModProps, ModLinkAtt, GetMailboxUrl,
 * GetAddressBookUrl; truncated bodies of every type; MId stability. */
#include "mapi_ids.h"
#include "test_nspi_engine_util.h"

static nspi_request_t req;
static nspi_response_t rsp;
static uint32_t alice, bob;
static char *alice_dn;

static void start(nspi_req_type_t t)
{
    memset(&req, 0, sizeof(req));
    memset(&rsp, 0, sizeof(rsp));
    req.type = t;
}

static uint32_t resolve(const char **names, uint32_t n, uint32_t *cols, uint32_t ncols)
{
    static nspi_bytes_t w[20];
    start(NSPI_RESOLVENAMES);
    req.u.resolvenames.has_state = 1;
    tn_stat(&req.u.resolvenames.state, 0, 0);
    req.u.resolvenames.has_names = 1;
    req.u.resolvenames.names.count = n;
    req.u.resolvenames.names.s = w;
    for (uint32_t i = 0; i < n; i++)
        w[i] = tn_w(names[i]);
    if (cols) {
        req.u.resolvenames.has_proptags = 1;
        req.u.resolvenames.proptags.count = ncols;
        req.u.resolvenames.proptags.v = cols;
    }
    return tn_call(&req, &rsp);
}

static void test_resolvenames(void)
{
    static uint32_t cols[] = {0x3001001Fu, 0x39FE001Fu};
    const char *names[] = {"alice@gal.test", "Anna", "anna bella", "nobody here", "Chris Twin",
                           "\xc3\xa5ngstr\xc3\xb6m", "ALICE@gal.TEST", "SMTP:bob@gal.test", "  bob  ",
                           "alice.example@gal.test", "user0042", "Berg", "", "zola", "Twin", "\xc3\x89LODIE"};
    uint32_t *m;
    nspi_rowset_t *rs = &rsp.u.resolvenames.rows;

    is_int(resolve(names, 16, cols, 2), NSPI_SUCCESS, "ResolveNames of 16 names");
    m = rsp.u.resolvenames.mids.v;
    ok(rsp.u.resolvenames.mids.count == 16, "one MId per name");
    is_int(m[13], NSPI_MID_RESOLVED, "a surname (later word of the display name) resolves");
    is_int(m[14], NSPI_MID_AMBIGUOUS, "a surname two entries share is ambiguous");
    is_int(m[15], NSPI_MID_RESOLVED, "a non-ASCII surname, other case, resolves");
    is_int(m[0], NSPI_MID_RESOLVED, "an SMTP address resolves: MID_RESOLVED");
    is_int(m[1], NSPI_MID_AMBIGUOUS, "'Anna' (three display names) is ambiguous");
    is_int(m[2], NSPI_MID_RESOLVED, "'anna bella' (a whole display name, one prefix match) resolves");
    is_int(m[3], NSPI_MID_UNRESOLVED, "an unknown name is unresolved");
    is_int(m[4], NSPI_MID_AMBIGUOUS, "two entries with the same display name are ambiguous");
    is_int(m[5], NSPI_MID_RESOLVED, "a non-ASCII prefix resolves case-insensitively");
    is_int(m[6], NSPI_MID_RESOLVED, "SMTP addresses compare case-insensitively");
    is_int(m[7], NSPI_MID_RESOLVED, "an 'SMTP:' prefixed address resolves");
    is_int(m[8], NSPI_MID_RESOLVED, "an alias with blanks around it resolves");
    is_int(m[9], NSPI_MID_RESOLVED, "a secondary SMTP address resolves");
    is_int(m[10], NSPI_MID_RESOLVED, "an SMTP address prefix with one match resolves");
    is_int(m[11], NSPI_MID_AMBIGUOUS, "a surname shared by many is ambiguous");
    is_int(m[12], NSPI_MID_UNRESOLVED, "an empty name is unresolved");
    is_int(rs->row_count, 10, "one row per resolved name");
    is_str(tn_str(&rs->rows[8].vals[1].v, 0), "emile@gal.test", "'zola': emile's row");
    is_str(tn_str(&rs->rows[9].vals[1].v, 0), "elodie@gal.test", "'\xc3\x89LODIE': elodie's row");
    is_str(tn_str(&rs->rows[0].vals[0].v, 0), "Alice Example", "row 1: Alice's display name");
    is_str(tn_str(&rs->rows[1].vals[0].v, 0), "Anna Bella", "row 2: Anna Bella");
    is_str(tn_str(&rs->rows[2].vals[1].v, 0), "elodie@gal.test", "row 3: the non-ASCII entry's SMTP address");
    is_str(tn_str(&rs->rows[6].vals[1].v, 0), "alice@gal.test", "a secondary address gives the primary");
    is_str(tn_str(&rs->rows[3].vals[1].v, 0), "alice@gal.test", "case-insensitive SMTP: Alice's row");
    is_str(tn_str(&rs->rows[4].vals[1].v, 0), "bob@gal.test", "'SMTP:' prefix: Bob's row");
    is_str(tn_str(&rs->rows[5].vals[1].v, 0), "bob@gal.test", "alias with blanks: Bob's row");
    is_str(tn_str(&rs->rows[7].vals[1].v, 0), "user0042@gal.test", "SMTP prefix: user0042's row");
    is_int(rsp.u.resolvenames.code_page, 1252, "the answer's code page");
    is_int(resolve(names, 1, NULL, 0), NSPI_SUCCESS, "ResolveNames without columns");
    ok(rs->columns.count == 7 && rs->columns.v[3] == 0x3001001F, "the default columns, Unicode");
    resolve(names, 1, NULL, 0);
    req.u.resolvenames.state.code_page = NSPI_CP_WINUNICODE;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_CODEPAGE, "ResolveNames with CP_WINUNICODE: InvalidCodepage");
    req.u.resolvenames.has_state = 0;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_PARAMETER, "ResolveNames without STAT: InvalidParameter");
}

static void test_dntomid(void)
{
    static nspi_bytes_t dns[4];
    char upper[600];
    const char *dir_dn = "/o=mod_mapihttp/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=bob";
    snprintf(upper, sizeof(upper), "%s", alice_dn);
    for (char *p = upper; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    dns[0].p = (const uint8_t *)alice_dn;
    dns[0].len = (uint32_t)strlen(alice_dn);
    dns[1].p = (const uint8_t *)upper;
    dns[1].len = (uint32_t)strlen(upper);
    dns[2].p = (const uint8_t *)"/o=nowhere/cn=x";
    dns[2].len = 15;
    dns[3].p = (const uint8_t *)dir_dn;
    dns[3].len = (uint32_t)strlen(dir_dn);
    start(NSPI_DNTOMID);
    req.u.dntomid.has_names = 1;
    req.u.dntomid.names.count = 4;
    req.u.dntomid.names.s = dns;
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "DNToMId");
    ok(rsp.u.dntomid.mids.count == 4 && rsp.u.dntomid.mids.v[0] == alice, "Alice's DN -> her MId");
    is_int(rsp.u.dntomid.mids.v[1], alice, "DNs compare case-insensitively");
    is_int(rsp.u.dntomid.mids.v[2], 0, "an unknown DN -> 0");
    is_int(rsp.u.dntomid.mids.v[3], bob, "the directory's own DN form is accepted too");
    ok(!strncmp(alice_dn, TN_PREFIX "/cn=Recipients/cn=", strlen(TN_PREFIX) + 18), "the DN: prefix/cn=Recipients/cn=..");
    start(NSPI_DNTOMID);
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "DNToMId without names");
    is_int(rsp.u.dntomid.mids.count, 0, "no MIds");
}

static uint32_t getprops(uint32_t mid, uint32_t flags, uint32_t *tags, uint32_t n)
{
    start(NSPI_GETPROPS);
    req.u.getprops.flags = flags;
    req.u.getprops.has_state = 1;
    tn_stat(&req.u.getprops.state, mid, 0);
    if (tags) {
        req.u.getprops.has_proptags = 1;
        req.u.getprops.proptags.count = n;
        req.u.getprops.proptags.v = tags;
    }
    return tn_call(&req, &rsp);
}

static const nspi_tagged_t *find(uint32_t tag)
{
    for (uint32_t i = 0; i < rsp.u.getprops.values.count; i++)
        if (rsp.u.getprops.values.v[i].tag == tag)
            return &rsp.u.getprops.values.v[i];
    return NULL;
}

static void test_getprops(void)
{
    static uint32_t tags[] = {0x3001001Fu, 0x39FE001Eu, 0x3003001Fu, 0x3002001Fu, 0x0FFF0102u, 0x0FF60102u,
                              0x800F101Fu, 0x300B0102u, 0x3A00001Fu, 0x0FFE0003u, 0x39000003u, 0x3A18001Fu,
                              0x0FF80102u, 0x39020102u, 0x0FF90102u, 0x3A20001Fu};
    const nspi_tagged_t *v;
    mapi_ab_entryid_t perm;
    mapi_ab_ephemeral_t eph;

    is_int(getprops(alice, 0, tags, 16), NSPI_ERRORS_RETURNED, "GetProps with one missing property: ErrorsReturned");
    is_str((v = find(0x3001001Fu)) ? tn_str(&v->v, 0) : NULL, "Alice Example", "PidTagDisplayName");
    is_str((v = find(0x39FE001Eu)) ? tn_str(&v->v, 1252) : NULL, "alice@gal.test", "PidTagSmtpAddress (String8)");
    is_str((v = find(0x3003001Fu)) ? tn_str(&v->v, 0) : NULL, alice_dn, "PidTagEmailAddress is the DN");
    is_str((v = find(0x3002001Fu)) ? tn_str(&v->v, 0) : NULL, "EX", "PidTagAddressType EX");
    is_str((v = find(0x3A00001Fu)) ? tn_str(&v->v, 0) : NULL, "alice", "PidTagAccount is the alias");
    is_str((v = find(0x3A20001Fu)) ? tn_str(&v->v, 0) : NULL, "Alice Example", "PidTagTransmittableDisplayName");
    ok((v = find(0x0FFF0102u)) && mapi_ab_entryid_parse(&tn_arena, v->v.u.bytes.p, v->v.u.bytes.len, &perm) == 0 &&
           !strcmp(perm.dn, alice_dn) && perm.type == 0, "PidTagEntryId: permanent, with the DN");
    ok((v = find(0x0FF90102u)) && v->v.u.bytes.len == find(0x0FFF0102u)->v.u.bytes.len, "PidTagRecordKey");
    ok((v = find(0x39020102u)) && v->v.u.bytes.len == find(0x0FFF0102u)->v.u.bytes.len, "PidTagTemplateid");
    ok((v = find(0x0FF60102u)) && v->v.u.bytes.len == 4 && mapi_le32(v->v.u.bytes.p) == alice,
       "PidTagInstanceKey: the MId");
    ok((v = find(0x0FF80102u)) && v->v.u.bytes.len == 16 && !memcmp(v->v.u.bytes.p, MAPI_MUID_ADDRBOOK.b, 16),
       "PidTagMappingSignature");
    ok((v = find(0x800F101Fu)) && v->v.u.mv.count == 2, "PidTagAddressBookProxyAddresses: two values");
    if (v && v->v.u.mv.count == 2) {
        char *a = nspi_utf16_to_utf8(&v->v.u.mv.u.e[0].b), *b = nspi_utf16_to_utf8(&v->v.u.mv.u.e[1].b);
        ok(a && b && !strcmp(a, "SMTP:alice@gal.test") && !strcmp(b, "smtp:alice.example@gal.test"),
           "SMTP: for the primary, smtp: for the other");
        free(a);
        free(b);
    }
    ok((v = find(0x300B0102u)) && !strncmp((const char *)v->v.u.bytes.p, "EX:/O=MAPIHTTP/OU=", 18) &&
           v->v.u.bytes.p[v->v.u.bytes.len - 1] == 0, "PidTagSearchKey: EX: + upper-case DN + NUL");
    ok((v = find(0x0FFE0003u)) && v->v.u.i32 == 6, "PidTagObjectType MAPI_MAILUSER");
    ok((v = find(0x39000003u)) && v->v.u.i32 == 0, "PidTagDisplayType DT_MAILUSER");
    ok((v = find(0x3A18000Au)) && v->v.u.i32 == NSPI_NOT_FOUND, "PidTagDepartmentName: PtypErrorCode NotFound");

    is_int(getprops(alice, 2, tags + 4, 1), NSPI_SUCCESS, "GetProps with fEphID");
    ok((v = find(0x0FFF0102u)) && v->v.u.bytes.len == MAPI_AB_EPHEMERAL_SIZE &&
           mapi_ab_ephemeral_parse(v->v.u.bytes.p, v->v.u.bytes.len, &eph) == 0 && eph.mid == alice,
       "fEphID: an ephemeral entry id with the MId");
    is_int(getprops(bob, 0, NULL, 0), NSPI_SUCCESS, "GetProps of every property");
    ok(rsp.u.getprops.values.count >= 16 && find(0x3001001Eu) != NULL,
       "every property, strings as String8 for code page 1252 (%u)", rsp.u.getprops.values.count);
    is_int(getprops(0x424242, 0, tags, 2), NSPI_ERRORS_RETURNED, "GetProps of an unknown MId: ErrorsReturned");
    ok(rsp.u.getprops.values.count == 2 && find(0x3001000Au) && find(0x39FE000Au) &&
           find(0x3001000Au)->v.u.i32 == NSPI_NOT_FOUND, "as an object without values: every tag NotFound");
    is_int(getprops(NSPI_MID_CURRENT, 0, tags, 1), NSPI_ERRORS_RETURNED, "GetProps of MID_CURRENT: not Success");
    getprops(alice, 0, tags, 1);
    req.u.getprops.state.code_page = 4242;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_CODEPAGE, "GetProps with code page 4242: InvalidCodepage");
    req.u.getprops.has_state = 0;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_PARAMETER, "GetProps without STAT: InvalidParameter");
    ok(!rsp.u.getprops.has_values, "no values in an error answer");
}

static void test_proplist_columns(void)
{
    int has_dn8 = 0, has_dnw = 0;
    start(NSPI_GETPROPLIST);
    req.u.getproplist.mid = alice;
    req.u.getproplist.code_page = 1252;
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "GetPropList");
    for (uint32_t i = 0; i < rsp.u.proptags.proptags.count; i++)
        has_dn8 |= rsp.u.proptags.proptags.v[i] == 0x3001001Eu;
    ok(has_dn8 && rsp.u.proptags.proptags.count >= 16, "the user's properties, strings as String8");
    req.u.getproplist.code_page = NSPI_CP_WINUNICODE;
    tn_call(&req, &rsp);
    for (uint32_t i = 0; i < rsp.u.proptags.proptags.count; i++)
        has_dnw |= rsp.u.proptags.proptags.v[i] == 0x3001001Fu;
    ok(has_dnw, "CP_WINUNICODE: strings as PtypString");
    req.u.getproplist.code_page = 37;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_CODEPAGE, "GetPropList with code page 37: InvalidCodepage");
    req.u.getproplist.code_page = 1252;
    req.u.getproplist.mid = 17;
    is_int(tn_call(&req, &rsp), NSPI_NOT_FOUND, "GetPropList of an unknown MId: NotFound");

    start(NSPI_QUERYCOLUMNS);
    req.u.querycolumns.mapi_flags = 0x80000000u;
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "QueryColumns (NspiUnicodeProptypes)");
    has_dnw = 0;
    for (uint32_t i = 0; i < rsp.u.proptags.proptags.count; i++)
        has_dnw |= rsp.u.proptags.proptags.v[i] == 0x3001001Fu;
    ok(has_dnw && rsp.u.proptags.proptags.count > 20, "every known property, Unicode strings");
    req.u.querycolumns.mapi_flags = 0;
    tn_call(&req, &rsp);
    has_dn8 = 0;
    for (uint32_t i = 0; i < rsp.u.proptags.proptags.count; i++)
        has_dn8 |= rsp.u.proptags.proptags.v[i] == 0x3001001Eu;
    ok(has_dn8, "without the flag: String8");
}

static const nspi_tagged_t *row_find(const nspi_proplist_t *l, uint32_t tag)
{
    for (uint32_t i = 0; i < l->count; i++)
        if (l->v[i].tag == tag)
            return &l->v[i];
    return NULL;
}

static void test_specialtable_template(void)
{
    const nspi_tagged_t *v;
    start(NSPI_GETSPECIALTABLE);
    req.u.getspecialtable.flags = 0x4;
    req.u.getspecialtable.has_state = 1;
    tn_stat(&req.u.getspecialtable.state, 0, 0);
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "GetSpecialTable (hierarchy, Unicode)");
    ok(rsp.u.getspecialtable.has_rows && rsp.u.getspecialtable.row_count == 1, "one container: the GAL");
    if (rsp.u.getspecialtable.row_count == 1) {
        const nspi_proplist_t *l = &rsp.u.getspecialtable.rows[0];
        ok((v = row_find(l, 0xFFFD0003u)) && v->v.u.i32 == 0, "PidTagAddressBookContainerId 0");
        ok((v = row_find(l, 0x30050003u)) && v->v.u.i32 == 0, "PidTagDepth 0");
        ok((v = row_find(l, 0x36000003u)) && v->v.u.i32 == 9, "PidTagContainerFlags AB_RECIPIENTS|AB_UNMODIFIABLE");
        ok((v = row_find(l, 0x39000003u)) && v->v.u.i32 == 0x20000, "PidTagDisplayType DT_GLOBAL");
        is_str((v = row_find(l, 0x3001001Fu)) ? tn_str(&v->v, 0) : NULL, "Global Address List", "display name");
        ok(row_find(l, 0x0FFF0102u) != NULL, "PidTagEntryId");
    }
    is_int(rsp.u.getspecialtable.version, 1, "the hierarchy's version");
    req.u.getspecialtable.flags = 0;
    tn_call(&req, &rsp);
    ok(rsp.u.getspecialtable.row_count == 1 && row_find(&rsp.u.getspecialtable.rows[0], 0x3001001Eu),
       "without NspiUnicodeStrings: String8");
    req.u.getspecialtable.has_version = 1;
    req.u.getspecialtable.version = 1;
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "GetSpecialTable with the current version");
    ok(!rsp.u.getspecialtable.has_rows, "no rows when the client's copy is current");
    req.u.getspecialtable.has_version = 0;
    req.u.getspecialtable.flags = 0x2;
    tn_call(&req, &rsp);
    ok(rsp.u.getspecialtable.has_rows && rsp.u.getspecialtable.row_count == 0, "address creation templates: none");
    req.u.getspecialtable.flags = 0;
    req.u.getspecialtable.state.code_page = 999;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_CODEPAGE, "GetSpecialTable with code page 999: InvalidCodepage");

    start(NSPI_GETTEMPLATEINFO);
    req.u.gettemplateinfo.flags = 0x1;
    req.u.gettemplateinfo.code_page = 1252;
    req.u.gettemplateinfo.locale_id = 0x409;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_LOCALE, "GetTemplateInfo: no template to locate, InvalidLocale");
    req.u.gettemplateinfo.code_page = NSPI_CP_WINUNICODE;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_CODEPAGE, "GetTemplateInfo with CP_WINUNICODE: InvalidCodepage");
    req.u.gettemplateinfo.code_page = 5;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_CODEPAGE, "GetTemplateInfo with code page 5: InvalidCodepage");
    req.u.gettemplateinfo.code_page = 1252;
    req.u.gettemplateinfo.locale_id = 0;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_LOCALE, "GetTemplateInfo with locale 0: InvalidLocale");
}

static uint32_t modprops(uint32_t mid, uint32_t tag, const char *cert)
{
    static nspi_tagged_t val;
    static nspi_mv_elem_t el;
    static uint32_t remove_tag;
    start(NSPI_MODPROPS);
    req.u.modprops.has_state = 1;
    tn_stat(&req.u.modprops.state, mid, 0);
    remove_tag = tag;
    req.u.modprops.has_proptags = 1;
    req.u.modprops.proptags.count = 1;
    req.u.modprops.proptags.v = &remove_tag;
    req.u.modprops.has_values = 1;
    req.u.modprops.values.count = 1;
    req.u.modprops.values.v = &val;
    memset(&val, 0, sizeof(val));
    val.tag = tag;
    val.v.type = (uint16_t)(tag & 0xFFFF);
    val.v.present = 1;
    if (val.v.type == NSPI_PT_UNICODE) {
        val.v.u.bytes = tn_w(cert);
    } else {
        el.present = 1;
        el.b.p = (const uint8_t *)cert;
        el.b.len = (uint32_t)strlen(cert);
        val.v.u.mv.count = 1;
        val.v.u.mv.u.e = &el;
    }
    return tn_call(&req, &rsp);
}

static void test_modprops_modlinkatt(void)
{
    uint32_t cert = 0x3A701102u, tag = 0x3A701102u, deleg = 0x80151102u;
    const nspi_tagged_t *v;
    is_int(modprops(alice, cert, "CERTDATA"), NSPI_SUCCESS, "ModProps: Alice sets her own certificate");
    getprops(alice, 0, &tag, 1);
    ok((v = find(cert)) && v->v.u.mv.count == 1 && v->v.u.mv.u.e[0].b.len == 8 &&
           !memcmp(v->v.u.mv.u.e[0].b.p, "CERTDATA", 8), "GetProps reads the certificate back");
    is_int(modprops(bob, cert, "X"), NSPI_ACCESS_DENIED, "ModProps on someone else's entry: AccessDenied");
    is_int(modprops(alice, 0x3001001Fu, "New Name"), NSPI_ACCESS_DENIED, "ModProps of her display name: AccessDenied");
    is_int(modprops(0x1234567, cert, "X"), NSPI_INVALID_PARAMETER, "ModProps of an unknown MId: InvalidParameter");
    is_int(modprops(alice, cert, "X"), NSPI_SUCCESS, "ModProps replaces her certificate");
    req.u.modprops.has_proptags = 0;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_PARAMETER, "ModProps without PropertyTags: InvalidParameter");
    getprops(alice, 0, &tag, 1);
    ok((v = find(cert)) && v->v.u.mv.count == 1 && v->v.u.mv.u.e[0].b.len == 1 && v->v.u.mv.u.e[0].b.p[0] == 'X',
       "the new certificate is there; the refused call changed nothing");
    modprops(alice, cert, "X");
    req.u.modprops.has_values = 1;
    req.u.modprops.has_proptags = 1;
    req.u.modprops.proptags.count = 1;
    req.u.modprops.proptags.v = &tag;
    req.u.modprops.values.count = 0;
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "ModProps removing the certificate");
    is_int(getprops(alice, 0, &tag, 1), NSPI_ERRORS_RETURNED, "the certificate is gone");

    /* ModLinkAtt: public delegates on one's own entry */
    mapi_wr_t eid;
    mapi_ab_entryid_t bid;
    nspi_bytes_t ids[1];
    char *bob_dn = nspi_engine_dn_of(tn_store, TN_PREFIX, "bob@gal.test");
    bid.type = 0;
    bid.dn = bob_dn;
    mapi_wr_init(&eid, 0);
    mapi_ab_entryid_encode(&eid, &bid);
    ids[0].p = eid.p;
    ids[0].len = (uint32_t)eid.len;
    start(NSPI_MODLINKATT);
    req.u.modlinkatt.proptag = 0x8015000Du;
    req.u.modlinkatt.mid = alice;
    req.u.modlinkatt.has_entry_ids = 1;
    req.u.modlinkatt.entry_id_count = 1;
    req.u.modlinkatt.entry_ids = ids;
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "ModLinkAtt: Alice adds Bob as a public delegate");
    getprops(alice, 0, &deleg, 1);
    ok((v = find(deleg)) && v->v.u.mv.count == 1 && v->v.u.mv.u.e[0].b.len == eid.len,
       "her delegates: Bob's permanent entry id");
    start(NSPI_MODLINKATT);
    req.u.modlinkatt.proptag = 0x8015000Du;
    req.u.modlinkatt.mid = alice;
    req.u.modlinkatt.has_entry_ids = 1;
    req.u.modlinkatt.entry_id_count = 1;
    req.u.modlinkatt.entry_ids = ids;
    req.u.modlinkatt.flags = 1;
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "ModLinkAtt fDelete");
    is_int(getprops(alice, 0, &deleg, 1), NSPI_ERRORS_RETURNED, "no delegates left");
    start(NSPI_MODLINKATT);
    req.u.modlinkatt.proptag = 0x8015000Du;
    req.u.modlinkatt.mid = bob;
    req.u.modlinkatt.has_entry_ids = 1;
    req.u.modlinkatt.entry_id_count = 1;
    req.u.modlinkatt.entry_ids = ids;
    is_int(tn_call(&req, &rsp), NSPI_ACCESS_DENIED, "ModLinkAtt on Bob's entry: AccessDenied");
    req.u.modlinkatt.mid = alice;
    req.u.modlinkatt.proptag = 0x8009000Du;
    is_int(tn_call(&req, &rsp), NSPI_ACCESS_DENIED, "ModLinkAtt members of a user: AccessDenied");
    req.u.modlinkatt.proptag = 0x3001001Fu;
    is_int(tn_call(&req, &rsp), NSPI_NOT_FOUND, "ModLinkAtt of a proptag it does not know: NotFound");
    req.u.modlinkatt.proptag = 0x8015000Du;
    req.u.modlinkatt.mid = 0x7654321;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_PARAMETER, "ModLinkAtt of an unknown MId: InvalidParameter");
    req.u.modlinkatt.mid = alice;
    ids[0].len = 10;
    is_int(tn_call(&req, &rsp), NSPI_ACCESS_DENIED, "ModLinkAtt with an entry id it cannot apply: AccessDenied");
    mapi_wr_free(&eid);
    free(bob_dn);
}

static void test_urls(void)
{
    char want[300], *url;
    const uint8_t *b = tn_alice_guid.b;
    snprintf(want, sizeof(want),
             TN_BASE_URL "/mapi/emsmdb/?MailboxId=%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x"
                         "@gal.test",
             b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    start(NSPI_GETMAILBOXURL);
    req.u.geturl.dn = tn_w(alice_dn);
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "GetMailboxUrl");
    url = nspi_utf16_to_utf8(&rsp.u.geturl.url);
    is_str(url, want, "the emsmdb URL of the user's mailbox");
    free(url);
    start(NSPI_GETADDRESSBOOKURL);
    req.u.geturl.dn = tn_w(alice_dn);
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "GetAddressBookUrl");
    url = nspi_utf16_to_utf8(&rsp.u.geturl.url);
    memcpy(strstr(want, "emsmdb"), "nspi/?", 6);
    memmove(strstr(want, "nspi/?") + 6, strstr(want, "nspi/?") + 8, strlen(strstr(want, "nspi/?") + 8) + 1);
    is_str(url, want, "the nspi URL");
    free(url);
    tn_ctx.user = "nobody@GAL.TEST";
    is_int(tn_call(&req, &rsp), NSPI_NOT_FOUND, "GetAddressBookUrl for a user without a mailbox: NotFound");
    tn_ctx.user = "alice@GAL.TEST";
}

/* Every request type: a valid body decodes; every shorter prefix and a
 * body with a trailing byte are invalid bodies. */
static void test_truncated(void)
{
    int all_ok = 1, checked = 0;
    for (int t = 0; t < NSPI_REQ_COUNT; t++) {
        nspi_request_t r;
        mapi_wr_t wr;
        static uint32_t one[1] = {0x3001001Fu};
        memset(&r, 0, sizeof(r));
        r.type = (nspi_req_type_t)t;
        /* the fields every type may carry, set where the struct has them */
        if (t == NSPI_QUERYROWS) {
            r.u.queryrows.has_state = 1;
            r.u.queryrows.has_columns = 1;
            r.u.queryrows.columns.count = 1;
            r.u.queryrows.columns.v = one;
        } else if (t == NSPI_GETPROPS) {
            r.u.getprops.has_state = 1;
            r.u.getprops.has_proptags = 1;
            r.u.getprops.proptags.count = 1;
            r.u.getprops.proptags.v = one;
        } else if (t == NSPI_GETMAILBOXURL || t == NSPI_GETADDRESSBOOKURL) {
            r.u.geturl.dn = tn_w("/o=x");
        }
        mapi_wr_init(&wr, 0);
        if (nspi_request_encode(&r, &wr) != NSPI_OK) {
            all_ok = 0;
            diag("%s did not encode", nspi_req_type_name((nspi_req_type_t)t));
            continue;
        }
        for (size_t cut = 0; cut < wr.len; cut++) {
            checked++;
            if (!tn_invalid(nspi_req_type_name((nspi_req_type_t)t), wr.p, cut)) {
                diag("%s cut at %zu accepted", nspi_req_type_name((nspi_req_type_t)t), cut);
                all_ok = 0;
            }
        }
        mapi_wr_u8(&wr, 0);
        checked++;
        if (!tn_invalid(nspi_req_type_name((nspi_req_type_t)t), wr.p, wr.len)) {
            diag("%s with a trailing byte accepted", nspi_req_type_name((nspi_req_type_t)t));
            all_ok = 0;
        }
        wr.len--;
        if (tn_invalid(nspi_req_type_name((nspi_req_type_t)t), wr.p, wr.len)) {
            diag("%s whole body refused", nspi_req_type_name((nspi_req_type_t)t));
            all_ok = 0;
        }
        mapi_wr_free(&wr);
    }
    ok(all_ok, "all 19 types: %d truncated or padded bodies are invalid, whole ones are not", checked);
}

/* MIds depend on the directory only: the same after a rebuild, and the
 * existing ones stay when a mailbox is added. */
static void test_stability(void)
{
    nspi_engine_flush_cache();
    is_int(nspi_engine_mid_of(tn_store, TN_PREFIX, "alice@gal.test"), alice, "same MId after a cache flush");
    ok(tn_add("Zed Newcomer", "zed@GAL.TEST", "zed@gal.test", NULL, NULL) == 0, "a mailbox added");
    ok(nspi_engine_mid_of(tn_store, TN_PREFIX, "zed@gal.test") != 0, "the new mailbox is in the GAL at once");
    is_int(nspi_engine_mid_of(tn_store, TN_PREFIX, "alice@gal.test"), alice, "Alice's MId did not move");
    is_int(nspi_engine_mid_of(tn_store, TN_PREFIX, "bob@gal.test"), bob, "nor Bob's");
    start(NSPI_UPDATESTAT);
    req.u.updatestat.has_state = 1;
    tn_stat(&req.u.updatestat.state, NSPI_MID_END_OF_TABLE, 0);
    tn_call(&req, &rsp);
    is_int(rsp.u.updatestat.state.total_recs, TN_TOTAL + 1, "TotalRecs counts the new mailbox");
}

/* Valid bodies of every type with random bytes changed, cut or added
 * (fixed seed): the engine never crashes and answers either "invalid
 * body" with nothing written, or a body that decodes with a permitted
 * ErrorCode. */
static void test_mutations(void)
{
    static uint32_t cols[] = {0x3001001Fu, 0x0FFF0102u, 0x800F101Fu, 0x3001001Eu};
    static uint32_t mids[3];
    int bad = 0, answered = 0, refused = 0;
    unsigned seed = 12345;
    mids[0] = alice;
    mids[1] = bob;
    mids[2] = 7;
    for (int t = 0; t < NSPI_REQ_COUNT; t++) {
        nspi_request_t r;
        mapi_wr_t wr;
        memset(&r, 0, sizeof(r));
        r.type = (nspi_req_type_t)t;
        /* richer bodies for the types with STAT, columns and MIds */
        switch (t) {
        case NSPI_QUERYROWS:
            r.u.queryrows.has_state = 1;
            tn_stat(&r.u.queryrows.state, alice, 1);
            r.u.queryrows.row_count = 20;
            r.u.queryrows.has_columns = 1;
            r.u.queryrows.columns.count = 4;
            r.u.queryrows.columns.v = cols;
            break;
        case NSPI_GETPROPS:
            r.u.getprops.has_state = 1;
            tn_stat(&r.u.getprops.state, bob, 0);
            r.u.getprops.has_proptags = 1;
            r.u.getprops.proptags.count = 4;
            r.u.getprops.proptags.v = cols;
            break;
        case NSPI_RESORTRESTRICTION:
            r.u.resortrestriction.has_state = 1;
            tn_stat(&r.u.resortrestriction.state, 0, 0);
            r.u.resortrestriction.has_mids = 1;
            r.u.resortrestriction.mids.count = 3;
            r.u.resortrestriction.mids.v = mids;
            break;
        case NSPI_UPDATESTAT:
            r.u.updatestat.has_state = 1;
            tn_stat(&r.u.updatestat.state, bob, -1);
            r.u.updatestat.delta_requested = 1;
            break;
        case NSPI_SEEKENTRIES:
            r.u.seekentries.has_state = 1;
            tn_stat(&r.u.seekentries.state, 0, 0);
            r.u.seekentries.has_target = 1;
            r.u.seekentries.target.tag = 0x3001001Fu;
            r.u.seekentries.target.v.type = NSPI_PT_UNICODE;
            r.u.seekentries.target.v.present = 1;
            r.u.seekentries.target.v.u.bytes = tn_w("Bo");
            r.u.seekentries.has_columns = 1;
            r.u.seekentries.columns.count = 4;
            r.u.seekentries.columns.v = cols;
            break;
        case NSPI_GETMAILBOXURL:
        case NSPI_GETADDRESSBOOKURL:
            r.u.geturl.dn = tn_w(alice_dn);
            break;
        default:
            break;
        }
        mapi_wr_init(&wr, 0);
        if (nspi_request_encode(&r, &wr) != NSPI_OK) {
            bad++;
            continue;
        }
        for (int round = 0; round < 400; round++) {
            uint8_t buf[512];
            size_t len = wr.len < sizeof(buf) ? wr.len : sizeof(buf);
            memcpy(buf, wr.p, len);
            int edits = 1 + (int)(rand_r(&seed) % 4);
            for (int k = 0; k < edits && len; k++) {
                unsigned op = (unsigned)rand_r(&seed) % 8, at = (unsigned)rand_r(&seed) % (unsigned)len;
                if (op < 5)
                    buf[at] = (uint8_t)rand_r(&seed);
                else if (op == 5)
                    buf[at] = 0xFF;
                else if (op == 6)
                    len = at;
                else if (len < sizeof(buf))
                    buf[len++] = (uint8_t)rand_r(&seed);
            }
            mapi_wr_t out;
            nspi_engine_result_t res;
            nspi_response_t decoded;
            mapi_wr_init(&out, 0);
            nspi_engine_handle(&tn_ctx, nspi_req_type_name((nspi_req_type_t)t), buf, len, &out, &res);
            if (res.invalid_body) {
                refused++;
                bad += out.len != 0;
            } else {
                answered++;
                if (nspi_response_decode((nspi_req_type_t)t, out.p, out.len, &decoded, &tn_arena) != NSPI_OK ||
                    !nspi_error_permitted(decoded.error_code) || decoded.error_code != res.error_code) {
                    if (bad++ < 5)
                        diag("%s: answer 0x%08X does not decode or is not permitted",
                             nspi_req_type_name((nspi_req_type_t)t), res.error_code);
                }
            }
            mapi_wr_free(&out);
        }
        mapi_wr_free(&wr);
        nspi_arena_free(&tn_arena);
    }
    ok(!bad, "7,600 mutated bodies: %d answered with permitted codes, %d refused as invalid", answered, refused);
    ok(answered > 500 && refused > 500, "both outcomes occur");
}

int main(void)
{
    if (tn_setup("names") || tn_populate()) {
        ok(0, "test store");
        return done_testing();
    }
    alice = nspi_engine_mid_of(tn_store, TN_PREFIX, "alice@gal.test");
    bob = nspi_engine_mid_of(tn_store, TN_PREFIX, "bob@gal.test");
    alice_dn = nspi_engine_dn_of(tn_store, TN_PREFIX, "alice@gal.test");
    ok(alice && bob && alice_dn, "Alice's and Bob's MIds and DN");
    if (!alice_dn)
        return done_testing();
    test_resolvenames();
    test_dntomid();
    test_getprops();
    test_proplist_columns();
    test_specialtable_template();
    test_modprops_modlinkatt();
    test_urls();
    test_truncated();
    test_mutations();
    test_stability();
    free(alice_dn);
    tn_teardown();
    return done_testing();
}
