#!/bin/bash
# POX Autodiscover ([MS-OXDSCLI] 2.2.3 request, 2.2.4 response, 2.2.4.1.1.3
# errors) through Apache with TLS and Kerberos: the mapiHttp Protocol block
# with MailStore/AddressBook URLs only with X-MapiHttpCapability, and the
# error answers for bad XML, unknown and foreign addresses, other schemas.
source "$MH_TEST_ENV"
source "$MH_SRCDIR/t/harness/tap.sh"

AD_PATH=/autodiscover/autodiscover.xml
NS_REQ=http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006
NS_RSP=http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006
NS_OUT=http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a

# ad_post AUTH PATH [curl args...]: POST the body given with --data-binary;
# headers in $T_TMP/h, body in $T_TMP/b; prints the HTTP status.
ad_post() {
    local auth=$1 path=$2
    shift 2
    local args=(-sS -o "$T_TMP/b" -D "$T_TMP/h" -w '%{http_code}' --cacert "$MH_CACERT" -X POST
        -H "Content-Type: text/xml; charset=utf-8")
    case "$auth" in
    none) ;;
    basic:*) args+=(-u "${auth#basic:}") ;;
    *)
        local ccvar="MH_CCACHE_$auth"
        args+=(--negotiate -u :)
        export KRB5CCNAME="${!ccvar}"
        ;;
    esac
    curl "${args[@]}" "$@" "$MH_BASE_URL$path"
}
request_xml() { # request_xml EMAIL [SCHEMA]
    printf '<?xml version="1.0" encoding="utf-8"?>\r\n<Autodiscover xmlns="%s"><Request><EMailAddress>%s</EMailAddress><AcceptableResponseSchema>%s</AcceptableResponseSchema></Request></Autodiscover>\r\n' \
        "$NS_REQ" "$1" "${2:-$NS_OUT}"
}
# The response as "path<TAB>text" lines ({ns} kept on every element) and
# "path/@attr<TAB>value" lines, via a real XML parser; "PARSE-ERROR" if none.
flatten() {
    python3 - "$T_TMP/b" <<'PY'
import signal, sys, xml.etree.ElementTree as ET
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception as e:
    print("PARSE-ERROR\t%s" % e); sys.exit(0)
def walk(e, path):
    p = path + "/" + e.tag
    print("%s\t%s" % (p, (e.text or "").strip()))
    for k, v in sorted(e.attrib.items()):
        print("%s/@%s\t%s" % (p, k, v))
    for c in e:
        walk(c, p)
walk(root, "")
PY
}
A="{$NS_RSP}Autodiscover/{$NS_OUT}Response"
# val PATH: the text of the element at PATH (A-relative when it starts with ./)
val() { flatten | awk -F'\t' -v p="${1/#.\//$A/}" '$1 == "/" p { print $2; exit }'; }
count() { flatten | awk -F'\t' -v p="${1/#.\//$A/}" '$1 == "/" p { n++ } END { print n + 0 }'; }
err_code() { flatten | awk -F'\t' -v p="/{$NS_RSP}Autodiscover/{$NS_RSP}Response/{$NS_RSP}Error/{$NS_RSP}ErrorCode" '$1 == p { print $2; exit }'; }

st=$(request_xml "alice@$MH_DOMAIN" | ad_post alice $AD_PATH --data-binary @-)
if [ "$st" = 404 ]; then
    t_skip_all "no autodiscover Location in the test Apache config (Include autodiscover.conf missing)"
fi

guid_a=$(echo "$MH_MAILBOX_alice" | tr 'A-F' 'a-f')
guid_b=$(echo "$MH_MAILBOX_bob" | tr 'A-F' 'a-f')
mbx_id="$guid_a@$MH_DOMAIN"

# ---- positive, with X-MapiHttpCapability --------------------------------
st=$(request_xml "alice@$MH_DOMAIN" | ad_post alice $AD_PATH --data-binary @- -H 'X-MapiHttpCapability: 1')
t_is "$st" 200 "[$MH_MPM] own address with X-MapiHttpCapability: HTTP 200"
t_like "$(hdr Content-Type)" '^text/xml' "Content-Type text/xml"
t_is "$(flatten | head -n 1 | cut -f1)" "/{$NS_RSP}Autodiscover" "root is Autodiscover in the responseschema/2006 namespace"
t_is "$(count "./{$NS_OUT}User")" 1 "Response (outlook 2006a namespace) has one User"
t_is "$(val "./{$NS_OUT}User/{$NS_OUT}DisplayName")" "Alice Anders" "User/DisplayName is the mailbox's display name"
t_like "$(val "./{$NS_OUT}User/{$NS_OUT}LegacyDN")" '^/o=.*/cn=Recipients/cn=alice$' "User/LegacyDN is the mailbox's legacyExchangeDN"
t_is "$(val "./{$NS_OUT}User/{$NS_OUT}AutoDiscoverSMTPAddress")" "alice@$MH_DOMAIN" "User/AutoDiscoverSMTPAddress"
t_like "$(val "./{$NS_OUT}User/{$NS_OUT}DeploymentId")" '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' \
    "User/DeploymentId is a GUID"
t_is "$(val "./{$NS_OUT}Account/{$NS_OUT}AccountType")" email "Account/AccountType email"
t_is "$(val "./{$NS_OUT}Account/{$NS_OUT}Action")" settings "Account/Action settings"
P="./{$NS_OUT}Account/{$NS_OUT}Protocol"
t_is "$(count "$P")" 1 "one Protocol element"
t_is "$(val "$P/@Type")" mapiHttp "Protocol Type=\"mapiHttp\" (attribute)"
t_is "$(val "$P/@Version")" 1 "Protocol Version=\"1\" (not above X-MapiHttpCapability)"
base_re="^https://localhost:$MH_PORT"
t_is "$(val "$P/{$NS_OUT}MailStore/{$NS_OUT}InternalUrl")" "$MH_BASE_URL/mapi/emsmdb/?MailboxId=$mbx_id" \
    "MailStore/InternalUrl is the emsmdb URL with MailboxId=<alice's GUID>@<domain>"
t_is "$(val "$P/{$NS_OUT}MailStore/{$NS_OUT}ExternalUrl")" "$MH_BASE_URL/mapi/emsmdb/?MailboxId=$mbx_id" \
    "MailStore/ExternalUrl (no MapiHttpExternalUrl: the same as internal)"
t_is "$(val "$P/{$NS_OUT}AddressBook/{$NS_OUT}InternalUrl")" "$MH_BASE_URL/mapi/nspi/?MailboxId=$mbx_id" \
    "AddressBook/InternalUrl is the nspi URL"
t_is "$(val "$P/{$NS_OUT}AddressBook/{$NS_OUT}ExternalUrl")" "$MH_BASE_URL/mapi/nspi/?MailboxId=$mbx_id" \
    "AddressBook/ExternalUrl"
t_like "$(val "$P/{$NS_OUT}MailStore/{$NS_OUT}InternalUrl")" "$base_re" "URL built from the Host the client used"
# every element name is one the schema defines (nothing misspelled)
unknown=$(flatten | cut -f1 | sed 's/{[^}]*}//g' | tr '/' '\n' | grep -v -e '^@' -e '^$' | sort -u |
    grep -vxE 'Autodiscover|Response|User|DisplayName|LegacyDN|AutoDiscoverSMTPAddress|DeploymentId|Account|AccountType|Action|Protocol|MailStore|AddressBook|InternalUrl|ExternalUrl')
t_is "$unknown" "" "no element outside the POX schema's names"

# the URL autodiscover gave really opens alice's mailbox (PING on it)
url=$(val "$P/{$NS_OUT}MailStore/{$NS_OUT}InternalUrl")
st=$(mh_post alice "${url#$MH_BASE_URL}" PING --data-binary '')
t_is "$st/$(hdr X-ResponseCode)" 200/0 "the MailStore URL answers PING"

# a higher capability still gets Version 1; a secondary spelling of the
# address (upper case) finds the same mailbox
st=$(request_xml "ALICE@$(echo "$MH_DOMAIN" | tr a-z A-Z)" | ad_post alice $AD_PATH --data-binary @- -H 'X-MapiHttpCapability: 7')
t_is "$st/$(val "$P/@Version")" 200/1 "X-MapiHttpCapability 7: Version 1, the highest this server speaks"
t_is "$(val "./{$NS_OUT}User/{$NS_OUT}AutoDiscoverSMTPAddress")" "alice@$MH_DOMAIN" "address matched without case"

# Basic over TLS works the same
st=$(request_xml "bob@$MH_DOMAIN" | ad_post "basic:bob:$MH_PASSWORD_bob" $AD_PATH --data-binary @- -H 'X-MapiHttpCapability: 1')
t_is "$st/$(val "$P/@Type")" 200/mapiHttp "bob with Basic gets his own mapiHttp settings"
t_like "$(val "$P/{$NS_OUT}AddressBook/{$NS_OUT}ExternalUrl")" "MailboxId=$guid_b@$MH_DOMAIN\$" "bob's URLs carry bob's GUID"

# the request may name the mailbox by LegacyDN instead of EMailAddress
request_xml "alice@$MH_DOMAIN" | ad_post alice $AD_PATH --data-binary @- > /dev/null
dn_a=$(val "./{$NS_OUT}User/{$NS_OUT}LegacyDN")
dn_req() { printf '<Autodiscover xmlns="%s"><Request><LegacyDN>%s</LegacyDN><AcceptableResponseSchema>%s</AcceptableResponseSchema></Request></Autodiscover>' "$NS_REQ" "$1" "$NS_OUT"; }
st=$(dn_req "$dn_a" | ad_post alice $AD_PATH --data-binary @- -H 'X-MapiHttpCapability: 1')
t_is "$st/$(val "./{$NS_OUT}User/{$NS_OUT}AutoDiscoverSMTPAddress")/$(val "$P/@Type")" "200/alice@$MH_DOMAIN/mapiHttp" \
    "a request with LegacyDN instead of EMailAddress gets the same settings"
t_is "$(val "$P/{$NS_OUT}MailStore/{$NS_OUT}InternalUrl")" "$MH_BASE_URL/mapi/emsmdb/?MailboxId=$mbx_id" "... and the same MailStore URL"
st=$(dn_req "${dn_a%alice}bob" | ad_post alice $AD_PATH --data-binary @- -H 'X-MapiHttpCapability: 1')
t_is "$st/$(err_code)" 200/500 "bob's LegacyDN asked by alice: ErrorCode 500"
st=$(dn_req "${dn_a%alice}nobody" | ad_post alice $AD_PATH --data-binary @- -H 'X-MapiHttpCapability: 1')
t_is "$st/$(err_code)" 200/500 "an unknown LegacyDN: ErrorCode 500"
st=$(dn_req "not-a-dn" | ad_post alice $AD_PATH --data-binary @- -H 'X-MapiHttpCapability: 1')
t_is "$st/$(err_code)" 200/600 "a LegacyDN that is no DN: ErrorCode 600"

# ---- without the header: no mapiHttp block ------------------------------
for capval in '' '0' 'abc' '-1'; do
    if [ -z "$capval" ]; then
        st=$(request_xml "alice@$MH_DOMAIN" | ad_post alice $AD_PATH --data-binary @-)
        what="no X-MapiHttpCapability"
    else
        st=$(request_xml "alice@$MH_DOMAIN" | ad_post alice $AD_PATH --data-binary @- -H "X-MapiHttpCapability: $capval")
        what="X-MapiHttpCapability '$capval'"
    fi
    t_is "$st/$(count "$P")" 200/0 "$what: settings without a Protocol element"
done
t_is "$(val "./{$NS_OUT}User/{$NS_OUT}AutoDiscoverSMTPAddress")" "alice@$MH_DOMAIN" "... but still User and Account"
t_is "$(grep -c 'mapi/emsmdb' "$T_TMP/b")" 0 "... and no MAPI/HTTP URL anywhere"

# MapiHttpEnabled Off (only when the test config has that Location)
st=$(request_xml "alice@$MH_DOMAIN" | ad_post alice /autodiscover-off/autodiscover.xml --data-binary @- -H 'X-MapiHttpCapability: 1')
if [ "$st" = 404 ]; then
    t_diag "no /autodiscover-off Location in the test config: MapiHttpEnabled Off case not run"
else
    t_is "$st/$(count "$P")" 200/0 "MapiHttpEnabled Off: no mapiHttp Protocol even with the header"
    t_is "$(val "./{$NS_OUT}Account/{$NS_OUT}Action")" settings "MapiHttpEnabled Off: Account still there"
fi

# ---- errors ([MS-OXDSCLI] 2.2.4.1.1.3) ---------------------------------
check_err() { # check_err CODE NAME
    t_is "$st/$(err_code)" "200/$1" "$2: HTTP 200, ErrorCode $1"
    t_like "$(val "{$NS_RSP}Autodiscover/{$NS_RSP}Response/{$NS_RSP}Error/@Time")" '^[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$' \
        "$2: Error has a Time attribute"
    t_is "$(grep -c 'MailboxId' "$T_TMP/b")" 0 "$2: no URL leaks"
}
bad() { # bad NAME BODY: a malformed request must give ErrorCode 600
    st=$(printf '%s' "$2" | ad_post alice $AD_PATH --data-binary @- -H 'X-MapiHttpCapability: 1')
    check_err 600 "$1"
}
E="<EMailAddress>alice@$MH_DOMAIN</EMailAddress>"
S="<AcceptableResponseSchema>$NS_OUT</AcceptableResponseSchema>"
bad "empty body" ''
bad "not XML" 'hello world'
bad "unclosed root" "<Autodiscover xmlns=\"$NS_REQ\"><Request>$E$S</Request>"
bad "mismatched end tag" "<Autodiscover xmlns=\"$NS_REQ\"><Request>$E$S</Requst></Autodiscover>"
bad "wrong root element" "<Autodiscovery><Request>$E$S</Request></Autodiscovery>"
bad "EMailAddress (and LegacyDN) missing" "<Autodiscover xmlns=\"$NS_REQ\"><Request>$S</Request></Autodiscover>"
bad "AcceptableResponseSchema missing" "<Autodiscover xmlns=\"$NS_REQ\"><Request>$E</Request></Autodiscover>"
bad "EMailAddress twice" "<Autodiscover xmlns=\"$NS_REQ\"><Request>$E$E$S</Request></Autodiscover>"
bad "DOCTYPE with an entity (XXE/billion laughs)" "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"alice@$MH_DOMAIN\">]><Autodiscover><Request><EMailAddress>&x;</EMailAddress>$S</Request></Autodiscover>"
bad "undefined entity" "<Autodiscover><Request><EMailAddress>&x;</EMailAddress>$S</Request></Autodiscover>"
bad "unquoted attribute" "<Autodiscover xmlns=$NS_REQ><Request>$E$S</Request></Autodiscover>"
bad "text after the root" "<Autodiscover><Request>$E$S</Request></Autodiscover>trailing"
bad "second root" "<Autodiscover><Request>$E$S</Request></Autodiscover><Autodiscover/>"
bad "deep nesting" "<Autodiscover><Request>$E$S$(printf '<a>%.0s' $(seq 1 40))$(printf '</a>%.0s' $(seq 1 40))</Request></Autodiscover>"
bad "over-long address" "<Autodiscover><Request><EMailAddress>$(head -c 2000 /dev/zero | tr '\0' a)@$MH_DOMAIN</EMailAddress>$S</Request></Autodiscover>"
bad "an address without @" "<Autodiscover><Request><EMailAddress>alice</EMailAddress>$S</Request></Autodiscover>"
bad "an element inside EMailAddress" "<Autodiscover><Request><EMailAddress><b>alice@$MH_DOMAIN</b></EMailAddress>$S</Request></Autodiscover>"
st=$(printf 'abc\0<Autodiscover/>' | ad_post alice $AD_PATH --data-binary @-)
check_err 600 "a NUL byte"

# well-formed variants a real client may send are accepted
st=$(printf '\xEF\xBB\xBF<?xml version="1.0"?>\n<!-- c --><a:Autodiscover xmlns:a="%s">\n <a:Request>\n  <a:EMailAddress> alice&#64;%s </a:EMailAddress>\n  <a:AcceptableResponseSchema><![CDATA[%s]]></a:AcceptableResponseSchema>\n </a:Request>\n</a:Autodiscover>\n' \
    "$NS_REQ" "$MH_DOMAIN" "$NS_OUT" | ad_post alice $AD_PATH --data-binary @- -H 'X-MapiHttpCapability: 1')
t_is "$st/$(val "$P/@Type")" 200/mapiHttp "BOM, comment, prefixes, character reference, CDATA and blanks are accepted"

st=$(request_xml "alice@$MH_DOMAIN" | ad_post alice $AD_PATH -X GET)
check_err 600 "GET instead of POST"

st=$(request_xml "nobody@$MH_DOMAIN" | ad_post alice $AD_PATH --data-binary @- -H 'X-MapiHttpCapability: 1')
check_err 500 "unknown address"
unknown_msg=$(val "{$NS_RSP}Autodiscover/{$NS_RSP}Response/{$NS_RSP}Error/{$NS_RSP}Message")
t_like "$unknown_msg" 'cannot be found' "unknown address: Message says it cannot be found"

st=$(request_xml "bob@$MH_DOMAIN" | ad_post alice $AD_PATH --data-binary @- -H 'X-MapiHttpCapability: 1')
check_err 500 "bob's address asked by alice"
t_is "$(val "{$NS_RSP}Autodiscover/{$NS_RSP}Response/{$NS_RSP}Error/{$NS_RSP}Message")" "$unknown_msg" \
    "bob's address: the same answer as an unknown one (no existence leak)"
t_is "$(grep -ci -e "$guid_b" -e 'Bob Berg' "$T_TMP/b")" 0 "bob's GUID and name do not appear"

st=$(request_xml "alice@$MH_DOMAIN" "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006" |
    ad_post alice $AD_PATH --data-binary @- -H 'X-MapiHttpCapability: 1')
check_err 601 "mobilesync response schema"

# Redirect where configured (MAPIHTTP_AUTODISCOVER_REDIRECT_URL on the
# Location; only when the test config has /autodiscover-redirect)
st=$(request_xml "nobody@$MH_DOMAIN" | ad_post alice /autodiscover-redirect/autodiscover.xml --data-binary @- -H 'X-MapiHttpCapability: 1')
if [ "$st" = 404 ]; then
    t_diag "no /autodiscover-redirect Location in the test config: redirect case not run"
else
    t_is "$st/$(val "./{$NS_OUT}Account/{$NS_OUT}Action")" 200/redirectUrl "redirect configured: an unknown address gets Action redirectUrl"
    t_like "$(val "./{$NS_OUT}Account/{$NS_OUT}RedirectUrl")" '^https://[^/]+/autodiscover/autodiscover\.xml$' "... and the configured RedirectUrl"
    t_is "$(count "$P")" 0 "... and no Protocol"
    st=$(request_xml "alice@$MH_DOMAIN" | ad_post alice /autodiscover-redirect/autodiscover.xml --data-binary @- -H 'X-MapiHttpCapability: 1')
    t_is "$st/$(val "./{$NS_OUT}Account/{$NS_OUT}Action")/$(val "$P/@Type")" 200/settings/mapiHttp "redirect configured: the own address still gets its settings"
fi

# ---- limits and authentication ---------------------------------------------
st=$(head -c $((1024 * 1024)) /dev/zero | tr '\0' ' ' | ad_post alice $AD_PATH --data-binary @-)
t_is "$st" 413 "a 1 MiB body is refused with 413 before it is parsed"
st=$( { printf '<Autodiscover><Request>'; head -c 200000 /dev/zero | tr '\0' ' '; printf '</Request></Autodiscover>'; } |
    ad_post alice $AD_PATH -H 'Transfer-Encoding: chunked' --data-binary @-)
t_is "$st" 413 "a chunked body over the limit is refused with 413"
st=$(request_xml "alice@$MH_DOMAIN" | ad_post none $AD_PATH --data-binary @-)
t_is "$st" 401 "no credentials: 401"

mh_no_crash
t_ok $? "no child crashed (error log)"
t_like "$(grep -c 'MH00705' "$MH_ERROR_LOG")" '^[1-9][0-9]*$' "the foreign-address refusal is logged with its tag"
t_done
