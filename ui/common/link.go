package common

import (
	"net/url"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// LinkTarget is raw (a bank-supplied URL) as a target for a terminal
// hyperlink, and whether it may be one: only an absolute http or https URL
// with a host and no user part ("https://bank.example@evil.example" reads as
// the bank's) becomes a link. The target is printable ASCII without ";" (some
// terminals split the OSC 8 sequence at every ";"), so nothing in it can end
// the sequence or start another: controls, ESC and BEL are refused, and
// characters outside ASCII are percent-encoded.
func LinkTarget(raw string) (string, bool) {
	for _, r := range raw {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || isInvisible(r) {
			return "", false
		}
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	target := u.String()
	var b strings.Builder
	for i := 0; i < len(target); i++ {
		switch c := target[i]; {
		case c == ';' || c <= 0x20 || c >= 0x7f:
			b.WriteString("%" + strings.ToUpper(hex2(c)))
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

// Hyperlink makes text (already styled) a terminal hyperlink (OSC 8) to
// target, which must come from LinkTarget. Terminals without hyperlinks
// show the text alone.
func Hyperlink(target, text string) string {
	return ansi.SetHyperlink(target) + text + ansi.ResetHyperlink()
}
