package detail

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/ui/common"
	"konto/ui/uitest"
)

func TestEveryNonEmptyFieldIsShown(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	tx := uitest.Generate(2, 1)[1] // a card payment in CHF
	tx.E2EID = api.Ptr("E-123")
	tx.InvoiceNumber = api.Ptr(int64(42))
	tx.InvoiceDownloadURL = api.Ptr("https://example.com/inv/42.pdf")
	tx.MandateNumber = api.Ptr("MNDT-77")
	tx.BookingType = api.Ptr("SEPA_DIRECT_DEBIT")
	m := New(c)
	m.SetSize(70, 30)
	m.SetTransaction(&tx)
	plain := ansi.Strip(m.View())
	for _, want := range []string{"Counterparty", "Café Zürich", "DE89 3704 0044 0532 0130 00", "Amount", "E-123",
		"Booked", "Value date", "SEPA direct debit", "credit card", "CHF 7,60", "42", "https://example.com/inv/42.pdf", "MNDT-77"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("missing %q:\n%s", want, plain)
		}
	}
	if strings.Contains(plain, "Category") {
		t.Fatalf("an empty field is shown:\n%s", plain)
	}
}

func TestCopyIBANAndClose(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	tx := uitest.Generate(1, 1)[0]
	d := NewModal(c, &tx)
	d.SetSize(76, 20)
	_, cmd := d.Update(uitest.Key("y"))
	msgs := uitest.Collect(cmd)
	notice := false
	for _, m := range msgs {
		if n, ok := m.(common.NoticeMsg); ok && n.Text == "IBAN copied" {
			notice = true
		}
	}
	// Two messages: the notice and the OSC 52 clipboard write.
	if !notice || len(msgs) != 2 {
		t.Fatalf("y: %v", msgs)
	}
	_, cmd = d.Update(uitest.Key("esc"))
	if _, ok := cmd().(common.CloseModalMsg); !ok {
		t.Fatalf("esc did not close")
	}
}
