package ui

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/ui/common"
	"konto/ui/orders"
)

// The tabs by their place in newTabs, for the tests.
const (
	tabTransactions = iota
	tabStanding
	tabTimed
)

func (m *Model) standing() *orders.StandingTab { return m.tabs[tabStanding].tab.(*orders.StandingTab) }
func (m *Model) timed() *orders.TimedTab       { return m.tabs[tabTimed].tab.(*orders.TimedTab) }

// noteTab is the smallest tab: what the root asks of it, it records.
type noteTab struct {
	w, h     int
	focused  bool
	visited  []int64
	pending  int
	selected bool
}

func (t *noteTab) SetSize(w, h int)           { t.w, t.h = w, h }
func (t *noteTab) SetFocused(f bool)          { t.focused = f }
func (t *noteTab) Update(tea.Msg) tea.Cmd     { return nil }
func (t *noteTab) View() string               { return "a note of mine" }
func (t *noteTab) Title() string              { return "Notes" }
func (t *noteTab) KeyMap() help.KeyMap        { return common.Keys{} }
func (t *noteTab) Visit(id int64) tea.Cmd     { t.visited = append(t.visited, id); return nil }
func (t *noteTab) Reload(int64, bool) tea.Cmd { return nil }
func (t *noteTab) Len() int                   { return 1 }
func (t *noteTab) Click(int) bool             { return false }
func (t *noteTab) Selected() (common.Selection, bool) {
	return common.Selection{What: "this note", IBAN: "DE89370400440532013000"}, t.selected
}
func (t *noteTab) ShowDetail()                         {}
func (t *noteTab) DetailModal() common.Modal           { return nil }
func (t *noteTab) SetPending(all []api.PendingPayment) { t.pending = len(all) }
func (t *noteTab) PaymentActions() []common.TabAction  { return nil }
func (t *noteTab) Capturing() bool                     { return false }

// TestANewTabIsOneEntry: a tab added to the list is named in the title,
// shown by its key, sized, focused and visited with the shown account.
func TestANewTabIsOneEntry(t *testing.T) {
	m, _ := start(t, 20, 160, 40)
	note := &noteTab{selected: true}
	m.tabs = append(m.tabs, tabEntry{note, key.NewBinding(key.WithKeys("5"), key.WithHelp("5", "notes"))})
	m.layout()
	if s := screen(t, m); !strings.Contains(s, "5 Notes") {
		t.Fatalf("the new tab is not in the title:\n%s", s)
	}
	keys(m, "5")
	if s := screen(t, m); !strings.Contains(s, "[5 Notes]") || !strings.Contains(s, "a note of mine") {
		t.Fatalf("4 did not show the new tab:\n%s", s)
	}
	if note.w == 0 || note.h == 0 || !note.focused || len(note.visited) != 1 || note.visited[0] != m.txs.AccountID() {
		t.Fatalf("the new tab was not laid out, focused and visited: %+v", note)
	}
	keys(m, "shift+tab")
	if note.focused || m.focus != paneAccounts {
		t.Fatalf("shift+tab left the new tab focused")
	}
}
