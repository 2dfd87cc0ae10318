#!/bin/sh
# make.sh regenerates the README's screenshots (PNG and SVG) from the real
# konto binary running `konto --demo` in a pseudo-terminal.
#
#   screenshots/make.sh            all images, written beside this script
#   screenshots/make.sh help small only the named ones
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$here/.." && go build -o "$tmp/konto" .)
(cd "$here" && go build -o "$tmp/shot" .)

shot() { # name size script [konto arguments]
	"$tmp/shot" -bin "$tmp/konto" -args "${4:---demo}" -size "$2" -script "$3" -out "$here/$1"
	echo "wrote $1.png $1.svg ($2)"
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
exit 0
