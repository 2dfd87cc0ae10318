// Package sepatest is the table of payment texts that every checker of
// payment input runs: api/sepa's own tests, the payment forms' (ui/form) and
// the sandbox bank's (api/sandbox). The form and the bank both build on
// api/sepa's rules; running the same strings through each shows they agree
// on every one, so a user is never told "fine" by the form and "no" by the
// bank, or the other way round.
package sepatest

import (
	"strings"

	"konto/api/sepa"
)

// TextCase is a text for one field and what the rules say about it.
type TextCase struct {
	Field sepa.TextField
	In    string
	// Refused is "" for text the field accepts; else a part of the refusal
	// every checker must show: the character named (`"€"`, "U+00A0") or
	// the rule broken ("too long", `"//"`).
	Refused string
}

// TextCases returns the table (a fresh copy each call). Every recipient is
// non-empty, since a form and a bank both require one; no text is broken
// UTF-8, which a text input cannot hold and a JSON decoder refuses earlier.
func TextCases() []TextCase {
	r, n, e := sepa.FieldRecipient, sepa.FieldNote, sepa.FieldE2EID
	return []TextCase{
		// The basic Latin set, everywhere.
		{r, "Karl Brenner", ""},
		{r, "O'Neill (UK) Ltd.", ""},
		{n, "", ""},
		{n, "Rechnung 2026/11, Kd.-Nr. 4711: Teil 2 + 3?", ""},
		{n, strings.Repeat("x", sepa.MaxNoteLen), ""},
		{e, "", ""},
		{e, "E-81359c56883b508cc891b2d466983e3a", ""},
		{e, "INV 2026/0042", ""},
		{e, "(ref) 12+3?:.,'-", ""},
		{e, strings.Repeat("1", sepa.MaxE2EIDLen), ""},
		// German letters and the DTAUS extras in names and notes.
		{r, "Müller GmbH", ""},
		{r, "Brenner & Söhne KG", ""},
		{r, "Straßenbau Özdemir Ärzte Übersee", ""},
		{r, strings.Repeat("ä", sepa.MaxRecipientLen), ""}, // characters, not bytes
		{n, "50% Anzahlung, 10 $ Porto * 2", ""},
		{n, "Miete Büro Kastanienallee 12", ""},
		{n, strings.Repeat("ü", sepa.MaxNoteLen), ""},
		// … but not in references.
		{e, "Müller-1", `"ü"`},
		{e, "INV&1", `"&"`},
		{e, "50%", `"%"`},
		// Characters outside the set, named.
		{n, "Miete 500 €", `"€"`},
		{n, "Rechnung – Teil 2", `"–"`},
		{n, "Kaffee für’s Büro", `"’"`},
		{n, "Café", `"é"`},
		{n, "hi!", `"!"`},
		{n, "a_b", `"_"`},
		{n, "me@example.com", `"@"`},
		{n, "#12", `"#"`},
		{n, `say "hi"`, `'"'`},
		{n, "a;b", `";"`},
		{n, "🙂", `"🙂"`},
		{n, "東京", `"東"`},
		{r, "Atelier Lumière SARL", `"è"`},
		{r, "Łukasz", `"Ł"`},
		{e, "a_b", `"_"`},
		// Invisible ones, by code point.
		{n, "Cafe\u0301", "combining mark (U+0301)"},
		{n, "a\u00a0b", "invisible character (U+00A0)"},
		{n, "a\u200bb", "invisible character (U+200B)"},
		{n, "line\nbreak", "line break (U+000A)"},
		{n, "ls\u2028", "line break (U+2028)"},
		{n, "tab\there", "tab (U+0009)"},
		{n, "\x1b[31mred", "control character (U+001B)"},
		{n, "del\x7f", "control character (U+007F)"},
		{n, "evil\u202egnp.exe", "bidirectional override (U+202E)"},
		{n, "\u2066isolate\u2069", "bidirectional override (U+2066)"},
		{r, "Karl \x1b[31mBrenner", "control character (U+001B)"},
		{e, "E-\u009b1", "control character (U+009B)"},
		// Lengths.
		{r, strings.Repeat("ß", sepa.MaxRecipientLen+1), "recipient name too long: 71 of at most 70 characters"},
		{n, strings.Repeat("x", sepa.MaxNoteLen+1), "note too long: 141 of at most 140 characters"},
		{e, strings.Repeat("1", sepa.MaxE2EIDLen+1), "end-to-end id too long: 36 of at most 35 characters"},
		// Characters are named before the length.
		{n, strings.Repeat("x", 200) + "€", `"€"`},
		// References neither start nor end with "/" nor hold "//".
		{e, "/ref", `must not start or end with "/"`},
		{e, "ref/", `must not start or end with "/"`},
		{e, " /ref ", `must not start or end with "/"`},
		{e, "a//b", `must not contain "//"`},
		{e, "a/b/c", ""},
		{n, "/ref//", ""}, // a note is no reference
	}
}
