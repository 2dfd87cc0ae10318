package keys

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func press(s string) tea.KeyPressMsg {
	if len([]rune(s)) == 1 {
		return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
	}
	switch s {
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "ctrl+n":
		return tea.KeyPressMsg{Code: 'n', Mod: tea.ModCtrl}
	}
	panic(s)
}

func TestKeyActionsNames(t *testing.T) {
	km := DefaultKeyMap()
	names := KeyActions(&km)
	for _, want := range []string{"global.quit", "global.resync", "list.half_page_down", "list.down", "filter.keep", "detail.copy_iban", "global.tab_transactions"} {
		if !slices.Contains(names, want) {
			t.Errorf("action %q missing from %v", want, names)
		}
	}
}

func TestApplyKeyBindings(t *testing.T) {
	km := DefaultKeyMap()
	err := ApplyKeyBindings(&km, map[string][]string{
		"list.down":   {"J", "down", "ctrl+n"},
		"list.filter": {},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"J", "down", "ctrl+n"} {
		if !key.Matches(press(k), km.List.Down) {
			t.Errorf("%q does not move down", k)
		}
	}
	if key.Matches(press("j"), km.List.Down) {
		t.Error("j still moves down: configured keys replace the built-in ones")
	}
	if got := km.List.Down.Help(); got.Key != "J/↓/ctrl+n" || got.Desc != "down" {
		t.Errorf("help %+v, want the keys in force", got)
	}
	if km.List.Filter.Enabled() || key.Matches(press("/"), km.List.Filter) {
		t.Error("an empty list did not unbind the filter")
	}
	if !key.Matches(press("k"), km.List.Up) {
		t.Error("an action the config does not name lost its keys")
	}
}

func TestApplyKeyBindingsErrors(t *testing.T) {
	tests := []struct {
		bindings   map[string][]string
		action, in string
	}{
		{map[string][]string{"list.dwn": {"n"}}, "list.dwn", "unknown action"},
		{map[string][]string{"list.down": {"ctrl+"}}, "list.down", `unknown key "ctrl+"`},
		{map[string][]string{"list.down": {"pagedown"}}, "list.down", `unknown key "pagedown"`},
		// Same group.
		{map[string][]string{"list.down": {"k"}}, "list.down", `key "k" is also bound to list.up`},
		// Global keys are live with a list's keys.
		{map[string][]string{"list.top": {"r"}}, "list.top", `key "r" is also bound to global.refresh`},
		{map[string][]string{"global.help": {"j"}}, "global.help", `key "j" is also bound to list.down`},
		// A list also takes the payment keys and y (copy IBAN).
		{map[string][]string{"list.down": {"n"}}, "list.down", `key "n" is also bound to payments.new_order`},
		{map[string][]string{"detail.copy_iban": {"g"}}, "detail.copy_iban", `key "g" is also bound to list.top`},
		// The details take the payment keys too (x cancels the order shown).
		{map[string][]string{"detail.close": {"x"}}, "detail.close", `key "x" is also bound to payments.cancel_order`},
	}
	for _, tt := range tests {
		km := DefaultKeyMap()
		err := ApplyKeyBindings(&km, tt.bindings)
		var kerr *KeyBindingError
		if !errors.As(err, &kerr) {
			t.Errorf("%v: error %v, want a KeyBindingError", tt.bindings, err)
			continue
		}
		if kerr.Action != tt.action || !strings.Contains(kerr.Msg, tt.in) {
			t.Errorf("%v: %q on %s, want %q on %s", tt.bindings, kerr.Msg, kerr.Action, tt.in, tt.action)
		}
	}
}

func TestKeysOfSeparateContextsMayRepeat(t *testing.T) {
	km := DefaultKeyMap()
	// esc closes the details and clears the filter; j moves down a list and
	// "keeps" the filter: never live together.
	if err := ApplyKeyBindings(&km, map[string][]string{"detail.close": {"esc", "backspace"}, "filter.clear": {"esc"}, "filter.keep": {"j"}}); err != nil {
		t.Fatal(err)
	}
	// The details are live with the global keys.
	var kerr *KeyBindingError
	if err := ApplyKeyBindings(&km, map[string][]string{"detail.close": {"q"}}); !errors.As(err, &kerr) || kerr.Action != "detail.close" {
		t.Errorf("detail.close = q: %v, want a collision with global.quit", err)
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{"HalfPageDown": "half_page_down", "CopyIBAN": "copy_iban", "Quit": "quit", "IBANCopy": "iban_copy", "Tab2": "tab2"} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestModalKeysRebind(t *testing.T) {
	km := DefaultKeyMap()
	err := ApplyKeyBindings(&km, map[string][]string{
		"form.review":  {"f2"},
		"review.back":  {"backspace"},
		"tan.abort":    {"ctrl+g"},
		"login.later":  {"f10"},
		"dialog.yes":   {"j"},
		"form.next":    {"tab"},
		"tan.confirm":  {"enter"},
		"tan.close":    {"enter"}, // another state of the TAN dialog than confirm
		"login.toggle": {"space"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if km.Form.Review.Help().Key != "f2" || km.Dialog.Yes.Help().Key != "j" || km.Login.Later.Keys()[0] != "f10" {
		t.Errorf("modal keys not rebound: %+v %+v", km.Form.Review.Help(), km.Dialog.Yes.Help())
	}
	// A dialog takes every key: its keys may repeat the dashboard's.
	if err := ApplyKeyBindings(&km, map[string][]string{"dialog.keep": {"q", "esc"}, "review.submit": {"t"}}); err != nil {
		t.Errorf("a modal key repeating a dashboard key: %v", err)
	}
}

func TestModalKeyClashes(t *testing.T) {
	tests := []struct {
		bindings   map[string][]string
		action, in string
	}{
		{map[string][]string{"form.review": {"tab"}}, "form.review", `key "tab" is also bound to form.next`},
		{map[string][]string{"review.back": {"ctrl+o"}}, "review.back", `key "ctrl+o" is also bound to payments.send_anyway`},
		{map[string][]string{"review.submit": {"ctrl+o"}}, "review.submit", `key "ctrl+o" is also bound to payments.send_anyway`},
		{map[string][]string{"tan.clear": {"enter"}}, "tan.clear", `key "enter" is also bound to tan.confirm`},
		{map[string][]string{"tan.check_again": {"esc"}}, "tan.check_again", `key "esc" is also bound to tan.abort`},
		{map[string][]string{"login.later": {"ctrl+s"}}, "login.later", `key "ctrl+s" is also bound to login.keep_logged_in`},
		{map[string][]string{"dialog.yes": {"n"}}, "dialog.yes", `key "n" is also bound to dialog.keep`},
		// A text field would take the key before the action could.
		{map[string][]string{"form.review": {"x"}}, "form.review", `key "x" would be typed`},
		{map[string][]string{"tan.confirm": {"5"}}, "tan.confirm", `key "5" would be typed`},
		{map[string][]string{"login.submit": {"space"}}, "login.submit", `key "space" would be typed`},
	}
	for _, tt := range tests {
		km := DefaultKeyMap()
		err := ApplyKeyBindings(&km, tt.bindings)
		var kerr *KeyBindingError
		if !errors.As(err, &kerr) {
			t.Errorf("%v: error %v, want a KeyBindingError", tt.bindings, err)
			continue
		}
		if kerr.Action != tt.action || !strings.Contains(kerr.Msg, tt.in) {
			t.Errorf("%v: %q on %s, want %q on %s", tt.bindings, kerr.Msg, kerr.Action, tt.in, tt.action)
		}
	}
}

func TestEveryActionRebindable(t *testing.T) {
	km := DefaultKeyMap()
	for _, action := range KeyActions(&km) {
		km := DefaultKeyMap()
		if err := ApplyKeyBindings(&km, map[string][]string{action: {"f12"}}); err != nil {
			t.Errorf("%s = f12: %v", action, err)
		}
	}
	for _, group := range []string{"form.", "review.", "tan.", "login.", "dialog."} {
		if !slices.ContainsFunc(KeyActions(&km), func(a string) bool { return strings.HasPrefix(a, group) }) {
			t.Errorf("no %s actions in the key map", group)
		}
	}
}
