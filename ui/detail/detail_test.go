package detail

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
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

// A narrow pane puts each label above its value, so values read in one
// piece; an end-to-end ID is not broken after its "E-".
func TestNarrowPaneStacksLabels(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	tx := uitest.Generate(1, 1)[0]
	tx.E2EID = api.Ptr("E-37c4e3cdd4abe66f3c9065ddad8268fa")
	m := New(c)
	m.SetSize(32, 30)
	m.SetTransaction(&tx)
	plain := ansi.Strip(m.View())
	for _, want := range []string{"SEPA credit transfer", "DE89 3704 0044 0532 0130 00", "E-37c4e3cdd4abe66f3c9065ddad82"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("missing %q in one piece:\n%s", want, plain)
		}
	}
}

func TestOrderFieldsAndCopy(t *testing.T) {
	bank := uitest.NewBank(1)
	c := uitest.Common(bank, 80, 24)
	so := StandingOrderFields(c, bank.Standing[0])
	to := TimedOrderFields(c, bank.Timed[0])
	m := New(c)
	m.SetSize(60, 20)
	m.SetFields(so, bank.Standing[0].IBAN)
	plain := ansi.Strip(m.View())
	for _, want := range []string{"John Doe", "DE35 1203 0000 1012 7652 35", "−1,00 €", "Donation", "monthly", "01.12.2026"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("standing order: missing %q:\n%s", want, plain)
		}
	}
	if m.Transaction() != nil {
		t.Fatalf("an order is shown as a transaction")
	}
	msgs := uitest.Collect(m.Update(uitest.Key("y")))
	if len(msgs) != 2 || !hasNotice(msgs, "IBAN copied") {
		t.Fatalf("y on an order: %v", msgs)
	}
	d := NewFieldsModal(c, "Timed order", to, bank.Timed[0].RecipientIBAN)
	d.SetSize(70, 20)
	plain = ansi.Strip(d.View())
	for _, want := range []string{"Timed order", "John Smith", "−120,12 €", "Bill payment", "26.12.2026"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("timed order: missing %q:\n%s", want, plain)
		}
	}
}

func hasNotice(msgs []tea.Msg, text string) bool {
	for _, m := range msgs {
		if n, ok := m.(common.NoticeMsg); ok && n.Text == text {
			return true
		}
	}
	return false
}
