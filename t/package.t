#!/bin/bash
# Builds the Debian package from the committed tree, installs it, enables the
# module with a2enmod and checks Apache's configuration, then removes it.
# Runs when MH_PACKAGE_TEST=1 (CI sets it) and as root: it changes the system.
set -u
N=0 FAIL=0
ok() { N=$((N + 1)); if [ "$1" -eq 0 ]; then echo "ok $N - $2"; else FAIL=$((FAIL + 1)); echo "not ok $N - $2"; fi; }
if [ "${MH_PACKAGE_TEST:-0}" != 1 ] || [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP set MH_PACKAGE_TEST=1 and run as root (installs a package)"
    exit 0
fi
SRC=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/mapihttp-pkg.XXXXXX)
trap 'rm -rf "$W"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends debhelper dpkg-dev fakeroot > "$W/apt.log" 2>&1
ok $? "build tools installed (debhelper, dpkg-dev)"
mkdir "$W/src"
git -C "$SRC" archive HEAD | tar -x -C "$W/src"
(cd "$W/src" && dpkg-buildpackage -us -uc -b > "$W/build.log" 2>&1)
st=$?
ok $st "dpkg-buildpackage builds libapache2-mod-mapihttp"
[ $st -ne 0 ] && tail -n 30 "$W/build.log" | sed 's/^/# /'
deb=$(ls "$W"/libapache2-mod-mapihttp_*.deb 2>/dev/null | head -n 1)
contents=$(dpkg -c "$deb" 2>/dev/null | awk '{print $6}')
for f in ./usr/lib/apache2/modules/mod_mapihttp.so ./etc/apache2/mods-available/mapihttp.load \
    ./etc/apache2/mods-available/mapihttp.conf ./usr/bin/mapistore; do
    echo "$contents" | grep -qx "$f"
    ok $? "the package holds $f"
done
dpkg -i "$deb" > "$W/install.log" 2>&1
ok $? "dpkg -i installs it"
a2enmod -q ssl auth_gssapi mapihttp > "$W/a2enmod.log" 2>&1
ok $? "a2enmod ssl auth_gssapi mapihttp"
apache2ctl -M 2>/dev/null | grep -q mapihttp_module
ok $? "apache2ctl -M lists mapihttp_module"
apache2ctl -t > "$W/configtest.log" 2>&1
ok $? "apache2ctl configtest passes with the module enabled"
mapistore --help > /dev/null 2>&1
ok $? "mapistore is on the PATH"
a2dismod -q mapihttp > /dev/null 2>&1
dpkg -r libapache2-mod-mapihttp > "$W/remove.log" 2>&1
ok $? "dpkg -r removes it"
echo "1..$N"
[ $FAIL -eq 0 ]
