package forecast_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"konto/api"
	"konto/store/forecast"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// `konto forecast --json` is json.NewEncoder(w).Encode(projection): one
// object {"from", "days", "lowest", "items"}, amounts in cents, days from
// tomorrow, items with date, amount, counterparty, source and id.
func TestProjectionJSON(t *testing.T) {
	today := day(2026, 12, 3)
	history := series(100, 2026, 8, []int{7, 7, 7, 7}, []int64{-1299}, "Notizwerk; Hamburg; DE", "")
	standing := []api.StandingOrder{monthly(6, "Hausverwaltung Sonnenhof GmbH", landlordIBAN, 95000, wireDay(2026, 12, 4))}
	timed := []api.TimedOrderListItem{timedOrder("9939482a-b1a2-4cff-8b48-ae340e398659", "Steuerberatung Falkenried", otherIBAN, 89250, time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC))}
	f := forecast.New([]forecast.Account{mainAccount(6104140, standing, timed, history)}, today, berlin)
	p := f.Project(forecast.Options{Days: 5}).Accounts[0]

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "projection.golden.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("got\n%s\nwant\n%s", buf.Bytes(), want)
	}

	// It reads back into the same values.
	var back forecast.Projection
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.From != p.From || back.Lowest != p.Lowest || len(back.Days) != 5 || back.Items[0].Date != p.Items[0].Date {
		t.Errorf("read back %+v", back)
	}

	// The compact form starts as the issue shows it.
	buf.Reset()
	if err := json.NewEncoder(&buf).Encode(p); err != nil {
		t.Fatal(err)
	}
	if prefix := `{"from":"2026-12-03","days":[{"date":"2026-12-04","balance":6009140},`; !bytes.HasPrefix(buf.Bytes(), []byte(prefix)) {
		t.Errorf("got %s\nwant it to start with %s", buf.Bytes(), prefix)
	}

	// No items is an empty list, not null.
	buf.Reset()
	empty := forecast.New([]forecast.Account{mainAccount(0, nil, nil, nil)}, today, berlin).Project(forecast.Options{Days: 1}).Total
	if err := json.NewEncoder(&buf).Encode(empty); err != nil {
		t.Fatal(err)
	}
	if want := `{"from":"2026-12-03","days":[{"date":"2026-12-04","balance":0}],"lowest":{"date":"2026-12-04","balance":0},"items":[]}` + "\n"; buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf.String(), want)
	}
}
