// Package accounts is the accounts pane: every account with its IBAN, its
// balance and a sparkline of the balance over the last 90 days.
package accounts

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store/forecast"
	"konto/store/history"
	"konto/ui/common"
	"konto/ui/list"
)

// SparkDays is how far back the sparkline looks.
const SparkDays = 90

// Model is the accounts pane.
type Model struct {
	c        *common.Common
	accounts []api.Account
	// daily holds each account's end-of-day balances over SparkDays, oldest
	// first, computed once when its history arrives.
	daily map[int64][]int64
	// ahead is each account's forecast (forward.go): its forward line.
	ahead         map[int64]forecast.Projection
	list          list.Model // the cursor, in accounts
	loading       bool
	err           error
	width, height int
	focused       bool
	// strip draws one line per account (the stacked layout's accounts
	// above the transactions) instead of the pane's two.
	strip bool
	spin  spinner.Model
}

// New returns an empty pane.
func New(c *common.Common) *Model {
	return &Model{c: c, daily: map[int64][]int64{}, ahead: map[int64]forecast.Projection{}, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

// Load starts fetching the account list.
func (m *Model) Load() tea.Cmd {
	m.loading, m.err = true, nil
	return tea.Batch(LoadAccounts(m.c), m.spin.Tick)
}

// LoadAccounts is the Cmd fetching the account list.
func LoadAccounts(c *common.Common) tea.Cmd {
	bank, ctx := c.Bank, c.Ctx
	return func() tea.Msg {
		accs, err := bank.Accounts(ctx)
		if err != nil {
			return common.AccountsLoadedMsg{Err: fmt.Errorf("load accounts: %w", err)}
		}
		for i := range accs {
			accs[i].IBAN = common.Sanitize(accs[i].IBAN)
		}
		return common.AccountsLoadedMsg{Accounts: accs}
	}
}

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.list.SetHeight(m.perPage())
}

// perPage is how many accounts are in view: one a line on the strip, else
// three lines each (name and IBAN, balance and sparkline, a blank).
func (m *Model) perPage() int {
	if m.strip {
		return max(m.height, 1)
	}
	return max(m.height/accountLines, 1)
}

// accountLines is how many lines an account takes in the pane.
const accountLines = 3

// SetStrip switches between the pane (two lines per account) and the
// strip (one line per account, the full width of the stacked layout).
func (m *Model) SetStrip(strip bool) {
	m.strip = strip
	m.list.SetHeight(m.perPage())
}

// StripRows is how many lines the strip wants: one per account (one for a
// loading or error line), at most limit.
func (m *Model) StripRows(limit int) int {
	return max(min(len(m.accounts), limit), 1)
}

// stripFirst is the first account on the strip: the selection stays in view
// when there are more accounts than lines.
func (m *Model) stripFirst() int { return max(m.list.Cursor()-m.height+1, 0) }

// paneCut is how many lines of the pane's accounts are scrolled off its
// top: the selection stays in view on very short panes.
func (m *Model) paneCut() int {
	c := m.list.Cursor()
	if len(m.accounts)*accountLines > m.height && c*accountLines+accountLines > m.height {
		return c*accountLines + accountLines - m.height
	}
	return 0
}

// Click selects the account drawn at line y of the pane; changed reports a
// new selection (then the Cmd says so, as a key would).
func (m *Model) Click(y int) tea.Cmd {
	if y < 0 || y >= m.height || len(m.accounts) == 0 {
		return nil
	}
	i := (y + m.paneCut()) / accountLines
	if m.strip {
		i = m.stripFirst() + y
	}
	if i >= len(m.accounts) || i == m.list.Cursor() {
		return nil
	}
	m.list.JumpTo(i, 1)
	return m.selected()
}

// selected says the selection changed.
func (m *Model) selected() tea.Cmd {
	a := m.accounts[m.list.Cursor()]
	return func() tea.Msg { return common.AccountSelectedMsg{Account: a} }
}

// Title is the pane's title; on a strip too short for every account it
// says which ones show ("Accounts 3–6 of 8"), so none is missed.
func (m *Model) Title() string {
	if !m.strip || m.height <= 0 || len(m.accounts) <= m.height {
		return "Accounts"
	}
	first := m.stripFirst()
	return fmt.Sprintf("Accounts %d–%d of %d", first+1, min(first+m.height, len(m.accounts)), len(m.accounts))
}

// KeyMap: the accounts have the keys of every list only (enter shows the
// selected account's bookings: the root's).
func (m *Model) KeyMap() help.KeyMap { return common.Keys{} }

// SetFocused marks the pane focused.
func (m *Model) SetFocused(f bool) { m.focused = f }

// Accounts returns the accounts shown.
func (m *Model) Accounts() []api.Account { return m.accounts }

// Selected returns the selected account, if any.
func (m *Model) Selected() (api.Account, bool) {
	c := m.list.Cursor()
	if c < 0 || c >= len(m.accounts) {
		return api.Account{}, false
	}
	return m.accounts[c], true
}

// SetHistory derives the account's balance sparkline from its history
// (newest first): the balance at the end of each day is today's balance
// minus every booking after that day.
func (m *Model) SetHistory(accountID int64, h *history.History) {
	for _, a := range m.accounts {
		if a.ID == accountID {
			m.daily[accountID] = DailyBalances(a.Balance, h, m.c.Now(), m.c.Loc, SparkDays)
		}
	}
}

// DailyBalances returns the end-of-day balances of the last days days,
// oldest first, from the balance now and the history (newest first).
func DailyBalances(balance int64, h *history.History, now time.Time, loc *time.Location, days int) []int64 {
	out := make([]int64, days)
	now = now.In(loc)
	endOfToday := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, loc)
	bal, i := balance, 0
	// Walk back one day at a time, taking off the bookings made after that day's end.
	for d := 0; d < days; d++ {
		end := endOfToday.AddDate(0, 0, -d)
		for i < h.Len() && !h.Booked(i).Before(end) {
			bal -= h.Amount(i)
			i++
		}
		out[days-1-d] = bal
	}
	return out
}

// Sparkline draws values in width cells with ▁▂▃▄▅▆▇█, each cell the last
// value of its bucket.
func Sparkline(values []int64, width int) string {
	if len(values) == 0 || width <= 0 {
		return ""
	}
	width = min(width, len(values))
	lo, hi := values[0], values[0]
	for _, v := range values {
		lo, hi = min(lo, v), max(hi, v)
	}
	blocks := []rune("▁▂▃▄▅▆▇█")
	var b strings.Builder
	for c := 0; c < width; c++ {
		v := values[(c+1)*len(values)/width-1]
		level := 3
		if hi > lo {
			level = int((v - lo) * int64(len(blocks)-1) / (hi - lo))
		}
		b.WriteRune(blocks[level])
	}
	return b.String()
}

// Update handles the account list and, when focused, j/k.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.AccountsLoadedMsg:
		m.loading = false
		if msg.Err != nil {
			m.err = msg.Err
			return nil
		}
		m.err = nil
		prev, hadPrev := m.Selected()
		m.accounts = msg.Accounts
		cursor := 0
		if hadPrev {
			cursor = max(list.Find(len(m.accounts), func(i int) bool { return m.accounts[i].ID == prev.ID }), 0)
		}
		m.list.SetLen(len(m.accounts), cursor)
		return nil
	case spinner.TickMsg:
		if !m.loading {
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case tea.KeyPressMsg, tea.MouseWheelMsg:
		old := m.list.Cursor()
		if wheel, ok := msg.(tea.MouseWheelMsg); ok {
			// The pane scrolls with its selection: the wheel moves it.
			switch wheel.Button {
			case tea.MouseWheelDown:
				m.list.Move(1)
			case tea.MouseWheelUp:
				m.list.Move(-1)
			}
		} else {
			m.list.Update(msg, m.c.Keys.List)
		}
		if m.list.Cursor() != old {
			return m.selected()
		}
	}
	return nil
}

// View draws two lines per account: IBAN, then balance and sparkline.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.c.Styles
	var lines []string
	switch {
	case m.err != nil && len(m.accounts) == 0:
		lines = common.StateLines(st, common.ErrorText(m.err), true, m.height)
	case m.loading && len(m.accounts) == 0:
		lines = common.StateLines(st, m.spin.View()+" loading accounts…", false, m.height)
	case len(m.accounts) == 0:
		lines = common.StateLines(st, "no accounts", false, m.height)
	case m.strip:
		first := m.stripFirst()
		balW := 14
		for _, a := range m.accounts {
			balW = max(balW, ansi.StringWidth(m.c.Balance(a.Balance)))
		}
		for i := first; i < len(m.accounts) && i < first+m.height; i++ {
			lines = append(lines, m.stripLine(i, m.accounts[i], balW))
		}
	default:
		for i, a := range m.accounts {
			lines = append(lines, m.accountLines(i, a)...)
		}
		// Keep the selection visible on very short panes.
		lines = lines[m.paneCut():]
	}
	return common.FitBlock(lines, m.width, m.height)
}

// Label names the account at index i of the bank's list: the API has no
// account names, and the bank lists the main account first.
func Label(i int) string {
	if i == 0 {
		return "Main"
	}
	return fmt.Sprintf("Account %d", i+1)
}

func (m *Model) accountLines(i int, a api.Account) []string {
	st := m.c.Styles
	w := m.width - 2
	// The name on the left, the IBAN on the right: grouped in full when it
	// fits, else shortened; the name gives way before the last four digits.
	label := Label(i)
	iban := m.c.IBAN(a.IBAN)
	if ansi.StringWidth(label)+1+ansi.StringWidth(iban) > w {
		iban = m.c.ShortIBAN(a.IBAN)
	}
	label = common.Truncate(label, max(w-ansi.StringWidth(iban)-1, 0))
	gap := strings.Repeat(" ", max(w-ansi.StringWidth(label)-ansi.StringWidth(iban), 1))
	mark := "  "
	if i == m.list.Cursor() {
		mark = st.Accent.Render("▸ ")
	}
	first := mark + st.Text.Render(label) + gap + st.Muted.Render(iban)
	if i == m.list.Cursor() && m.focused {
		first = st.Selection.Render(common.PadRight("▸ "+label+gap+iban, m.width))
	}
	bal := m.c.Balance(a.Balance)
	balStyle := st.Header
	if a.Balance < 0 {
		balStyle = st.Debit
	}
	second := "  " + balStyle.Render(bal)
	if d, ok := m.daily[a.ID]; ok {
		if room := w - len([]rune(bal)) - 2; room >= 4 {
			past, ahead := sparkRoom(room, m.hasAhead(a.ID))
			second += "  " + m.sparks(a.ID, d, past, ahead)
		}
	}
	return []string{first, second, m.lowestLine(a.ID, w)}
}

// stripLine draws account i on one line: name, IBAN (grouped in full when
// it fits), balance and, as room allows, the sparkline.
func (m *Model) stripLine(i int, a api.Account, balW int) string {
	st := m.c.Styles
	label := common.PadRight(common.Truncate(Label(i), 10), 10)
	bal := m.c.Balance(a.Balance)
	iban := m.c.IBAN(a.IBAN)
	fixed := 2 + 10 + 2 + 2 + balW // mark, name, gaps, balance column
	if fixed+ansi.StringWidth(iban) > m.width {
		iban = m.c.ShortIBAN(a.IBAN)
	}
	ibanW := max(ansi.StringWidth(iban), 27) // IBANs line up under each other
	balCol := common.PadLeft(bal, balW)
	spark, plain := "", ""
	if d, ok := m.daily[a.ID]; ok {
		if room := m.width - fixed - ibanW - 2; room >= 4 {
			past, ahead := sparkRoom(min(room, SparkDays/3+SparkDays/6+1), m.hasAhead(a.ID))
			spark = m.sparks(a.ID, d, past, ahead)
			plain = ansi.Strip(spark)
		}
	}
	if i == m.list.Cursor() && m.focused {
		text := "▸ " + label + "  " + common.PadRight(iban, ibanW) + "  " + balCol
		if plain != "" {
			text += "  " + plain
		}
		return st.Selection.Render(common.PadRight(common.Truncate(text, m.width), m.width))
	}
	mark := "  "
	if i == m.list.Cursor() {
		mark = st.Accent.Render("▸ ")
	}
	balStyle := st.Header
	if a.Balance < 0 {
		balStyle = st.Debit
	}
	line := mark + st.Text.Render(label) + "  " + st.Muted.Render(common.PadRight(iban, ibanW)) + "  " + balStyle.Render(balCol)
	if spark != "" {
		line += "  " + spark
	}
	return line
}

// Cursor is the selected account's index.
func (m *Model) Cursor() int { return m.list.Cursor() }
