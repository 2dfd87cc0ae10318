package ui

// The root's part in looking ahead (ui/lookahead): the syncs feed it, its
// forecast goes to the accounts pane's forward line, N opens its notice
// log, and the payment reviews ask it through common.Lookahead.

import (
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/ui/accounts"
	"konto/ui/common"
)

// lookaheadAccounts hands the listed accounts to the look ahead.
func (m *Model) lookaheadAccounts(msg common.AccountsLoadedMsg) tea.Cmd {
	if msg.Err != nil {
		return nil
	}
	return m.look.SetAccounts(msg.Accounts)
}

// lookaheadHistory hands a synced history to the look ahead.
func (m *Model) lookaheadHistory(msg common.TransactionsSyncedMsg) tea.Cmd {
	if msg.Err != nil {
		return nil
	}
	return m.look.SetHistory(msg.AccountID, msg.History)
}

// syncForecast gives the accounts pane the forecast when it changed.
func (m *Model) syncForecast() {
	if v := m.look.Version(); v != m.forecastShown {
		m.forecastShown = v
		res, _ := m.look.Result()
		m.accounts.SetForecast(res.Accounts)
	}
}

func (m *Model) openNotices() tea.Cmd {
	return common.OpenModal(m.look.NoticeLog(func(_ api.Account, i int) string { return accounts.Label(i) }))
}
