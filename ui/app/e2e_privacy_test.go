package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// figureOnScreen is any shape konto writes money or an IBAN in: an amount
// (1.234,56), whole euros on a chart's axis (3.200 €), a chart's short net
// (+950, −2,3k; "(+3 more)" counts notices), an IBAN's country and check digits, its groups of four,
// or the end a short IBAN keeps (…3000). Dates, times, counts and shares
// are none of these.
var figureOnScreen = regexp.MustCompile(`\d,\d\d|\d €|(?:^|[^(])[+−]\d|[A-Z]{2}\d\d|\d{4} \d{4}|…\d{4}`)

// placeholders are the forms' and the help's examples, nobody's money.
var placeholders = []string{"DE89 3704 0044 0532 0130 00", "e.g. 12,50", "from 10 to 20 €", "over 50 €"}

// figuresLeft are the screen's lines that show a figure.
func figuresLeft(lines []string) []string {
	var out []string
	for _, l := range lines {
		scan := l
		for _, p := range placeholders {
			scan = strings.ReplaceAll(scan, p, "")
		}
		if figureOnScreen.MatchString(scan) {
			out = append(out, l)
		}
	}
	return out
}

// privacy = true in the config starts the demo masked: no cell of any tab,
// pane or dialog shows a digit of an amount, a balance or an IBAN — the
// reports' charts and forecast, the alerts in the status line and the
// notice log, the payment forms' titles included — and the privacy key
// shows them all again.
func TestE2EPrivacyLeavesNoFigure(t *testing.T) {
	for _, size := range []struct{ w, h int }{{120, 40}, {80, 24}} {
		config := t.TempDir()
		if err := os.MkdirAll(filepath.Join(config, "konto"), 0o700); err != nil {
			t.Fatal(err)
		}
		// Alerts that fire at the first sync: notices that carry amounts.
		text := "privacy = true\n\n[[alerts]]\nwhen = \"balance_below\"\nbelow = \"1000000,00\"\n\n" +
			"[[alerts]]\nwhen = \"forecast_below\"\nbelow = \"1000000,00\"\n"
		if err := os.WriteFile(filepath.Join(config, "konto", "config.toml"), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		tm := startKontoEnv(t, []string{"XDG_CONFIG_HOME=" + config}, size.w, size.h, "--demo")
		tm.WaitFor(t, "out •••,••", startup)

		seen := map[string]bool{}
		check := func(where string) {
			t.Helper()
			for _, l := range figuresLeft(tm.Lines()) {
				if !seen[l] {
					seen[l] = true
					t.Errorf("%dx%d %s: privacy mode shows %q", size.w, size.h, where, l)
				}
			}
		}
		step := func(where, wait string, keys ...string) {
			t.Helper()
			tm.Send(keys...)
			tm.WaitFor(t, wait, startup)
			check(where)
		}
		check("transactions")
		step("booking details", "Transaction ID", "enter")
		tm.Send("esc")
		step("notice log", "below •••,•• €", "N")
		tm.Send("esc")
		step("transfer form", "New transfer from", "t")
		tm.Send("esc")
		step("standing orders", "Tierheim", "2")
		step("new standing order", "New standing order", "n")
		tm.Send("esc")
		step("timed orders", "Steuerberatung", "3")
		step("reports", "month · this account", "4") // the chart may scroll away when the period is empty
		step("reports, the forecast", "x switch off", "G")
		step("reports, a year", "year · this account", "}", "}")
		step("help", "close", "?")
		tm.Send("esc")

		// The scan sees figures where there are some.
		tm.Send("1", "*")
		tm.waitUntil(t, startup, "amounts shown again", func(string) bool { return len(figuresLeft(tm.Lines())) > 0 })
	}
}
