#!/bin/bash
# What `meson install` puts on a tap server: the binary, which runs; the
# example configs, which it accepts, under the documents (an operator's own
# config is never written over); and the systemd units, whose programs,
# config path and documents are where this install put them.
. "$(dirname "$0")/lib.sh"
: "${BUILD_ROOT:?}"
step "meson install into a staging root"
meson install -C "$BUILD_ROOT" --no-rebuild --quiet --destdir "$WORK/root" > "$WORK/install.log" 2>&1 ||
	{ cat "$WORK/install.log"; die "meson install failed"; }
bin=$(find "$WORK/root" -path '*/bin/v6share' -type f)
[ -n "$bin" ] && [ -x "$bin" ] || die "no v6share binary installed"
prefix=${bin%/bin/v6share}
prefix=${prefix#"$WORK/root"}
"$bin" --version > "$WORK/version" || die "the installed binary does not run"
echo "ok: $(cat "$WORK/version") in $prefix/bin"
[ -z "$(find "$WORK/root" -name '*.conf' -path '*/etc/*')" ] || die "install wrote a config under etc"

step "the example configs are installed as documents, and taken"
for c in v6share.conf v6share-live.conf; do
	f="$WORK/root$prefix/share/doc/v6share/examples/$c"
	[ -f "$f" ] || die "no example $c"
	"$bin" --check-config "$f" > /dev/null || die "the installed example $c is refused"
done
for d in README.md LICENSE v6share.summary.v1.schema.json; do
	[ -f "$WORK/root$prefix/share/doc/v6share/$d" ] || die "no $d in the documents"
done
echo "ok: examples and documents"

step "the systemd units point at this install"
for u in v6share.service v6share-pcap@.service; do
	f="$WORK/root$prefix/lib/systemd/system/$u"
	[ -f "$f" ] || die "no unit $u"
	grep -q '@[A-Z]*@' "$f" && die "$u still has a placeholder"
	exec_line=$(grep '^ExecStart=' "$f")
	prog=${exec_line#ExecStart=}
	prog=${prog%% *}
	[ "$prog" = "$prefix/bin/v6share" ] || die "$u runs $prog, not $prefix/bin/v6share"
	conf=$(echo "$exec_line" | sed -n 's/.*--config \([^ ]*\).*/\1/p')
	case "$conf" in */v6share/v6share.conf) ;; *) die "$u reads the config from '$conf'" ;; esac
	doc=$(sed -n 's|^Documentation=file://||p' "$f")
	[ -z "$doc" ] || [ -f "$WORK/root$doc" ] || die "$u documents itself with $doc, which is not installed"
	echo "ok: $u runs $prog --config $conf"
done
