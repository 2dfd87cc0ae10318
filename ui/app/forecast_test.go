package app_test

import (
	"context"
	"strings"
	"testing"

	"konto/store/forecast"
	"konto/ui/app"
)

func TestForecastCommand(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	accs, err := h.client.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var total, main forecast.Projection
	decode(t, h.must(t, "forecast", "--json", "--days", "45"), &total)
	decode(t, h.must(t, "forecast", "--json", "--days", "45", "--account", accs[0].IBAN), &main)
	today := forecast.DateOf(fixedNow, berlin)
	if total.From != today || len(total.Days) != 45 || total.Days[0].Date != today+1 || len(total.Items) == 0 {
		t.Fatalf("total: from %s, %d days, %d items", total.From, len(total.Days), len(total.Items))
	}
	if len(main.Days) != 45 || main.Days[0].Date != today+1 {
		t.Fatalf("main: %d days", len(main.Days))
	}
	for _, it := range main.Items {
		if it.ID == "" || it.Source == "" || it.Date < today {
			t.Errorf("item %+v", it)
		}
	}

	table := h.must(t, "forecast", "--days", "10")
	if !strings.HasPrefix(table, "Forecast for all accounts from 03.12.2026, 10 days: ") ||
		!strings.Contains(table, "Date            Balance") || strings.Count(table, "\n") < 14 {
		t.Errorf("table:\n%s", table)
	}

	for _, bad := range [][]string{{"forecast", "--days", "0"}, {"forecast", "--days", "99999"}, {"forecast", "x"}, {"forecast", "--account", "nope"}} {
		if code, out, errOut := h.run(t, bad...); code != app.ExitUsage || out != "" || !strings.HasPrefix(errOut, "konto forecast: ") {
			t.Errorf("%q: status %d, stdout %q, stderr %q", bad, code, out, errOut)
		}
	}
}

func TestForecastCommandParses(t *testing.T) {
	t.Parallel()
	var got *app.ForecastOptions
	f := &app.Factory{IO: app.IOStreams{Out: &strings.Builder{}, ErrOut: &strings.Builder{}}}
	cmd := app.NewCmdForecast(f, func(_ context.Context, o *app.ForecastOptions) error { got = o; return nil })
	if code := cmd.Run(context.Background(), []string{"--json", "--days", "7", "--account", "4712"}); code != 0 {
		t.Fatalf("status %d", code)
	}
	if !got.JSON || got.Days != 7 || got.Account != "4712" {
		t.Errorf("%+v", got)
	}
}
