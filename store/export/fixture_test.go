package export

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"konto/api"
)

// berlin is the bank's time zone.
var berlin = mustLoc("Europe/Berlin")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a booking time given in Berlin.
func at(y int, m time.Month, d, hh, mm int) api.TxTime {
	return api.TxTime{Time: time.Date(y, m, d, hh, mm, 0, 0, berlin).UTC()}
}

func atPtr(y int, m time.Month, d, hh, mm int) *api.TxTime {
	t := at(y, m, d, hh, mm)
	return &t
}

// hostileName and hostilePurpose try every way out of a field: a line break
// followed by a posting and a directive, comment and tag characters, quotes,
// escapes, tabs, double spaces, control characters and a bidi override.
const (
	hostileName    = "Evil | Corp; \"q\" \\ \n    expenses:evil  1000.00 EUR\n2018-08-09 open Assets:Evil\r\x1b[31m\u202e, konto-id:1"
	hostilePurpose = "=HYPERLINK(\"x\")\tpay;  now ; konto-id:2, tag:x\n^\nNfake\x00\x07\u200b\u0085end"
)

// fixtureAccount is the doc's account, its balance read on 26 November 2026
// (772.52 € more than the bookings of fixtureTxs).
func fixtureAccount() Account {
	return Account{ID: 4711, IBAN: "DE06110101001000004444", Label: "Main", Balance: 100000,
		AsOf: time.Date(2026, 11, 26, 10, 0, 0, 0, berlin)}
}

// fixtureTxs are the doc's two example bookings plus a direct debit with a
// mandate whose value date differs, a booking of the balance's day, a
// booking with hostile text and one without name or purpose; newest first,
// as the bank lists them.
func fixtureTxs(t testing.TB) []api.Transaction {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "api", "testdata", "doc", "transactions.json"))
	if err != nil {
		t.Fatal(err)
	}
	var page api.TransactionPage
	if err := json.Unmarshal(data, &page); err != nil {
		t.Fatal(err)
	}
	doc := page.Results // 912182 card payment in CHF, 905800 credit transfer
	return []api.Transaction{
		{ID: 930003, Amount: 120000, Name: api.Ptr("Acme GmbH"), IBAN: api.Ptr("DE89370400440532013000"),
			Purpose: api.Ptr("Invoice 2026-117"), E2EID: api.Ptr("INV-2026-117"),
			BookingDate: at(2026, 11, 26, 8, 15), ValutaDate: atPtr(2026, 11, 26, 0, 0),
			BookingType: api.Ptr("SEPA_CREDIT_TRANSFER"), PaymentMethod: api.Ptr("bank_account")},
		{ID: 930002, Amount: 0, BookingDate: at(2026, 11, 20, 12, 0)},
		{ID: 930001, Amount: 1234, Name: api.Ptr(hostileName), IBAN: api.Ptr("DE00 6666, konto-id:3"),
			Purpose: api.Ptr(hostilePurpose), E2EID: api.Ptr("E2E, konto-id:4"), MandateNumber: api.Ptr("M\nX"),
			BookingDate: at(2018, 8, 9, 10, 0), PaymentMethod: api.Ptr("bank_account")},
		{ID: 920000, Amount: -48712, Name: api.Ptr("Gesundheitskasse Nord"), IBAN: api.Ptr("DE12500105170648489890"),
			Purpose: api.Ptr("Beitrag 08/2018 Kranken- und Pflegeversicherung"), E2EID: api.Ptr("GKN-2018-08"),
			BookingDate: at(2018, 8, 8, 23, 30), ValutaDate: atPtr(2018, 8, 10, 0, 0),
			BookingType: api.Ptr("SEPA_DIRECT_DEBIT"), PaymentMethod: api.Ptr("bank_account"),
			MandateNumber: api.Ptr("GKN-4711")},
		doc[0],
		doc[1],
	}
}
