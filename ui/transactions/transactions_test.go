package transactions

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store/history"
	"konto/ui/common"
	"konto/ui/uitest"
)

// loaded returns a list of account 4711 holding n bookings, fully synced.
func loaded(t testing.TB, n, w, h int) (*Model, *uitest.Bank) {
	t.Helper()
	bank := uitest.NewBank(n)
	c := uitest.Common(bank, w, h)
	m := New(c)
	m.SetSize(w, h)
	m.SetFocused(true)
	loadNow(m, c, 4711)
	if m.Len() != n {
		t.Fatalf("after load: %d bookings, want %d", m.Len(), n)
	}
	return m, bank
}

// loadNow runs a load synchronously (page 1, sync, index), however long it
// takes, so big histories do not depend on timing.
func loadNow(m *Model, c *common.Common, id int64) {
	m.Load(id)
	m.Update(LoadPage(c, id, m.loadSeq)())
	if cmd := m.Update(Sync(c, id, m.loadSeq)()); cmd != nil {
		m.Update(cmd())
	}
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		uitest.Pump(m.Update, uitest.Key(k))
	}
}

func TestOpensOnNewestBooking(t *testing.T) {
	m, bank := loaded(t, 300, 80, 20)
	sel := m.Selected()
	if sel == nil || sel.ID != bank.Txs[4711][0].ID {
		t.Fatalf("selected %+v, want the newest booking id %d", sel, bank.Txs[4711][0].ID)
	}
	if m.row(0).kind != rowHeader {
		t.Fatalf("first row is not a month header")
	}
	if m.Loading() {
		t.Fatalf("still loading after sync")
	}
}

func TestPageOneShowsBeforeSyncWithLoadingRow(t *testing.T) {
	bank := uitest.NewBank(200)
	c := uitest.Common(bank, 80, 20)
	m := New(c)
	m.SetSize(80, 20)
	m.Load(4711)
	page := uitest.Collect(LoadPage(c, 4711, m.loadSeq))
	m.Update(page[0])
	if m.Len() != bank.PageSize {
		t.Fatalf("after page 1: %d bookings, want %d", m.Len(), bank.PageSize)
	}
	if m.row(m.rowCount()-1).kind != rowLoading {
		t.Fatalf("no loading row while the sync runs")
	}
	press(m, "G")
	if m.Selected() == nil {
		t.Fatalf("G landed on the loading row")
	}
	synced := uitest.Collect(Sync(c, 4711, m.loadSeq))
	uitest.Pump(m.Update, synced...)
	if m.Len() != 200 || m.row(m.rowCount()-1).kind == rowLoading {
		t.Fatalf("after sync: %d bookings, loading row %v", m.Len(), m.row(m.rowCount()-1).kind == rowLoading)
	}
	// A stale page answer after the sync must not shrink the list.
	m.Update(page[0])
	if m.Len() != 200 {
		t.Fatalf("stale page 1 replaced the synced history")
	}
}

func TestMovingSkipsMonthHeaders(t *testing.T) {
	m, bank := loaded(t, 300, 80, 20)
	txs := bank.Txs[4711]
	crossed := 0
	for i := 1; i < 120; i++ {
		before := m.list.Cursor()
		press(m, "j")
		sel := m.Selected()
		if sel == nil {
			t.Fatalf("j %d: selection on a non-booking row", i)
		}
		if sel.ID != txs[i].ID {
			t.Fatalf("j %d: selected id %d, want %d (next booking)", i, sel.ID, txs[i].ID)
		}
		if m.list.Cursor()-before == 2 {
			crossed++
		}
	}
	if crossed == 0 {
		t.Fatalf("never crossed a month header in 120 bookings")
	}
	for i := 118; i >= 0; i-- {
		press(m, "k")
		if sel := m.Selected(); sel == nil || sel.ID != txs[i].ID {
			t.Fatalf("k: selected %v, want id %d", sel, txs[i].ID)
		}
	}
	press(m, "k") // at the top: stays
	if m.Selected().ID != txs[0].ID {
		t.Fatalf("k at the top moved")
	}
}

func TestJumps(t *testing.T) {
	m, bank := loaded(t, 500, 80, 20)
	txs := bank.Txs[4711]
	press(m, "G")
	if m.Selected().ID != txs[len(txs)-1].ID {
		t.Fatalf("G: not on the oldest booking")
	}
	press(m, "g")
	if m.Selected().ID != txs[0].ID {
		t.Fatalf("g: not on the newest booking")
	}
	press(m, "end", "home")
	if m.Selected().ID != txs[0].ID {
		t.Fatalf("home: not on the newest booking")
	}
	press(m, "ctrl+d")
	if c := m.list.Cursor(); c < 7 || c > 11 {
		t.Fatalf("ctrl+d moved to row %d, want about half a page (9)", c)
	}
	press(m, "ctrl+u")
	if m.Selected().ID != txs[0].ID {
		t.Fatalf("ctrl+u did not go back")
	}
	press(m, "pgdown")
	if m.list.Cursor() < 17 {
		t.Fatalf("pgdown moved to row %d", m.list.Cursor())
	}
	if m.list.Cursor() < m.list.Offset() || m.list.Cursor() >= m.list.Offset()+m.listHeight() {
		t.Fatalf("selection row %d not visible (offset %d)", m.list.Cursor(), m.list.Offset())
	}
	press(m, "pgup")
	if m.Selected().ID != txs[0].ID {
		t.Fatalf("pgup did not go back")
	}
}

func TestEnterAsksForDetails(t *testing.T) {
	m, _ := loaded(t, 10, 80, 20)
	seen := uitest.Pump(m.Update, uitest.Key("enter"))
	if !has[common.OpenDetailMsg](seen) {
		t.Fatalf("enter did not ask for details: %v", seen)
	}
}

func has[T any](msgs []tea.Msg) bool {
	for _, m := range msgs {
		if _, ok := m.(T); ok {
			return true
		}
	}
	return false
}

func TestViewFitsAndShowsColumns(t *testing.T) {
	for _, w := range []int{50, 78, 54, 90} {
		m, _ := loaded(t, 300, w, 20)
		out := m.View()
		lines := strings.Split(out, "\n")
		if len(lines) != 20 {
			t.Fatalf("width %d: %d lines, want 20", w, len(lines))
		}
		for i, l := range lines {
			if got := ansi.StringWidth(l); got != w {
				t.Fatalf("width %d: line %d is %d cells: %q", w, i, got, ansi.Strip(l))
			}
		}
		plain := ansi.Strip(out)
		if !strings.Contains(plain, "November 2026") || !strings.Contains(plain, "in +") || !strings.Contains(plain, "out −") {
			t.Fatalf("width %d: no month header with in/out:\n%s", w, plain)
		}
		if !strings.Contains(plain, "26.11.") {
			t.Fatalf("width %d: no current-year date:\n%s", w, plain)
		}
	}
}

func TestCounterpartyVisibleAtPaneWidthOf120Layout(t *testing.T) {
	m, _ := loaded(t, 50, 52, 20) // the transactions pane's inner width at 120 columns
	if c := m.columns(); c.name < 12 {
		t.Fatalf("counterparty column %d cells, want ≥ 12", c.name)
	}
	if !strings.Contains(ansi.Strip(m.View()), "Karl Lagerfe") { // 12 cells
		t.Fatalf("counterparty cut below 12 cells:\n%s", ansi.Strip(m.View()))
	}
}

func TestCardPaymentShowsForeignAmount(t *testing.T) {
	m, _ := loaded(t, 20, 80, 20)
	if plain := ansi.Strip(m.View()); !strings.Contains(plain, "card · CHF 7,60") {
		t.Fatalf("no card purpose:\n%s", plain)
	}
}

// The list's dates are dd.mm. in every year (the month headers carry the
// year): when a year boundary scrolls into view no column moves, so every
// row keeps its date, name and amount where they were.
func TestDateColumnKeepsOneFormatAcrossYears(t *testing.T) {
	m, _ := loaded(t, 600, 80, 60) // tall enough for both years' months
	row := regexp.MustCompile(`^[▸ ](\d\d\.\d\d\.)(\S*) `)
	amountEnd, headerEnd := -1, -1
	sawOlderYear := false
	for step := 0; step < 700; step++ {
		plain := ansi.Strip(m.View())
		if strings.Contains(plain, "December 2025") && strings.Contains(plain, "January 2026") {
			sawOlderYear = true
		}
		for _, l := range strings.Split(plain, "\n")[1:] {
			trimmed := strings.TrimRight(l, " ")
			switch g := row.FindStringSubmatch(l); {
			case g != nil:
				if g[2] != "" {
					t.Fatalf("step %d: date %q carries more than dd.mm.: %q", step, g[1]+g[2], l)
				}
				// The name starts right after "▸dd.mm. " and the amount ends
				// at the row's last cell: both stay put while scrolling.
				if amountEnd < 0 {
					amountEnd = ansi.StringWidth(trimmed)
				}
				if strings.HasPrefix(l[len(g[0]):], " ") || ansi.StringWidth(trimmed) != amountEnd {
					t.Fatalf("step %d: row moved (amount ends at %d, want %d): %q", step, ansi.StringWidth(trimmed), amountEnd, l)
				}
			case strings.Contains(l, " out "):
				if headerEnd < 0 {
					headerEnd = ansi.StringWidth(trimmed)
				}
				if ansi.StringWidth(trimmed) != headerEnd {
					t.Fatalf("step %d: month header's sums end at %d, want %d: %q", step, ansi.StringWidth(trimmed), headerEnd, l)
				}
			}
		}
		press(m, "j")
	}
	if !sawOlderYear {
		t.Fatal("the test never scrolled across a year boundary")
	}
}

func TestViewRendersOnlyVisibleRows(t *testing.T) {
	m, _ := loaded(t, 20000, 80, 24)
	press(m, "ctrl+d", "ctrl+d", "ctrl+d")
	if got := strings.Count(m.View(), "\n") + 1; got != 24 {
		t.Fatalf("%d lines, want 24", got)
	}
	// The rows model is precomputed: one per booking plus one per month.
	if m.rowCount() < 20000 || m.rowCount() > 20000+len(m.months) {
		t.Fatalf("row model has %d rows for 20000 bookings and %d months", m.rowCount(), len(m.months))
	}
}

func TestFilterFlow(t *testing.T) {
	m, bank := loaded(t, 700, 80, 20)
	want := 0
	for _, tx := range bank.Txs[4711] {
		if strings.Contains(api.Str(tx.Name), "Zürich") {
			want++
		}
	}
	press(m, "j", "j", "/")
	if !m.Filtering() {
		t.Fatalf("/ did not open the filter line")
	}
	uitest.Pump(m.Update, uitest.Type("zurich")...) // accent- and case-insensitive
	if got := len(m.matches); got != want {
		t.Fatalf("%d matches, want %d", got, want)
	}
	sel := m.Selected()
	if sel == nil || !strings.Contains(api.Str(sel.Name), "Zürich") {
		t.Fatalf("selection not on the first match: %+v", sel)
	}
	plain := ansi.Strip(m.View())
	if !strings.Contains(plain, "matches · sum −") {
		t.Fatalf("header without count and sum:\n%s", plain)
	}
	if strings.Contains(plain, "Karl Lagerfeld") {
		t.Fatalf("filtered list still shows others:\n%s", plain)
	}
	// While the filter line is open, j and q are text, not commands.
	uitest.Pump(m.Update, uitest.Key("q"))
	if m.queryText != "zurichq" {
		t.Fatalf("filter text %q, want zurichq", m.queryText)
	}
	press(m, "backspace", "enter")
	if m.Filtering() || len(m.matches) != want {
		t.Fatalf("enter did not keep the filter (filtering %v, %d matches)", m.Filtering(), len(m.matches))
	}
	press(m, "j")
	if sel := m.Selected(); !strings.Contains(api.Str(sel.Name), "Zürich") {
		t.Fatalf("j left the filtered rows")
	}
	press(m, "/", "esc")
	if m.matches != nil || m.rowCount() < 700 {
		t.Fatalf("esc did not clear the filter")
	}
}

func TestFilterTokensAndErrors(t *testing.T) {
	m, bank := loaded(t, 300, 80, 20)
	press(m, "/")
	uitest.Pump(m.Update, uitest.Type("in")...)
	want := 0
	for _, tx := range bank.Txs[4711] {
		if tx.Amount > 0 {
			want++
		}
	}
	if len(m.matches) != want {
		t.Fatalf("in: %d matches, want %d", len(m.matches), want)
	}
	if m.matchSum <= 0 {
		t.Fatalf("in: sum %d", m.matchSum)
	}
	press(m, "esc", "/")
	uitest.Pump(m.Update, uitest.Type("amt:>abc")...)
	if m.queryErr == nil {
		t.Fatalf("no error for a bad token")
	}
	if !strings.Contains(ansi.Strip(m.View()), m.queryErr.Error()[:10]) {
		t.Fatalf("error not shown")
	}
}

func TestStaleMatchResultsAreDropped(t *testing.T) {
	m, _ := loaded(t, 300, 80, 20)
	press(m, "/")
	// Type without running the match Cmds: only one may be in flight.
	var cmds []tea.Cmd
	for _, k := range uitest.Type("kar") {
		cmds = append(cmds, m.Update(k))
	}
	if !m.inFlight || !m.stale {
		t.Fatalf("inFlight %v stale %v: want one match running and a newer query waiting", m.inFlight, m.stale)
	}
	for _, c := range cmds {
		uitest.Pump(m.Update, uitest.Collect(c)...)
	}
	for _, i := range m.matches {
		if !strings.Contains(strings.ToLower(api.Str(m.txs.At(i).Name)), "kar") {
			t.Fatalf("result of an older query shown: %q", api.Str(m.txs.At(i).Name))
		}
	}
	if len(m.matches) == 0 {
		t.Fatalf("the newest query never ran")
	}
}

func TestErrorAndEmptyStates(t *testing.T) {
	bank := uitest.NewBank(10)
	bank.Err = &api.Error{Status: 503}
	c := uitest.Common(bank, 60, 12)
	m := New(c)
	m.SetSize(60, 12)
	loadNow(m, c, 4711)
	plain := ansi.Strip(m.View())
	if !strings.Contains(plain, "server failed") || !strings.Contains(plain, "press r to retry") {
		t.Fatalf("no error state:\n%s", plain)
	}
	bank.Err = nil
	bank.Txs[4711] = nil
	loadNow(m, c, 4711)
	if plain := ansi.Strip(m.View()); !strings.Contains(plain, "no bookings yet") {
		t.Fatalf("no empty state:\n%s", plain)
	}
}

func TestLoadingState(t *testing.T) {
	c := uitest.Common(uitest.NewBank(1), 60, 12)
	m := New(c)
	m.SetSize(60, 12)
	m.Load(4711)
	if plain := ansi.Strip(m.View()); !strings.Contains(plain, "loading transactions") {
		t.Fatalf("no loading state:\n%s", plain)
	}
	// Nothing has arrived yet: the header must not claim there is nothing.
	if plain := ansi.Strip(m.View()); strings.Contains(plain, "0 bookings") {
		t.Fatalf("header says 0 bookings while loading:\n%s", plain)
	}
}

func TestHostileTextIsSanitisedOnArrival(t *testing.T) {
	bank := uitest.NewBank(5)
	bank.Txs[4711][0].Name = api.Ptr("Evil\x1b[2J\x1b]52;c;aGk=\x07 Corp\u202e")
	c := uitest.Common(bank, 80, 12)
	m := New(c)
	m.SetSize(80, 12)
	loadNow(m, c, 4711)
	out := m.View()
	if strings.Contains(out, "\x1b[2J") || strings.Contains(out, "\x1b]52") || strings.Contains(out, "\u202e") {
		t.Fatalf("hostile sequences reached the screen: %q", out)
	}
}

// The match count and sum are never cut: the query and the hint give way.
func TestFilterHeaderKeepsCountAndSum(t *testing.T) {
	for _, w := range []int{40, 52, 60, 78} {
		m, _ := loaded(t, 700, w, 20)
		press(m, "/")
		uitest.Pump(m.Update, uitest.Type("invoice amt:<-50 out")...)
		if m.matches == nil {
			t.Fatalf("width %d: no matches", w)
		}
		want := m.matchSummary()
		if head := ansi.Strip(strings.Split(m.View(), "\n")[0]); !strings.Contains(head, want) {
			t.Fatalf("width %d typing: header %q lacks %q", w, head, want)
		}
		press(m, "enter")
		if head := ansi.Strip(strings.Split(m.View(), "\n")[0]); !strings.Contains(head, want) {
			t.Fatalf("width %d kept: header %q lacks %q", w, head, want)
		}
	}
}

// esc on the list clears a kept filter, as it does in the filter line.
func TestEscClearsKeptFilter(t *testing.T) {
	m, _ := loaded(t, 100, 80, 20)
	press(m, "/")
	uitest.Pump(m.Update, uitest.Type("zurich")...)
	press(m, "enter", "esc")
	if m.matches != nil || m.queryText != "" || m.rowCount() < 100 {
		t.Fatalf("esc did not clear the kept filter (%q, %d matches)", m.queryText, len(m.matches))
	}
}

func TestSelectionStaysOnItsBookingWhenNewOnesArrive(t *testing.T) {
	m, bank := loaded(t, 300, 80, 20)
	press(m, "j", "j", "j")
	before := m.Selected()
	if before == nil {
		t.Fatal("nothing selected")
	}
	want := before.ID
	newer := bank.Txs[4711][0]
	newer.ID = 99999999
	txs := append([]api.Transaction{newer}, bank.Txs[4711]...)
	m.setTransactions(history.Of(txs))
	if got := m.Selected(); got == nil || got.ID != want {
		t.Fatalf("after a new booking arrived the selection is %+v, want booking %d", got, want)
	}
	// Fewer bookings than rows before (an account with a shorter history)
	// must not index past the new data.
	m.setTransactions(history.Of(txs[:2]))
	if got := m.Selected(); got == nil {
		t.Fatal("no selection after the data shrank")
	}
}

// TestReloadDoesNotFetchPageOneAgain: a reload of a list that shows
// bookings only syncs; page 1 would be dropped on arrival.
func TestReloadDoesNotFetchPageOneAgain(t *testing.T) {
	m, bank := loaded(t, 120, 80, 20)
	pages, syncs := bank.CallCount("TransactionsPage"), bank.CallCount("SyncHistory")
	uitest.Collect(m.Load(4711))
	if n := bank.CallCount("TransactionsPage") - pages; n != 0 {
		t.Errorf("reload fetched page 1 %d times, want 0", n)
	}
	if n := bank.CallCount("SyncHistory") - syncs; n != 1 {
		t.Errorf("reload synced %d times, want 1", n)
	}
}

// A transfer pending check shows above the newest booking, in the columns
// of a booking, until it is settled; the cursor never rests on it (it is no
// booking: no details, no pay again), and going to the top shows it again.
func TestPendingCheckRowAboveTheBookings(t *testing.T) {
	m, bank := loaded(t, 300, 100, 20)
	p := api.PendingPayment{Kind: api.KindTransfer, AccountID: 4711, E2EID: "KONTO-A", Recipient: "Karl Brenner",
		IBAN: "DE89370400440532013000", Amount: 1250, SentAt: uitest.Now.Add(-time.Minute)}
	other := p
	other.AccountID, other.E2EID = 4712, "KONTO-B"
	order := p
	order.Kind, order.E2EID = api.KindStandingOrder, "KONTO-C"
	m.SetPending([]api.PendingPayment{p, other, order})
	if m.PendingRows() != 1 {
		t.Fatalf("%d pending rows, want 1 (this account's transfer)", m.PendingRows())
	}
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	if !strings.Contains(lines[1], "Karl Brenner") || !strings.Contains(lines[1], "pending check · sent 09:59") || !strings.Contains(lines[1], "−12,50") {
		t.Fatalf("first row %q", lines[1])
	}
	if sel := m.Selected(); sel == nil || sel.ID != bank.Txs[4711][0].ID {
		t.Fatalf("selected %+v, want the newest booking", sel)
	}
	press(m, "k", "g")
	if sel := m.Selected(); sel == nil || sel.ID != bank.Txs[4711][0].ID {
		t.Fatalf("the cursor left the bookings: %+v", sel)
	}
	press(m, "G", "g")
	if !strings.Contains(strings.Split(ansi.Strip(m.View()), "\n")[1], "pending check") {
		t.Errorf("back at the top the pending row is out of sight:\n%s", ansi.Strip(m.View()))
	}
	m.SetPending(nil)
	if m.PendingRows() != 0 || strings.Contains(ansi.Strip(m.View()), "pending check") {
		t.Error("the settled transfer still shows")
	}
}

// A poll's new bookings join the history shown in front, once, without
// the history being asked for again.
func TestBookingsArrivedJoinInFront(t *testing.T) {
	m, bank := loaded(t, 300, 100, 20)
	calls := len(bank.Calls)
	fresh := api.Transaction{ID: 9001, Amount: 125000, Name: api.Ptr("Karl Brenner"), BookingDate: api.TxTime{Time: uitest.Now}}
	known := m.History().At(0)
	uitest.Pump(m.Update, common.BookingsArrivedMsg{AccountID: 4711, Transactions: []api.Transaction{fresh, known}})
	if m.Len() != 301 || m.History().At(0).ID != 9001 || m.History().At(1).ID != known.ID {
		t.Fatalf("after one new and one known: %d bookings, newest %d", m.Len(), m.History().At(0).ID)
	}
	uitest.Pump(m.Update, common.BookingsArrivedMsg{AccountID: 4711, Transactions: []api.Transaction{fresh}})
	uitest.Pump(m.Update, common.BookingsArrivedMsg{AccountID: 4712, Transactions: []api.Transaction{{ID: 9002}}})
	if m.Len() != 301 {
		t.Fatalf("the same booking twice, or another account's: %d bookings", m.Len())
	}
	if len(bank.Calls) != calls {
		t.Errorf("the bank was asked again: %v", bank.Calls[calls:])
	}
}
