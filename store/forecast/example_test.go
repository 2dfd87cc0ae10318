package forecast_test

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"konto/api"
	"konto/store/forecast"
)

func Example() {
	loc, _ := time.LoadLocation("Europe/Berlin")
	rent := api.StandingOrder{ID: 6, Status: api.StatusActive, Name: "Hausverwaltung Sonnenhof GmbH", IBAN: "DE12120300001020304050",
		Amount: 95000, Reoccurrence: api.Monthly, NextOccurrence: &api.OrderTime{Time: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)}}
	accounts := []forecast.Account{{
		Account:        api.Account{ID: 4711, IBAN: "DE89370400440532013000", Balance: 6104140},
		StandingOrders: []api.StandingOrder{rent},
	}}
	today := forecast.DateOf(time.Date(2026, 12, 3, 15, 0, 0, 0, loc), loc)
	f := forecast.New(accounts, today, loc)

	// konto forecast --days 3 --json
	json.NewEncoder(os.Stdout).Encode(f.Project(forecast.Options{Days: 3}).Total)

	// The review of a transfer of 950,00 € to the landlord: it resembles the rent.
	pay := forecast.TransferPayment(4711, api.TransferRequest{Recipient: "Sonnenhof", IBAN: rent.IBAN, Amount: 95000})
	low, _ := f.LowestWith(pay, forecast.Options{})
	fmt.Println(forecast.ReviewLine(low))
	for _, r := range forecast.Resemblances(pay, nil, []api.StandingOrder{rent}, nil, today, loc) {
		fmt.Println(r.Sentence)
	}
	// Output:
	// {"from":"2026-12-03","days":[{"date":"2026-12-04","balance":6009140},{"date":"2026-12-05","balance":6009140},{"date":"2026-12-06","balance":6009140}],"lowest":{"date":"2026-12-04","balance":6009140},"items":[{"date":"2026-12-04","amount":-95000,"counterparty":"Hausverwaltung Sonnenhof GmbH","source":"standing_order","id":"standing:6"}]}
	// after this and your scheduled payments: lowest 57.241,40 € on 04.02.2027
	// a standing order pays 950,00 € to Hausverwaltung Sonnenhof GmbH on 04.12.
}
