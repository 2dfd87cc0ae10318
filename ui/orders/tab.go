package orders

import (
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"konto/ui/common"
	"konto/ui/detail"
)

// tab is what the two order tabs share beyond the list: the details pane
// they fill, no keys of their own, no input line.
type tab struct {
	*Model
	detail *detail.Model
}

// Reload fetches the list again if it was loaded or the tab is shown.
func (t tab) Reload(accountID int64, shown bool) tea.Cmd {
	if !t.Loaded() && !shown {
		return nil
	}
	return t.Model.Reload(accountID)
}

// KeyMap: an order list has the keys of every list only.
func (t tab) KeyMap() help.KeyMap { return common.Keys{} }

// Capturing: an order list has no input line.
func (t tab) Capturing() bool { return false }

// showFields puts the selected order's fields into the details pane, or
// says what to select.
func (t tab) showFields(fields []detail.Field, iban string, ok bool) {
	if ok {
		t.detail.SetFields(fields, iban)
		return
	}
	t.detail.SetEmpty("select a " + strings.ToLower(t.noun()) + " to see its details")
}
