package sepa

import (
	"fmt"
	"strings"
	"unicode"
)

// ibanRegistry is the IBAN length of every country in the SWIFT IBAN registry
// (ISO 13616, 2025): 89 entries of country code and length, each followed by a
// space. Territories that use their parent's prefix (AX under FI, the French
// overseas departments under FR, JE, GG and IM under GB) have no entry of their
// own. A constant rather than a map so that no package state can be changed.
const ibanRegistry = "" +
	"AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 " +
	"CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 ES24 FI18 " +
	"FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 " +
	"IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 " +
	"LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 " +
	"NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 " +
	"SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 " +
	"UA29 VA22 VG24 XK20 YE30 "

// ibanLength is the registered length of a country's IBANs, 0 if it has none.
func ibanLength(country string) int {
	if len(country) != 2 {
		return 0
	}
	for i := 0; i+5 <= len(ibanRegistry); i += 5 {
		if ibanRegistry[i:i+2] == country {
			return int(ibanRegistry[i+2]-'0')*10 + int(ibanRegistry[i+3]-'0')
		}
	}
	return 0
}

// IBANLength reports how many characters an IBAN of the given country has (the
// country code is case-insensitive), and whether the country issues IBANs at all.
// Forms use it to cap input as the user types.
func IBANLength(country string) (int, bool) {
	n := ibanLength(NormalizeIBAN(country))
	return n, n > 0
}

// NormalizeIBAN turns an IBAN as typed or pasted into its electronic form: it
// drops white space of every kind (spaces, tabs, NBSP, narrow NBSP, line breaks)
// and the invisible zero-width space, word joiner and BOM that copying from web
// pages and PDFs brings along, and the separators some sites and invoices group
// IBANs with instead of spaces ("-", ".", "/", and the Unicode hyphens and
// dashes U+2010–U+2014 a PDF may turn "-" into); and it upper-cases ASCII
// letters. "de89 3704 0044 0532 0130 00" and "DE89-3704-0044-0532-0130-00"
// become "DE89370400440532013000". Separators carry no letters or digits, so
// dropping them cannot turn a wrong IBAN into a right one.
//
// Only ASCII is upper-cased on purpose: strings.ToUpper maps "ı" to "I" and "ſ"
// to "S", which would let look-alike characters pass validation.
func NormalizeIBAN(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '\u200B', r == '\u2060', r == '\uFEFF', isIBANSeparator(r):
			continue
		case 'a' <= r && r <= 'z':
			b.WriteByte(byte(r - 'a' + 'A'))
		default:
			// Anything else, invalid bytes included (as U+FFFD), stays for
			// ValidateIBAN to refuse.
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ValidateIBAN checks an IBAN by ISO 13616 after normalising it (so spaces and
// lower case are fine): a known country code, that country's length, only
// letters and digits, two check digits and the mod-97 checksum. It does not know
// national bank codes: a valid IBAN may still name an account that does not
// exist. The error matches ErrInvalidIBAN and reads as a sentence for the user.
func ValidateIBAN(s string) error {
	iban := NormalizeIBAN(s)
	if iban == "" {
		return ibanError("empty")
	}
	for i := 0; i < len(iban); i++ {
		if !isUpperAlnum(iban[i]) {
			return ibanError("only letters and digits are allowed")
		}
	}
	if len(iban) < 2 || !isUpper(iban[0]) || !isUpper(iban[1]) {
		return ibanError("it must start with a two-letter country code such as DE")
	}
	country := iban[:2]
	want := ibanLength(country)
	if want == 0 {
		return ibanError(fmt.Sprintf("unknown country code %q", country))
	}
	if len(iban) != want {
		return ibanError(fmt.Sprintf("%s IBANs have %d characters, this has %d", country, want, len(iban)))
	}
	if !isDigit(iban[2]) || !isDigit(iban[3]) {
		return ibanError("the third and fourth characters must be check digits")
	}
	// MOD 97-10 check digits are 98 minus a remainder of 0..96: 00, 01 and
	// 99 are never issued, although some of them pass the checksum.
	if check := int(iban[2]-'0')*10 + int(iban[3]-'0'); check < 2 || check > 98 {
		return ibanError(fmt.Sprintf("check digits %s are never issued", iban[2:4]))
	}
	if mod97(iban[4:]+iban[:4]) != 1 {
		return ibanError("check digits do not match")
	}
	return nil
}

// MakeIBAN builds a valid IBAN from a country code and a BBAN (the national
// account number) by computing the check digits, for test data and the sandbox's
// seeded accounts: MakeIBAN("DE", "370400440532013000") is
// "DE89370400440532013000". The BBAN is normalised like an IBAN; the result must
// have the country's registered length.
func MakeIBAN(country, bban string) (string, error) {
	country = NormalizeIBAN(country)
	bban = NormalizeIBAN(bban)
	if len(country) != 2 || !isUpper(country[0]) || !isUpper(country[1]) {
		return "", ibanError(fmt.Sprintf("unknown country code %q", country))
	}
	want := ibanLength(country)
	if want == 0 {
		return "", ibanError(fmt.Sprintf("unknown country code %q", country))
	}
	for i := 0; i < len(bban); i++ {
		if !isUpperAlnum(bban[i]) {
			return "", ibanError("only letters and digits are allowed")
		}
	}
	if got := len(bban) + 4; got != want {
		return "", ibanError(fmt.Sprintf("%s IBANs have %d characters, this has %d", country, want, got))
	}
	check := 98 - mod97(bban+country+"00")
	return fmt.Sprintf("%s%02d%s", country, check, bban), nil
}

// FormatIBAN normalises s and groups it by four for display:
// "DE89 3704 0044 0532 0130 00". It accepts partial or invalid input too, so a
// form can show what the user is typing as they type it.
func FormatIBAN(s string) string {
	runes := []rune(NormalizeIBAN(s))
	var b strings.Builder
	b.Grow(len(runes) + len(runes)/4)
	for i, r := range runes {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ShortIBAN is the compact form for narrow lists: country code and check
// digits, an ellipsis, and the last four characters, which are always visible
// because that is how people recognise their accounts: "DE06 …4444". Input too
// short to shorten comes back grouped as FormatIBAN does.
func ShortIBAN(s string) string {
	runes := []rune(NormalizeIBAN(s))
	if len(runes) <= 8 {
		return FormatIBAN(s)
	}
	return string(runes[:4]) + " …" + string(runes[len(runes)-4:])
}

// mod97 is the ISO 7064 MOD 97-10 remainder of s (upper-case letters and digits)
// where each letter stands for two digits, A=10 … Z=35. It works digit by digit,
// so IBANs of any length fit without big integers.
func mod97(s string) int {
	rem := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	return rem
}

// isIBANSeparator reports the characters other than white space that people
// write between the groups of an IBAN.
func isIBANSeparator(r rune) bool {
	return r == '-' || r == '.' || r == '/' || ('\u2010' <= r && r <= '\u2014')
}

func ibanError(reason string) error {
	return fmt.Errorf("%w: %s", ErrInvalidIBAN, reason)
}

func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isUpper(c byte) bool      { return 'A' <= c && c <= 'Z' }
func isUpperAlnum(c byte) bool { return isDigit(c) || isUpper(c) }
