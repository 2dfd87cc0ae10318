package forecast_test

import (
	compact "konto/store/history"
	"strings"
	"testing"
	"time"

	"konto/api"
	"konto/store/forecast"
)

func sentences(rs []forecast.Resemblance) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Sentence)
	}
	return strings.Join(out, "\n")
}

func TestResemblances(t *testing.T) {
	today := day(2026, 12, 3)
	const landlord = "Hausverwaltung Sonnenhof GmbH"
	rentOrder := monthly(1, landlord, landlordIBAN, 95000, wireDay(2027, 1, 1))
	rentOrder.E2EID = api.Ptr("E-rent")
	rentPaid := withE2E(booking(10, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), -95000, landlord, landlordIBAN), "E-rent")
	handPaid := booking(11, at(2026, 11, 20, 14), -4990, "Druckerei Punkt", otherIBAN)
	old := booking(12, at(2026, 10, 28, 9), -4990, "Druckerei Punkt", otherIBAN) // 36 days ago
	received := booking(13, at(2026, 11, 22, 11), 13194, "Lektorat Weber", "DE43060967123456780012")
	timed := []api.TimedOrderListItem{timedOrder("t1", "Steuerberatung Falkenried", "DE11200400600123456789", 89250, time.Date(2026, 12, 12, 12, 0, 0, 0, time.UTC))}
	history := []api.Transaction{received, rentPaid, handPaid, old}
	standing := []api.StandingOrder{rentOrder}

	transfer := func(name, iban string, amount int64) forecast.Payment {
		return forecast.TransferPayment(4711, api.TransferRequest{Recipient: name, IBAN: iban, Amount: amount})
	}
	tests := []struct {
		name string
		pay  forecast.Payment
		want string
	}{
		{"same IBAN, same amount: the standing order's booking and its next one", transfer("Sonnenhof", landlordIBAN, 95000),
			"a standing order paid 950,00 € to Hausverwaltung Sonnenhof GmbH on 01.12.\na standing order pays 950,00 € to Hausverwaltung Sonnenhof GmbH on 01.01."},
		{"same IBAN, 5 % more", transfer("Druckerei", otherIBAN, 5239), "you paid 49,90 € to Druckerei Punkt on 20.11."},
		{"same IBAN, 5 % less", transfer("Druckerei", otherIBAN, 4753), "you paid 49,90 € to Druckerei Punkt on 20.11."},
		{"same IBAN, 6 % more: none", transfer("Druckerei", otherIBAN, 5290), ""},
		{"same name, other IBAN, same amount", transfer("DRUCKEREI  PUNKT", "DE02120300000000202051", 4990), "you paid 49,90 € to Druckerei Punkt on 20.11."},
		{"same name, other IBAN, other amount: none", transfer("Druckerei Punkt", "DE02120300000000202051", 12000), ""},
		{"other name, other IBAN, same amount: none", transfer("Copyshop", "DE02120300000000202051", 4990), ""},
		{"a timed order pays it", transfer("Steuerberatung Falkenried", "DE11 2004 0060 0123 4567 89", 89250),
			"a timed order pays 892,50 € to Steuerberatung Falkenried on 12.12."},
		{"a refund: the money received", refund(transfer("Lektorat Weber", "DE43060967123456780012", 13194)),
			"you received 131,94 € from them on 22.11."},
		{"no refund: money received is no resemblance", transfer("Lektorat Weber", "DE43060967123456780012", 13194), ""},
		{"a new standing order paying the rent again", forecast.StandingPayment(4711, api.StandingOrderRequest{Recipient: landlord, IBAN: landlordIBAN,
			Amount: 95000, Reoccurrence: api.Monthly, FirstExecutionDate: api.ZTime{Time: noonBerlin(2027, 2, 1)}}),
			"a standing order pays 950,00 € to Hausverwaltung Sonnenhof GmbH on 01.02.2027.\na standing order paid 950,00 € to Hausverwaltung Sonnenhof GmbH on 01.12."},
		{"a timed order in March beside the monthly rent", forecast.TimedPayment(4711, api.TimedOrderRequest{Recipient: "Sonnenhof", IBAN: landlordIBAN,
			Amount: 95000, Date: api.ZTime{Time: noonBerlin(2027, 3, 2)}}),
			"a standing order pays 950,00 € to Hausverwaltung Sonnenhof GmbH on 01.03.2027.\na standing order paid 950,00 € to Hausverwaltung Sonnenhof GmbH on 01.12."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := forecast.Resemblances(tt.pay, compact.Of(history), standing, timed, today, berlin)
			if s := sentences(got); s != tt.want {
				t.Errorf("got\n%s\nwant\n%s", s, tt.want)
			}
		})
	}
}

func refund(p forecast.Payment) forecast.Payment {
	p.Refund = true
	return p
}

// A refund already paid back comes before the money received.
func TestResemblanceRefundTwice(t *testing.T) {
	today := day(2026, 12, 3)
	history := []api.Transaction{
		booking(2, at(2026, 11, 23, 10), -13194, "Lektorat Weber", "DE43060967123456780012"),
		booking(1, at(2026, 11, 22, 11), 13194, "Lektorat Weber", "DE43060967123456780012"),
	}
	pay := refund(forecast.TransferPayment(4711, api.TransferRequest{Recipient: "Lektorat Weber", IBAN: "DE43060967123456780012", Amount: 13194}))
	got := forecast.Resemblances(pay, compact.Of(history), nil, nil, today, berlin)
	want := "you paid 131,94 € to Lektorat Weber on 23.11.\nyou received 131,94 € from them on 22.11."
	if s := sentences(got); s != want {
		t.Errorf("got\n%s\nwant\n%s", s, want)
	}
	if len(got) != 2 {
		t.Fatalf("%d resemblances", len(got))
	}
	if got[0].Kind != forecast.YouPaid || got[1].Kind != forecast.YouReceived || got[0].Ref != "tx:2" || !got[0].SameIBAN {
		t.Errorf("%+v", got)
	}
}

// Most relevant first: the same IBAN before the same name only.
func TestResemblanceOrder(t *testing.T) {
	today := day(2026, 12, 3)
	history := []api.Transaction{
		booking(1, at(2026, 12, 2, 10), -5000, "Müller GmbH", "DE02120300000000202051"),
		booking(2, at(2026, 11, 10, 10), -5100, "Mueller Holding", otherIBAN),
	}
	pay := forecast.TransferPayment(4711, api.TransferRequest{Recipient: "MULLER GMBH", IBAN: otherIBAN, Amount: 5000})
	got := forecast.Resemblances(pay, compact.Of(history), nil, nil, today, berlin)
	if len(got) != 2 || got[0].Ref != "tx:2" || !got[0].SameIBAN || got[1].Ref != "tx:1" || got[1].SameIBAN {
		t.Errorf("%+v", got)
	}
}

// A cancelled order, an order beyond 35 days and nonsense amounts resemble nothing.
func TestResemblanceNone(t *testing.T) {
	today := day(2026, 12, 3)
	gone := monthly(1, "Coworking", otherIBAN, 18000, wireDay(2026, 12, 25))
	gone.Status = api.StatusCanceled
	quarterly := monthly(2, "Bausparkasse", landlordIBAN, 30000, wireDay(2027, 1, 10)) // 38 days ahead
	quarterly.Reoccurrence = api.Quarterly
	orders := []api.StandingOrder{gone, quarterly}
	for _, pay := range []forecast.Payment{
		forecast.TransferPayment(4711, api.TransferRequest{Recipient: "Coworking", IBAN: otherIBAN, Amount: 18000}),
		forecast.TransferPayment(4711, api.TransferRequest{Recipient: "Bausparkasse", IBAN: landlordIBAN, Amount: 30000}),
		forecast.TransferPayment(4711, api.TransferRequest{Recipient: "Coworking", IBAN: otherIBAN, Amount: 0}),
	} {
		if got := forecast.Resemblances(pay, nil, orders, nil, today, berlin); len(got) != 0 {
			t.Errorf("%+v: %+v", pay, got)
		}
	}
	// A bank text with escape sequences stays as it is: the caller sanitises.
	h := []api.Transaction{booking(1, at(2026, 12, 1, 10), -100, "Evil\x1b[2J", otherIBAN)}
	got := forecast.Resemblances(forecast.TransferPayment(4711, api.TransferRequest{IBAN: otherIBAN, Amount: 100}), compact.Of(h), nil, nil, today, berlin)
	if len(got) != 1 || got[0].Name != "Evil\x1b[2J" {
		t.Errorf("%+v", got)
	}
}
