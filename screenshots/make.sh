#!/bin/sh
# make.sh regenerates the README's screenshots (PNG and SVG) from the real
# konto binary running `konto --demo` in a pseudo-terminal. The demo's
# clock is fixed (--now) and konto sees an empty home, so the images only
# change when the UI does.
#
#   screenshots/make.sh                 all images, written beside this script
#   screenshots/make.sh help small      only the named ones
#   screenshots/make.sh --privacy [...] the masked set (privacy = true in the
#                                       config): NAME-privacy.png and .svg
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now=2026-11-27T16:00:00+01:00
suffix=
mkdir -p "$tmp/home/config/konto"
: >"$tmp/home/config/konto/config.toml"
if [ "${1:-}" = "--privacy" ]; then
	shift
	suffix=-privacy
	echo 'privacy = true' >"$tmp/home/config/konto/config.toml"
fi

(cd "$here/.." && go build -o "$tmp/konto" .)
(cd "$here" && go build -o "$tmp/shot" .)

shot() { # name size script [konto arguments]
	env -u NO_COLOR -u KONTO_SANDBOX_NOW HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/config" \
		XDG_CACHE_HOME="$tmp/home/cache" XDG_DATA_HOME="$tmp/home/data" DBUS_SESSION_BUS_ADDRESS=disabled: \
		TZ=Europe/Berlin "$tmp/shot" -bin "$tmp/konto" -args "${4:---demo} --now $now" -size "$2" -script "$3" -out "$here/$1$suffix"
	echo "wrote $1$suffix.png $1$suffix.svg ($2)"
}

want() { [ -z "$names" ] && return 0; for n in $names; do [ "$n" = "$1" ] && return 0; done; return 1; }
names="$*"

ready='wait bookings; wait quit'
want dashboard && shot dashboard 120x40 "$ready"
want details && shot details 80x24 "$ready; key j enter; wait Counterparty"
want filter && shot filter 120x40 "$ready; key /; type finanzamt; key enter; wait matches"
want help && shot help 120x40 "$ready; key ?; sleep 300ms"
want small && shot small 80x24 "$ready"
want stacked && shot stacked 120x40 "$ready; key j j j" "--demo --layout stacked"
want reports && shot reports 120x40 "$ready; key 4; wait Largest counterparties"
want reports-small && shot reports-small 80x24 "$ready; key 4; wait Spending"
exit 0
