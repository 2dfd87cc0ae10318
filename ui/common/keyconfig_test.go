package common

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
