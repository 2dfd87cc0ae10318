package ui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"konto/ui/common"
)

// confirmModal is the yes/keep question as a dialog of its own (switching
// payments on): y does it, n or esc keeps things as they are, any other key
// does nothing.
type confirmModal struct {
	c        *common.Common
	question string
	keys     common.ConfirmKeys
	yes      func() tea.Cmd
	width    int
}

func newConfirmModal(c *common.Common, question, yes, keep string, onYes func() tea.Cmd) *confirmModal {
	return &confirmModal{c: c, question: question, keys: common.NewConfirmKeys(c.Keys.Dialog, yes, keep), yes: onYes, width: 60}
}

func (d *confirmModal) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return d, nil
	}
	switch {
	case key.Matches(k, d.keys.Yes):
		return d, tea.Batch(common.CloseModal, d.yes())
	case key.Matches(k, d.keys.Keep):
		return d, common.CloseModal
	}
	return d, nil
}

func (d *confirmModal) View() string {
	st := d.c.Styles
	w := min(d.width, 64)
	lines := []string{""}
	for _, l := range common.WrapWords(d.keys.Question(d.question), w-4) {
		lines = append(lines, " "+st.Warning.Render(l))
	}
	lines = append(lines, "")
	return common.Box(st, "Payments", lines, w, len(lines)+2, true)
}

func (d *confirmModal) SetSize(w, _ int) { d.width = w }

func (d *confirmModal) KeyMap() help.KeyMap { return d.keys }
