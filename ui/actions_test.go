package ui

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store/period"
	"konto/ui/common"
	"konto/ui/filter"
	"konto/ui/form"
	"konto/ui/uitest"
)

// keyContext is one situation of the dashboard: a size, a mode, and the
// keys that lead there from the start.
type keyContext struct {
	name     string
	w, h     int
	readOnly bool
	noPay    bool // no payments client
	bank     func(b *uitest.Bank)
	setup    []string
	// filterOpen: other keys are typed into the filter line, so an unlisted
	// key "does something" there by design.
	filterOpen bool
}

// contextBank has three accounts (so the accounts pane can move both ways),
// four standing orders (two cancelled) and three timed orders: the
// middle one selected, every moving key moves.
func contextBank(n int) *uitest.Bank {
	b := uitest.NewBank(n)
	b.Accts = append(b.Accts, api.Account{ID: 4713, IBAN: "DE89370400440532013000", Balance: 1000})
	b.Txs[4713] = uitest.Generate(40, 200000)
	rent, gym, desk := b.Standing[0], b.Standing[0], b.Standing[0]
	rent.ID, rent.Name = 7, "Rent"
	rent.NextOccurrence = &api.OrderTime{Time: uitest.Now.AddDate(0, 0, 9)}
	gym.ID, gym.Name, gym.Status = 8, "Old Gym", api.StatusCanceled
	desk.ID, desk.Name, desk.Status = 9, "Coworking", api.StatusCanceled
	b.Standing = append(b.Standing, rent, gym, desk)
	for i, name := range []string{"Jane Roe", "Max Muster"} {
		later := b.Timed[0]
		later.ID, later.RecipientName = fmt.Sprintf("77a%d", i), name
		later.Date.Time = later.Date.AddDate(0, i+1, 0)
		b.Timed = append(b.Timed, later)
	}
	return b
}

func keyContexts() []keyContext {
	var cs []keyContext
	for _, sz := range []struct {
		name   string
		w, h   int
		layout []string
	}{
		{"wide", 120, 24, nil}, // a details pane; a booking's details scroll
		{"two panes", 100, 30, nil},
		{"narrow", 80, 24, nil},
		{"stacked", 120, 24, []string{"L"}},
	} {
		at := func(ks ...string) []string { return append(append([]string{}, sz.layout...), ks...) }
		ctx := func(name string, setup []string) keyContext {
			return keyContext{name: sz.name + " " + name, w: sz.w, h: sz.h, setup: setup}
		}
		for _, tb := range []string{"1", "2", "3"} {
			list, accounts := ctx("tab "+tb+" list", at(tb, "j")), ctx("tab "+tb+" accounts", at(tb, "shift+tab", "j"))
			readOnly, noPay, empty := list, list, ctx("tab "+tb+" empty", at(tb))
			readOnly.name, readOnly.readOnly = list.name+" read-only", true
			noPay.name, noPay.noPay = list.name+" without payments", true
			empty.bank = func(b *uitest.Bank) { b.Txs[4711], b.Standing, b.Timed = nil, nil, nil }
			cs = append(cs, list, accounts)
			if sz.name == "wide" || sz.name == "narrow" {
				cs = append(cs, readOnly, noPay, empty)
			}
			if sz.w >= WideWidth && sz.layout == nil {
				details, scrolled := ctx("tab "+tb+" details", at(tb, "j", "tab")), ctx("tab "+tb+" details scrolled", at(tb, "j", "tab", "j"))
				detailsRO := details
				detailsRO.name, detailsRO.readOnly = details.name+" read-only", true
				cs = append(cs, details, scrolled, detailsRO)
			}
		}
		open := ctx("filter open", at("/", "K"))
		open.filterOpen = true
		cs = append(cs, ctx("cancelled order selected", at("2", "G", "k")), open,
			ctx("filter kept", at("/", "K", "a", "r", "l", "enter", "j")))
	}
	return cs
}

// common returns a Common for the context on bank b.
func (kc keyContext) common(b *uitest.Bank) *common.Common {
	c := uitest.Common(b, kc.w, kc.h)
	c.ReadOnly = kc.readOnly
	if !kc.noPay {
		c.Payments = &uitest.Payments{}
	}
	return c
}

// build opens the dashboard in context kc.
func (kc keyContext) build(t *testing.T) *Model {
	t.Helper()
	m, _, err := kc.record()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// record opens the dashboard in context kc and returns, besides it, a
// replay that builds the same dashboard again from the messages the first
// one saw, without running their Cmds: no waiting for timers, so every key
// can be tried on a fresh dashboard.
func (kc keyContext) record() (*Model, func() *Model, error) {
	b := contextBank(80)
	if kc.bank != nil {
		kc.bank(b)
	}
	m := New(kc.common(b))
	size := tea.WindowSizeMsg{Width: kc.w, Height: kc.h}
	seen := send(m, size)
	seen = append(seen, uitest.Pump(update(m), uitest.Collect(m.Init())...)...)
	seen = append(seen, keys(m, kc.setup...)...)
	if m.topModal() != nil {
		return nil, nil, fmt.Errorf("%s: the setup opened %T", kc.name, m.topModal())
	}
	// A bank answer slower than the pump's wait for timers is lost: on a
	// busy machine, say so rather than test a half-loaded dashboard.
	if kc.bank == nil && (m.txs.Len() == 0 || m.tab == tabStanding && m.standing().Len() == 0 || m.tab == tabTimed && m.timed().Len() == 0) {
		return nil, nil, fmt.Errorf("%s: the dashboard did not load (an answer came too late)", kc.name)
	}
	replay := func() *Model {
		r := New(kc.common(b))
		r.Init()
		for _, msg := range seen {
			r.Update(msg)
		}
		return r
	}
	return m, replay, nil
}

// snapshot is what a key press could change: the screen, the focus, the
// tab, the dialogs.
func snapshot(m *Model) string {
	return fmt.Sprint(m.Render(), m.focus, m.tab, len(m.modals))
}

// allKeys are the keys of every binding of the key map: each one must do
// something exactly where the help lists it.
func allKeys(m *Model) []string {
	km := m.c.Keys
	var out []string
	for _, b := range []key.Binding{
		km.Global.Quit, km.Global.Help, km.Global.Refresh, km.Global.Resync, km.Global.NextPane, km.Global.PrevPane,
		km.Global.TabTransactions, km.Global.TabStanding, km.Global.TabTimed, km.Global.Layout,
		km.List.Up, km.List.Down, km.List.Top, km.List.Bottom, km.List.HalfPageDown, km.List.HalfPageUp,
		km.List.PageDown, km.List.PageUp, km.List.Open, km.List.Filter,
		km.Filter.Keep, km.Filter.Clear, km.Detail.Close, km.Detail.CopyIBAN,
		km.Payments.Transfer, km.Payments.PayAgain, km.Payments.NewOrder, km.Payments.EditOrder, km.Payments.CancelOrder,
	} {
		for _, k := range b.Keys() {
			if k != "ctrl+c" && !slices.Contains(out, k) { // ctrl+c quits before any routing
				out = append(out, k)
			}
		}
	}
	return out
}

func bindingText(b key.Binding) string { return b.Help().Key + " " + b.Help().Desc }

// In every context, the keys the help bar and ? list are exactly the keys
// that work: each listed key has an effect, an unlisted one has none.
func TestEveryListedKeyWorksAndNoOtherDoes(t *testing.T) {
	contexts := keyContexts()
	// The recordings wait for timers to be dropped: side by side, the
	// waits overlap.
	type recording struct {
		m      *Model
		replay func() *Model
		err    error
	}
	recs := make([]recording, len(contexts))
	var wg sync.WaitGroup
	slots := make(chan struct{}, 8)
	for i, kc := range contexts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			m, replay, err := kc.record()
			recs[i] = recording{m, replay, err}
		}()
	}
	wg.Wait()
	for i, kc := range contexts {
		t.Run(kc.name, func(t *testing.T) {
			m, replay := recs[i].m, recs[i].replay
			if recs[i].err != nil {
				t.Fatal(recs[i].err)
			}
			before := snapshot(m)
			if snapshot(replay()) != before {
				t.Fatalf("a replay does not rebuild the dashboard:\n%s\nwant\n%s", replay().Render(), m.Render())
			}
			acts := m.actions()
			listed := map[string]string{} // key → the binding listing it
			for _, a := range acts {
				for _, k := range a.key.Keys() {
					if other, dup := listed[k]; dup {
						t.Errorf("%q is listed twice: %s and %s", k, other, bindingText(a.key))
					}
					listed[k] = bindingText(a.key)
				}
			}

			// The help bar shows only listed keys.
			for _, b := range m.shortHelp().ShortHelp() {
				for _, k := range b.Keys() {
					if listed[k] == "" {
						t.Errorf("the help bar shows %q (%s), which is not a key here", k, bindingText(b))
					}
				}
			}
			// ? lists exactly the actions, in their order within a group.
			var inHelp []string
			for _, sec := range m.helpSections() {
				for _, b := range sec.keys {
					inHelp = append(inHelp, bindingText(b))
				}
			}
			var want []string
			for g := keyGroup(0); g < groupCount; g++ {
				for _, a := range acts {
					if a.group == g {
						want = append(want, bindingText(a.key))
					}
				}
			}
			if !slices.Equal(inHelp, want) {
				t.Errorf("? lists\n%q\nthe actions are\n%q", inHelp, want)
			}

			// Every listed key does something.
			for _, a := range acts {
				k := a.key.Keys()[0]
				fresh := replay()
				_, cmd := fresh.Update(uitest.Key(k))
				if cmd == nil && snapshot(fresh) == before {
					t.Errorf("%q (%s) is listed but does nothing", k, bindingText(a.key))
				}
			}
			// Every other key of the key map does nothing.
			if kc.filterOpen {
				return // typed into the filter line
			}
			fresh := replay() // unchanged by a key that does nothing: reused
			for _, k := range allKeys(m) {
				if listed[k] != "" {
					continue
				}
				_, cmd := fresh.Update(uitest.Key(k))
				if msgs := uitest.Collect(cmd); len(msgs) > 0 || snapshot(fresh) != before {
					t.Errorf("%q is not listed but does something: %v", k, msgs)
					fresh = replay()
				}
			}
		})
	}
}

// The filed bug: on the order tabs with the details focused, the help bar
// named n/e/x and they did nothing. They now work on the order the
// details show.
func TestOrderKeysWorkFromTheDetails(t *testing.T) {
	for _, tc := range []struct {
		tab, key, want string
		bar            []string
	}{
		{"2", "n", "New standing order", []string{"n new", "e edit", "x cancel"}},
		{"2", "e", "Change standing order to John Doe", nil},
		{"2", "x", "Cancel this standing order?", nil},
		{"3", "n", "New timed order", []string{"n new", "x cancel"}},
		{"3", "x", "Cancel this timed order?", nil},
	} {
		m := keyContext{w: 120, h: 40}.build(t)
		keys(m, tc.tab, "tab")
		if m.focus != paneDetail {
			t.Fatalf("tab %s: the details are not focused", tc.tab)
		}
		bar := strings.Split(screen(t, m), "\n")[39]
		for _, want := range tc.bar {
			if !strings.Contains(bar, want) {
				t.Errorf("tab %s, details: the help bar lacks %q: %q", tc.tab, want, bar)
			}
		}
		keys(m, tc.key)
		if s := screen(t, m); !strings.Contains(s, tc.want) {
			t.Errorf("tab %s, details: %s did not open %q:\n%s", tc.tab, tc.key, tc.want, s)
		}
	}
}

// A cancelled standing order can be neither changed nor cancelled: e and x
// are not offered, and do nothing.
func TestCancelledOrderOffersNoEditOrCancel(t *testing.T) {
	m := keyContext{w: 120, h: 40}.build(t)
	keys(m, "2", "G", "k")
	if o, _ := m.standing().SelectedStanding(); o.Status != api.StatusCanceled {
		t.Fatalf("selected %+v, want the cancelled order", o)
	}
	bar := strings.Split(screen(t, m), "\n")[39]
	if strings.Contains(bar, "e edit") || strings.Contains(bar, "x cancel") || !strings.Contains(bar, "n new") {
		t.Errorf("help bar on a cancelled order: %q", bar)
	}
	keys(m, "e", "x")
	if m.topModal() != nil {
		t.Errorf("e/x on a cancelled order opened %T", m.topModal())
	}
}

// ? names its groups and lists only what works in the tab and pane it was
// opened in; the filter's words and a form's keys come with it.
func TestHelpSectionsPerContext(t *testing.T) {
	titles := func(m *Model) []string {
		var out []string
		for _, s := range m.helpSections() {
			out = append(out, s.title)
		}
		return out
	}
	text := func(m *Model) string {
		keys(m, "?")
		h, ok := m.topModal().(*helpModal)
		if !ok {
			t.Fatalf("? opened %T", m.topModal())
		}
		return ansi.Strip(h.View())
	}
	for _, tc := range []struct {
		name     string
		kc       keyContext
		titles   []string
		has, not []string
	}{
		{"transactions", keyContext{w: 200, h: 60}, []string{"Moving", "Filter", "Labels and periods", "Payments", "Other", "In a form"},
			[]string{"/ ", "filter", "amt:<-50", "R ", "pay again", "ctrl+s", "take the suggestion", "ctrl+d"}, []string{"n new", "x cancel", "transactions"}},
		{"standing orders", keyContext{w: 200, h: 60, setup: []string{"2"}}, []string{"Moving", "Payments", "Orders", "Other", "In a form"},
			// Pages move the order lists too (issue 12: one list cursor everywhere).
			[]string{"n ", "new", "e ", "edit", "x ", "cancel", "transactions", "ctrl+d"}, []string{"filter", "pay again"}},
		{"timed order details", keyContext{w: 200, h: 60, setup: []string{"3", "tab"}}, []string{"Moving", "Payments", "Orders", "Other", "In a form"},
			[]string{"back to the list", "new", "cancel", "copy IBAN"}, []string{"edit", "filter", "pay again"}},
		{"accounts", keyContext{w: 200, h: 60, setup: []string{"shift+tab"}}, []string{"Moving", "Payments", "Other", "In a form"},
			[]string{"bookings", "transfer"}, []string{"pay again", "copy IBAN", "filter"}},
		{"read-only", keyContext{w: 200, h: 60, readOnly: true}, []string{"Moving", "Filter", "Labels and periods", "Payments (off)", "Other"},
			[]string{"read-only: payments off"}, []string{"In a form", "ctrl+s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.kc.build(t)
			if got := titles(m); !slices.Equal(got, tc.titles) {
				t.Errorf("titles %q, want %q", got, tc.titles)
			}
			s := text(m)
			for _, w := range append(append([]string{}, tc.titles...), tc.has...) {
				if !strings.Contains(s, w) {
					t.Errorf("? lacks %q:\n%s", w, s)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(s, w) {
					t.Errorf("? shows %q, which does not work here:\n%s", w, s)
				}
			}
		})
	}
}

// The filter words the help shows are ones the filter understands.
func TestHelpFilterWordsParse(t *testing.T) {
	for _, n := range filterNotes {
		if _, err := filter.Parse(n.key, period.NewDate(2026, 11, 25)); err != nil {
			t.Errorf("%q: %v", n.key, err)
		}
	}
	k := form.DefaultKeys()
	for _, b := range []key.Binding{k.Review, k.Next, k.Left} {
		found := false
		for _, n := range formNotes(k) {
			found = found || n.key == b.Help().Key
		}
		if !found {
			t.Errorf("the form's %s is not in the help", b.Help().Key)
		}
	}
}

// At 80×24 the help does not fit: it scrolls with the list keys, shows
// where it is, and any other key closes it.
func TestHelpScrollsWhenTooTall(t *testing.T) {
	m := keyContext{w: 80, h: 24}.build(t)
	keys(m, "?")
	h, ok := m.topModal().(*helpModal)
	if !ok || !h.scrollable() {
		t.Fatalf("? at 80×24: %T, scrollable %v", m.topModal(), ok && h.scrollable())
	}
	s := screen(t, m)
	if !strings.Contains(s, "↓ more") || !strings.Contains(s, "Moving") {
		t.Fatalf("no hint that there is more:\n%s", s)
	}
	keys(m, "pgdown", "pgdown", "pgdown")
	if s := screen(t, m); !strings.Contains(s, "In a form") || !strings.Contains(s, "quit") || !strings.Contains(s, "↑ more") {
		t.Fatalf("scrolled to the end, the last section is not shown:\n%s", s)
	}
	keys(m, "x")
	if m.topModal() != nil {
		t.Fatal("another key did not close the help")
	}
}
