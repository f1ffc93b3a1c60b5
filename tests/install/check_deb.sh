#!/usr/bin/env bash
# check_deb.sh BUILD_DIR SOURCE_DIR
#
# `cpack -G DEB` of the build into a temporary folder, then, without installing it:
#   - the package is named perfgate, with the project's version;
#   - its Depends name fonts-dejavu-core and, for every shared library the binary needs
#     (ldd), the Debian package that holds it (dpkg -S);
#   - it holds the binary, the manual page, the bash completion and the default templates;
#   - unpacked (dpkg-deb -x), its binary runs the check job of a fixture and writes the same
#     report as the build tree's.
# .ci/run also installs the package with dpkg -i and runs the installed perfgate.
# Needs cpack, dpkg-deb, dpkg-shlibdeps (dpkg-dev) and ldd; exits 77 (skipped) without them.
set -u
build=$1 src=$2
. "$(dirname "$0")/../docs/checks.sh"
need_tools cpack dpkg-deb dpkg-shlibdeps dpkg ldd objdump

(cd "$build" && cpack -G DEB -B "$tmp/pkg" > "$tmp/cpack.log" 2>&1) ||
	{ echo "FAIL cpack: $(tail -5 "$tmp/cpack.log")"; exit 1; }
deb=$(ls "$tmp"/pkg/perfgate_*.deb 2> /dev/null | head -1)
[ -n "$deb" ] || { echo "FAIL no perfgate_*.deb in $(ls "$tmp/pkg")"; exit 1; }
echo "package: $(basename "$deb")"

version=$("$build/perfgate" --version | awk '{print $2}')
check
[ "$(dpkg-deb -f "$deb" Package)" = perfgate ] || problem "the package is not named perfgate"
check
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] ||
	problem "version $(dpkg-deb -f "$deb" Version), the binary says $version"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# the package names of Depends, one a line
echo "$depends" | tr ',' '\n' | sed -E 's/^ +//; s/[ (|].*//' | sort -u > "$tmp/depends"
check
grep -qx fonts-dejavu-core "$tmp/depends" || problem "Depends lacks fonts-dejavu-core"
# every NEEDED library of the binary (not the transitive ones ldd also lists)
for lib in $(objdump -p "$build/perfgate" 2> /dev/null | awk '/NEEDED/ {print $2}'); do
	check
	path=$(ldd "$build/perfgate" | awk -v l="$lib" '$1 == l {print $3}')
	[ -n "$path" ] || { problem "ldd does not resolve $lib"; continue; }
	owner=$(dpkg -S "$(readlink -f "$path")" 2> /dev/null | head -1 | cut -d: -f1)
	[ -n "$owner" ] || owner=$(dpkg -S "$path" 2> /dev/null | head -1 | cut -d: -f1)
	[ -n "$owner" ] || { problem "no Debian package holds $lib ($path)"; continue; }
	grep -qx "$owner" "$tmp/depends" || problem "$lib is in $owner, which Depends does not name"
done

dpkg-deb -c "$deb" | awk '{print $NF}' > "$tmp/contents"
for f in ./usr/bin/perfgate ./usr/share/man/man1/perfgate.1 \
	./usr/share/bash-completion/completions/perfgate \
	./usr/share/perfgate/templates/report.md.mustache ./usr/share/doc/perfgate/LICENSE; do
	check
	grep -qxF "$f" "$tmp/contents" || problem "the package does not hold $f"
done

dpkg-deb -x "$deb" "$tmp/root"
input=$src/fixtures/k6/mixed-stages/out.json
for which in "$build/perfgate" "$tmp/root/usr/bin/perfgate"; do
	out=$tmp/out-$(echo "$which" | md5sum | cut -c1-8)
	mkdir -p "$out"
	"$which" check -b "$src/fixtures/budgets/release.json" --markdown "$out/report.md" "$input" \
		> /dev/null 2> "$out/stderr"
	echo $? > "$out/exit"
	echo "$out" >> "$tmp/outs"
done
first=$(sed -n 1p "$tmp/outs") second=$(sed -n 2p "$tmp/outs")
check
[ "$(cat "$second/exit")" = 0 ] ||
	problem "the packaged binary's check exited $(cat "$second/exit"): $(head -2 "$second/stderr")"
check
cmp -s "$first/report.md" "$second/report.md" || problem "the packaged binary's report differs"
finish
