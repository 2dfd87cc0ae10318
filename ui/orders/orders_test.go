package orders

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/ui/common"
	"konto/ui/uitest"
)

func TestStandingAndTimedLists(t *testing.T) {
	bank := uitest.NewBank(1)
	c := uitest.Common(bank, 80, 24)
	for _, tc := range []struct {
		kind Kind
		want []string
	}{
		{Standing, []string{"active", "John Doe", "−1,00", "01.12.2026", "monthly"}},
		{Timed, []string{"26.12.2026", "John Smith", "−120,12", "scheduled"}},
	} {
		m := New(c, tc.kind)
		m.SetSize(76, 10)
		m.SetFocused(true)
		uitest.Pump(m.Update, uitest.Collect(m.Visit(4711))...)
		plain := ansi.Strip(m.View())
		for _, w := range tc.want {
			if !strings.Contains(plain, w) {
				t.Fatalf("kind %d: missing %q:\n%s", tc.kind, w, plain)
			}
		}
		if m.Visit(4711) != nil {
			t.Fatalf("second visit loads again")
		}
		// enter asks the root for the details (pane or dialog, by width).
		seen := uitest.Pump(m.Update, uitest.Key("enter"))
		opened := false
		for _, msg := range seen {
			_, opened = msg.(common.OpenDetailMsg)
			if opened {
				break
			}
		}
		if !opened {
			t.Fatalf("kind %d: enter did not ask for the details: %v", tc.kind, seen)
		}
	}
}

// The recipient keeps 20 cells or more; the reoccurrence shows when there
// is room besides (the list pane at 120 columns is 60 cells, at 80 it is 78).
func TestStandingListShowsRecipientThenReoccurrence(t *testing.T) {
	bank := uitest.NewBank(1)
	bank.Standing[0].Reoccurrence = api.EverySixMonths
	bank.Standing[0].Name = "Hausverwaltung Sonnenhof GmbH"
	c := uitest.Common(bank, 120, 40)
	for _, tc := range []struct {
		w     int
		every bool
	}{{60, false}, {62, false}, {72, true}, {78, true}} {
		m := New(c, Standing)
		m.SetSize(tc.w, 10)
		uitest.Pump(m.Update, uitest.Collect(m.Visit(4711))...)
		plain := ansi.Strip(m.View())
		if !strings.Contains(plain, "Hausverwaltung Sonnen") {
			t.Fatalf("width %d: recipient cut below 20 cells:\n%s", tc.w, plain)
		}
		if strings.Contains(plain, "half-yearly") != tc.every {
			t.Fatalf("width %d: reoccurrence shown %v, want %v:\n%s", tc.w, !tc.every, tc.every, plain)
		}
	}
}

// TestOlderLoadsAnswerIsDropped: when two loads overlap and the older one
// answers last (a reload after a cancellation, say), the newer list stays.
func TestOlderLoadsAnswerIsDropped(t *testing.T) {
	bank := uitest.NewBank(1)
	c := uitest.Common(bank, 80, 24)
	m := New(c, Timed)
	m.SetSize(76, 10)
	older := uitest.Collect(m.Reload(4711)) // still lists the order
	bank.Timed = nil                        // then it is cancelled
	newer := uitest.Collect(m.Reload(4711))
	uitest.Pump(m.Update, newer...)
	uitest.Pump(m.Update, older...)
	if m.Len() != 0 {
		t.Fatalf("the older load's answer replaced the newer one: %d orders listed", m.Len())
	}
}

// The selected order is marked as a selected booking is: "▸" in the first
// column, and the whole row in the selection style while the list has the
// focus; without the focus the "▸" alone.
func TestSelectionMark(t *testing.T) {
	bank := uitest.NewBank(1)
	bank.Standing = append(bank.Standing, bank.Standing[0])
	bank.Standing[1].Name = "Jane Roe"
	bank.Timed = append(bank.Timed, bank.Timed[0])
	bank.Timed[1].RecipientName = "Jane Roe"
	c := uitest.Common(bank, 80, 24)
	for _, kind := range []Kind{Standing, Timed} {
		m := New(c, kind)
		m.SetSize(76, 10)
		m.SetFocused(true)
		uitest.Pump(m.Update, uitest.Collect(m.Visit(4711))...)
		uitest.Pump(m.Update, uitest.Key("j"))
		for _, focused := range []bool{true, false} {
			m.SetFocused(focused)
			raw := strings.Split(m.View(), "\n")
			plain := strings.Split(ansi.Strip(m.View()), "\n")
			if !strings.HasPrefix(plain[0], " ") || strings.HasPrefix(plain[1], "▸") {
				t.Fatalf("kind %d focused %v: header or first row marked:\n%s", kind, focused, strings.Join(plain, "\n"))
			}
			sel := plain[2]
			if !strings.HasPrefix(sel, "▸") || !strings.Contains(sel, "Jane Roe") {
				t.Fatalf("kind %d focused %v: the selected row is not marked:\n%s", kind, focused, strings.Join(plain, "\n"))
			}
			whole := raw[2] == c.Styles.Selection.Render(sel)
			if whole != focused {
				t.Fatalf("kind %d focused %v: whole row in the selection style: %v\n%q", kind, focused, whole, raw[2])
			}
			if !focused && raw[2] != c.Styles.Accent.Render("▸")+sel[len("▸"):] {
				t.Fatalf("kind %d: unfocused mark is not the accent ▸ alone: %q", kind, raw[2])
			}
			for i, l := range plain {
				if w := ansi.StringWidth(l); w != 76 {
					t.Fatalf("kind %d focused %v: line %d is %d wide", kind, focused, i, w)
				}
			}
		}
	}
}

// A new order pending check shows above its list (this account's, of the
// list's kind) until it is settled; the cursor stays on the orders.
func TestPendingOrdersAboveTheList(t *testing.T) {
	bank := uitest.NewBank(1)
	c := uitest.Common(bank, 80, 24)
	so := api.PendingPayment{Kind: api.KindStandingOrder, AccountID: 4711, E2EID: "KONTO-S", Recipient: "Jane Roe",
		IBAN: "DE33100110012626008537", Amount: 5000, Reoccurrence: api.Quarterly, FirstExecution: time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC)}
	to := api.PendingPayment{Kind: api.KindTimedOrder, AccountID: 4711, E2EID: "KONTO-T", Recipient: "Max Muster",
		IBAN: "DE33100110012626008537", Amount: 777, ExecuteOn: time.Date(2026, 12, 24, 11, 0, 0, 0, time.UTC)}
	elsewhere := so
	elsewhere.AccountID = 4712
	for _, tc := range []struct {
		kind       Kind
		want, miss string
	}{{Standing, "Jane Roe", "Max Muster"}, {Timed, "Max Muster", "Jane Roe"}} {
		m := New(c, tc.kind)
		m.SetSize(76, 10)
		m.SetFocused(true)
		uitest.Pump(m.Update, uitest.Collect(m.Visit(4711))...)
		m.SetPending([]api.PendingPayment{so, to, elsewhere})
		lines := strings.Split(ansi.Strip(m.View()), "\n")
		if !strings.Contains(lines[1], tc.want) || !strings.Contains(lines[1], "checking") || strings.Contains(strings.Join(lines, "\n"), tc.miss) {
			t.Errorf("kind %d:\n%s", tc.kind, strings.Join(lines, "\n"))
		}
		if strings.Count(strings.Join(lines, "\n"), "checking") != 1 {
			t.Errorf("kind %d: another account's order shows:\n%s", tc.kind, strings.Join(lines, "\n"))
		}
		if tc.kind == Standing {
			if o, ok := m.SelectedStanding(); !ok || o.Name != "John Doe" {
				t.Errorf("selected %+v", o)
			}
		}
		m.SetPending(nil)
		if strings.Contains(ansi.Strip(m.View()), "checking") {
			t.Errorf("kind %d: settled order still shows", tc.kind)
		}
	}
}

// Active standing orders come first, the next to run at the top; the rest
// (cancelled, ended) follow in the bank's order and show no next date,
// whatever date the bank still sends for them.
func TestStandingOrdersActiveFirstByNextDate(t *testing.T) {
	bank := uitest.NewBank(1)
	at := func(days int) *api.OrderTime { return &api.OrderTime{Time: uitest.Now.AddDate(0, 0, days)} }
	order := func(id int64, status, name string, next *api.OrderTime) api.StandingOrder {
		return api.StandingOrder{ID: id, Status: status, Name: name, IBAN: "DE35120300001012765235", Amount: 100, Reoccurrence: api.Monthly, NextOccurrence: next}
	}
	bank.Standing = []api.StandingOrder{
		order(1, api.StatusCanceled, "Old Gym", at(2)),
		order(2, api.StatusActive, "Rent", at(20)),
		order(3, api.StatusActive, "Donation", at(5)),
		order(4, api.StatusCanceled, "Coworking", at(-200)),
		order(5, api.StatusActive, "Insurance", at(12)),
	}
	c := uitest.Common(bank, 80, 24)
	m := New(c, Standing)
	m.SetSize(76, 10)
	m.SetFocused(true)
	uitest.Pump(m.Update, uitest.Collect(m.Visit(4711))...)
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	want := []string{"Donation", "Insurance", "Rent", "Old Gym", "Coworking"}
	for i, name := range want {
		if !strings.Contains(lines[1+i], name) {
			t.Fatalf("row %d is not %s:\n%s", i, name, strings.Join(lines, "\n"))
		}
	}
	for _, l := range lines[4:6] {
		if strings.Contains(l, "2026") || strings.Contains(l, "2027") {
			t.Errorf("a cancelled order shows a next date: %q", l)
		}
	}
	if !strings.Contains(lines[1], "01.12.2026") {
		t.Errorf("an active order lost its next date: %q", lines[1])
	}

	// The selection stays on its order when a reload moves it: Rent,
	// cancelled, goes to the end and stays selected.
	uitest.Pump(m.Update, uitest.Key("j"), uitest.Key("j"))
	if o, _ := m.SelectedStanding(); o.Name != "Rent" {
		t.Fatalf("selected %q, want Rent", o.Name)
	}
	bank.Standing[1].Status = api.StatusCanceled
	uitest.Pump(m.Update, uitest.Collect(m.Reload(4711))...)
	if o, _ := m.SelectedStanding(); o.Name != "Rent" {
		t.Fatalf("after the reload the selection is %q, want Rent", o.Name)
	}
}
