package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/ui/common"
	"konto/ui/uitest"
)

// On the order tabs the details pane follows the selected order, not the
// last booking; enter focuses it and y copies the order's IBAN.
func TestOrderDetailsInPane(t *testing.T) {
	m, _ := start(t, 20, 120, 40)
	keys(m, "2")
	if m.detail.Transaction() != nil {
		t.Fatalf("the standing-orders tab still details a booking")
	}
	if s := screen(t, m); !strings.Contains(s, "Donation") { // the note: only in the details
		t.Fatalf("standing order not in the details pane:\n%s", s)
	}
	keys(m, "enter")
	if m.focus != paneDetail {
		t.Fatalf("enter on an order did not focus the details")
	}
	if !noticed(keys(m, "y"), "IBAN copied") {
		t.Fatalf("y did not copy the order's IBAN")
	}
	keys(m, "3")
	if s := screen(t, m); !strings.Contains(s, "Bill payment") {
		t.Fatalf("timed order not in the details pane:\n%s", s)
	}
	keys(m, "1")
	if m.detail.Transaction() == nil {
		t.Fatalf("back on transactions, the details do not show the booking")
	}
}

func TestOrderDetailsDialogWhenNarrow(t *testing.T) {
	m, _ := start(t, 20, 80, 24)
	keys(m, "2", "enter")
	s := screen(t, m)
	if m.topModal() == nil || !strings.Contains(s, "Standing order") || !strings.Contains(s, "Donation") {
		t.Fatalf("enter on a standing order at 80 columns:\n%s", s)
	}
	if !noticed(keys(m, "y"), "IBAN copied") {
		t.Fatalf("y in the order dialog did not copy the IBAN")
	}
	keys(m, "esc")
	if m.topModal() != nil {
		t.Fatalf("esc did not close the order dialog")
	}
}

// The counterparty reads (about 20 cells) at 120–139 columns, and the
// details still show a booking type in one piece.
func TestCounterpartyReadsAt120(t *testing.T) {
	for _, w := range []int{120, 130, 139, 140, 160, 200} {
		bank := uitest.NewBank(30)
		bank.Txs[4711][0].Name = api.Ptr("Steuerberatung Falkenried GmbH & Co. KG")
		c := uitest.Common(bank, w, 40)
		m := New(c)
		send(m, tea.WindowSizeMsg{Width: w, Height: 40})
		uitest.Pump(update(m), uitest.Collect(m.Init())...)
		s := screen(t, m)
		for _, want := range []string{"Steuerberatung Falken", "SEPA credit transfer", "Main", "Account 2"} {
			if !strings.Contains(s, want) {
				t.Fatalf("%d columns: missing %q:\n%s", w, want, s)
			}
		}
	}
}

func noticed(msgs []tea.Msg, text string) bool {
	for _, msg := range msgs {
		if n, ok := msg.(common.NoticeMsg); ok && n.Text == text {
			return true
		}
	}
	return false
}
