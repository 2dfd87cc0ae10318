package store

import (
	"errors"
	"reflect"
	"testing"

	"konto/store/alerts"
)

func TestConfigAlerts(t *testing.T) {
	src := `theme = "dark"

[[alerts]]
when = "money_in"
above = "1.000,50"
name = "salary"
desktop = "osc9"

[[alerts]]
when = "forecast_below"
below = 0
within_days = 21
bell = true
account = 4711

[profiles.work]
read_only = true

[[alerts]]
when = "counterparty"
counterparty = "Finanzamt"
`
	c, err := ParseConfig("konto.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []alerts.Rule{
		{Kind: alerts.MoneyIn, Amount: 100050, Name: "salary", Desktop: alerts.DesktopOSC9, Line: 3},
		{Kind: alerts.ForecastBelow, Amount: 0, Days: 21, Bell: true, Account: "4711", Line: 9},
		{Kind: alerts.Counterparty, Match: "Finanzamt", Line: 19},
	}
	if !reflect.DeepEqual(c.Alerts, want) {
		t.Errorf("rules %+v\nwant %+v", c.Alerts, want)
	}
	if !c.Profile("work").ReadOnly || c.Profile("x").Theme != "dark" {
		t.Error("the other settings")
	}
}

func TestConfigAlertErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"[[alerts]]\nwhen = \"money_in\"\n\n[[alerts]]\nwhen = \"money_inn\"\n", `konto.toml:5: key "alerts[2].when": want one of "money_in", "money_out", "counterparty", "balance_below", "forecast_below", "order_executed", got "money_inn"`},
		{"[[alerts]]\nwhen = \"money_out\"\nabove = 12.5\n", `konto.toml:3: key "alerts[1].above": want euros as a whole number or in quotes ("1.234,56"), got 12.5`},
		{"[[alerts]]\nwhen = \"money_out\"\nabove = \"12,345,6\"\n", `konto.toml:3: key "alerts[1].above": "12,345,6": `},
		{"[[alerts]]\nwhen = \"balance_below\"\n", `konto.toml:1: key "alerts[1]": balance_below needs below = AMOUNT`},
		{"[[alerts]]\nabove = 3\n", `konto.toml:1: key "alerts[1]": say when = `},
		{"[[alerts]]\nwhen = \"order_executed\"\nsound = true\n", `konto.toml:3: key "alerts[1].sound": unknown key`},
		{"[[alerts]]\nwhen = \"counterparty\"\n", `konto.toml:1: key "alerts[1]": counterparty needs counterparty`},
		{"alerts = 3\n", `konto.toml:1: key "alerts": want [[alerts]] tables`},
	}
	for _, tt := range tests {
		_, err := ParseConfig("konto.toml", []byte(tt.src))
		var ce *ConfigError
		if !errors.As(err, &ce) || len(err.Error()) < len(tt.want) || err.Error()[:len(tt.want)] != tt.want {
			t.Errorf("%q:\n got %v\nwant %s…", tt.src, err, tt.want)
		}
	}
}
