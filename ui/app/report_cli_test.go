package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// konto report --demo --json sums what konto tx --demo --json lists for
// the same period, with the config file's rules in both.
func TestReportAsTheBinaryUsesTheConfigsRules(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		code, out, errOut := runBinary(t, home, nil, append(args, "--demo", "--now", scriptNow)...)
		if code != 0 {
			t.Fatalf("konto %v: status %d, stderr %q", args, code, errOut)
		}
		return out
	}
	type category struct {
		Category *string `json:"category"`
		In       int64   `json:"in"`
		Out      int64   `json:"out"`
		Count    int     `json:"count"`
	}
	var report struct {
		From, To   string
		In, Out    int64
		Count      int
		Categories []category
	}
	decodeReport := func(s string) {
		t.Helper()
		report.Categories = nil
		if err := json.Unmarshal([]byte(s), &report); err != nil {
			t.Fatalf("report --json: %v", err)
		}
	}
	find := func(name string) *category {
		for i, c := range report.Categories {
			if c.Category != nil && *c.Category == name {
				return &report.Categories[i]
			}
		}
		return nil
	}
	decodeReport(run("report", "--period", "lastmonth", "--json"))
	if report.From != "2026-11-01" || report.To != "2026-11-30" || find("clients") != nil {
		t.Fatalf("report --period lastmonth on 3 December 2026: %+v", report)
	}

	dir := filepath.Join(home, "config", "konto")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	config := "[[rules]]\ncounterparty = \"Nordlicht Medien\"\ncategory = \"clients\"\n"
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	decodeReport(run("report", "--period", "lastmonth", "--json"))
	var txs []struct {
		Amount      int64     `json:"amount"`
		BookingDate time.Time `json:"bookingDate"`
		Category    *string   `json:"category"`
	}
	if err := json.Unmarshal([]byte(run("tx", "date:lastmonth", "--json")), &txs); err != nil {
		t.Fatal(err)
	}
	var in, out, clients int64
	for _, tx := range txs {
		if tx.Amount > 0 {
			in += tx.Amount
		} else {
			out += tx.Amount
		}
		if tx.Category != nil && *tx.Category == "clients" {
			clients += tx.Amount
		}
	}
	if report.In != in || report.Out != out || report.Count != len(txs) {
		t.Errorf("report: in %d out %d count %d; tx date:lastmonth: in %d out %d count %d", report.In, report.Out, report.Count, in, out, len(txs))
	}
	if c := find("clients"); c == nil || clients == 0 || c.In != clients {
		t.Errorf("report with the rule: clients %+v; tx: %d", c, clients)
	}

	// A rule konto cannot use is named with its file and line.
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(config+"direction = \"sideways\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut := runBinary(t, home, nil, "report", "--demo", "--now", scriptNow)
	if code != 2 || stdout != "" || !strings.Contains(errOut, "config.toml:4") || !strings.Contains(errOut, "direction") {
		t.Errorf("a bad rule: status %d, stdout %q, stderr %q", code, stdout, errOut)
	}
	// An invalid period: status 2, naming it.
	code, _, errOut = runBinary(t, home, nil, "report", "--period", "lastmonthly", "--demo", "--now", scriptNow)
	if code != 2 || !strings.Contains(errOut, `--period "lastmonthly": not a date`) {
		t.Errorf("--period lastmonthly: status %d, stderr %q", code, errOut)
	}
}
