package form

import (
	"strings"
	"testing"
	"time"
)

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	return loc
}

func TestIBAN(t *testing.T) {
	good := []string{
		"DE89370400440532013000",
		"de89 3704 0044 0532 0130 00",
		"GB82WEST12345698765432",
		"FR1420041010050500013M02606",
		"NL91ABNA0417164300",
		"AT611904300234573201",
		"CH9300762011623852957",
		"BE68539007547034",
		"NO9386011117947",
	}
	for _, s := range good {
		if err := IBAN(s); err != nil {
			t.Errorf("IBAN(%q) = %v, want valid", s, err)
		}
	}
	bad := map[string]string{
		"DE89370400440532013001":  "invalid IBAN: check digits do not match",
		"DE8937040044053201300":   "DE IBANs have 22 characters, this has 21",
		"GB82WEST1234569876543":   "GB IBANs have 22 characters",
		"XX89370400440532013000":  "unknown country code",
		"DE89_3704_0044":          "only letters and digits",
		"":                        "enter the recipient's IBAN",
		"NL91ABNA0417164301":      "check digits do not match",
		"FR1420041010050500013M0": "FR IBANs have 27 characters",
	}
	for s, want := range bad {
		err := IBAN(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("IBAN(%q) = %v, want an error containing %q", s, err, want)
		}
	}
}

func TestIBANProgress(t *testing.T) {
	if got := IBANProgress("DE89 3704"); got != "8 of 22 characters" {
		t.Errorf("progress = %q", got)
	}
	if got := IBANProgress("DE89370400440532013000"); got != "" {
		t.Errorf("complete IBAN progress = %q, want none", got)
	}
}

func TestAmount(t *testing.T) {
	good := map[string]int64{
		"1.234,56": 123456, "1234.56": 123456, "12,5": 1250, "12": 1200, "1,234.56": 123456,
		"0,01": 1, " 7 ": 700, "12 €": 1200, "1 234,56": 123456, "1.234": 123400,
	}
	for s, want := range good {
		got, err := Amount(s, -1)
		if err != nil || got != want {
			t.Errorf("Amount(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	bad := map[string]string{
		"":          "enter the amount",
		"0":         "more than 0,00 €",
		"0,00":      "more than 0,00 €",
		"-5":        "without a sign",
		"1.234,567": "at most two decimals",
		"12,3456":   "at most two decimals",
		"1.23.4":    "misplaced",
		"abc":       "only digits",
	}
	for s, want := range bad {
		_, err := Amount(s, -1)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Amount(%q) = %v, want an error containing %q", s, err, want)
		}
	}
	if _, err := Amount("100,01", 10000); err == nil || !strings.Contains(err.Error(), "more than the balance of 100,00 €") {
		t.Errorf("above balance: %v", err)
	}
	if got, err := Amount("100,00", 10000); err != nil || got != 10000 {
		t.Errorf("exactly the balance: %d, %v", got, err)
	}
	if _, err := Amount("1", 0); err == nil {
		t.Error("an empty account paid 1 €")
	}
}

func TestTextFields(t *testing.T) {
	cases := []struct {
		name  string
		check func(string) error
		in    string
		want  string // "" for valid
	}{
		{"note 140", Note, strings.Repeat("a", 140), ""},
		{"note 141", Note, strings.Repeat("ä", 141), "note too long: 141 of at most 140 characters"},
		{"note empty", Note, "", ""},
		{"note umlauts", Note, "Müller & Söhne: Rechnung 12 (50%)", ""},
		{"note dash", Note, "Müller – Rechnung 12", `"–" is not allowed in a SEPA note`},
		{"note emoji", Note, "Rechnung 🧾", `"🧾" is not allowed in a SEPA note`},
		{"note bell", Note, "hi\x07", "control character"},
		{"note bidi", Note, "abc\u202Edef", "bidirectional"},
		{"note newline", Note, "a\nb", "line break"},
		{"recipient empty", Recipient, "   ", "enter the recipient's name"},
		{"recipient ok", Recipient, "Karl Brenner", ""},
		{"recipient long", Recipient, strings.Repeat("x", 71), "too long"},
		{"recipient escape", Recipient, "Karl\x1b[31m", "control character"},
		{"e2e ok", E2EID, "INV-2026-0042", ""},
		{"e2e long", E2EID, strings.Repeat("1", 36), "too long"},
	}
	for _, tc := range cases {
		err := tc.check(tc.in)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want valid", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestDates(t *testing.T) {
	loc := berlin(t)
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) // 10:00 in Berlin
	good := map[string]string{
		"31.12.2026": "2026-12-31", "2027-02-28": "2027-02-28", "29.02.2028": "2028-02-29",
		"1.3.2027": "2027-03-01", " 05.01.2027 ": "2027-01-05",
	}
	for s, want := range good {
		d, err := Date(s, loc)
		if err != nil || d.Format("2006-01-02") != want || d.Location() != loc || d.Hour() != 0 {
			t.Errorf("Date(%q) = %v, %v; want %s midnight in Berlin", s, d, err, want)
		}
	}
	bad := map[string]string{
		"31.02.2027": "February 2027 has no day 31",
		"29.02.2027": "has no day 29",
		"2027-04-31": "April 2027 has no day 31",
		"2026-13-01": "no month 13",
		"00.01.2027": "has no day 0",
		"2026/12/01": "DD.MM.YYYY or YYYY-MM-DD",
		"12.2026":    "DD.MM.YYYY",
		"":           "enter a date",
	}
	for s, want := range bad {
		_, err := Date(s, loc)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Date(%q) = %v, want %q", s, err, want)
		}
	}
	if _, err := NotPast("25.11.2026", now, loc); err == nil {
		t.Error("yesterday accepted as not past")
	}
	if _, err := NotPast("26.11.2026", now, loc); err != nil {
		t.Errorf("today refused: %v", err)
	}
	if _, err := Future("26.11.2026", now, loc); err == nil {
		t.Error("today accepted as future")
	}
	if _, err := Future("2026-11-27", now, loc); err != nil {
		t.Errorf("tomorrow refused: %v", err)
	}
	// Late evening in Berlin is already the next day in Berlin's calendar.
	late := time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC) // 00:30 on the 27th in Berlin
	if _, err := NotPast("26.11.2026", late, loc); err == nil {
		t.Error("the 26th accepted after midnight in Berlin")
	}
}

func TestWireDayKeepsTheCalendarDay(t *testing.T) {
	loc := berlin(t)
	for _, s := range []string{"01.01.2027", "29.03.2027", "31.10.2027", "31.12.2027"} {
		d, err := Date(s, loc)
		if err != nil {
			t.Fatal(err)
		}
		w := WireDay(d)
		if w.Location() != time.UTC || w.Format("02.01.2006") != s || w.In(loc).Format("02.01.2006") != s {
			t.Errorf("WireDay(%s) = %v: not the same day in UTC and Berlin", s, w)
		}
	}
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"31.02.2027", "2027-02-28", "1.1.2027", "", "99.99.9999", "2027-00-10"} {
		f.Add(s)
	}
	loc := time.UTC
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Date(s, loc)
		if err != nil {
			return
		}
		// A date accepted reads back the same in both spellings.
		for _, back := range []string{d.Format("02.01.2006"), d.Format("2006-01-02")} {
			d2, err := Date(back, loc)
			if err != nil || !d2.Equal(d) {
				t.Fatalf("Date(%q) = %v, but %q reads as %v, %v", s, d, back, d2, err)
			}
		}
	})
}
