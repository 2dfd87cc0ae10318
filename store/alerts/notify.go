package alerts

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bell rings the terminal.
const Bell = "\a"

// maxNotifyText caps a notification's text: a desktop shows a line or two.
const maxNotifyText = 200

// OSC9 is a desktop notification as iTerm2, WezTerm, Windows Terminal and
// kitty show it: ESC ] 9 ; text BEL. The text is cleaned of everything a
// terminal could read as the end of the sequence or as a sequence of its
// own, and a leading digit is guarded (ConEmu reads "9;4;…" as a command).
func OSC9(text string) string {
	t := NotifyText(text)
	if t != "" && t[0] >= '0' && t[0] <= '9' {
		t = "konto: " + t
	}
	return "\x1b]9;" + t + "\a"
}

// OSC777 is a desktop notification as VTE terminals (GNOME Terminal,
// Tilix), foot, rxvt-unicode, WezTerm and kitty show it: ESC ] 777 ; notify
// ; title ; body BEL. A ';' in the title would end it: it becomes ','.
func OSC777(title, body string) string {
	return "\x1b]777;notify;" + strings.ReplaceAll(NotifyText(title), ";", ",") + ";" + NotifyText(body) + "\a"
}

// Desktop is the notification for an alert in the protocol its rule names
// ("" for none).
func Desktop(protocol, title, body string) string {
	switch protocol {
	case DesktopOSC9:
		return OSC9(title + ": " + body)
	case DesktopOSC777:
		return OSC777(title, body)
	case DesktopBoth:
		return OSC9(title+": "+body) + OSC777(title, body)
	}
	return ""
}

// NotifyText is bank text made safe inside an escape sequence: escape
// sequences removed whole, every other control and format character (bidi
// overrides, zero-width characters) dropped, white space runs one space,
// at most maxNotifyText runes.
func NotifyText(s string) string {
	var b strings.Builder
	n, space := 0, true
	for i := 0; i < len(s) && n < maxNotifyText; {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 && s[i] >= 0x80 && s[i] <= 0x9f {
			r = rune(s[i]) // a raw 8-bit C1 control
		}
		switch {
		case r == 0x1b || r == 0x9b || r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f:
			i = skipSequence(s, i)
			continue
		case r == utf8.RuneError && size <= 1:
		case unicode.IsSpace(r) || unicode.IsControl(r):
			if !space {
				b.WriteByte(' ')
				n++
				space = true
			}
		case unicode.Is(unicode.Cf, r) || !unicode.IsGraphic(r):
		default:
			b.WriteRune(r)
			n++
			space = false
		}
		i += size
	}
	return strings.TrimRight(b.String(), " ")
}

// skipSequence returns the index after the escape sequence starting at i:
// CSI up to its final byte, OSC and the other strings up to BEL or ST (or
// the end), otherwise ESC and the byte after it.
func skipSequence(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && size == 1 {
		r = rune(s[i])
	}
	j := i + size
	kind := r
	if r == 0x1b {
		if j >= len(s) {
			return j
		}
		switch s[j] {
		case '[':
			kind = 0x9b
		case ']', 'P', 'X', '^', '_':
			kind = 0x9d
		default:
			return j + 1
		}
		j++
	}
	if kind == 0x9b {
		for ; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1
			}
		}
		return j
	}
	for j < len(s) {
		if s[j] == 0x07 {
			return j + 1
		}
		if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
			return j + 2
		}
		if r, size := utf8.DecodeRuneInString(s[j:]); r == 0x9c {
			return j + size
		}
		j++
	}
	return j
}
