package common

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
)

// KeyBindingError is a key binding from the config that cannot be used:
// Action names it (as the config does, "list.down"), Msg says why.
type KeyBindingError struct {
	Action string
	Msg    string
}

func (e *KeyBindingError) Error() string { return fmt.Sprintf("key binding %s: %s", e.Action, e.Msg) }

// KeyActions lists every action name of the key map, "group.action" in
// snake case (Global.HalfPageDown is "global.half_page_down"), in order.
// They are derived from KeyMap's fields, so a binding added to the map can be
// configured without a second list to keep in step.
func KeyActions(km *KeyMap) []string {
	var names []string
	eachBinding(km, func(action string, _ *key.Binding) { names = append(names, action) })
	return names
}

// ApplyKeyBindings replaces the keys of each action named in bindings (from
// the config; an empty list unbinds the action) and updates its help to the
// keys in force. It fails on an unknown action or key name, and on a key
// bound twice in one context (the same group, or the global keys and the
// keys of a pane) where at least one side is configured.
func ApplyKeyBindings(km *KeyMap, bindings map[string][]string) error {
	known := map[string]bool{}
	eachBinding(km, func(action string, _ *key.Binding) { known[action] = true })
	actions := make([]string, 0, len(bindings))
	for action := range bindings {
		actions = append(actions, action)
	}
	slices.Sort(actions)
	for _, action := range actions {
		if !known[action] {
			return &KeyBindingError{Action: action, Msg: "unknown action (known: " + strings.Join(KeyActions(km), ", ") + ")"}
		}
		for _, k := range bindings[action] {
			if !validKeyName(k) {
				return &KeyBindingError{Action: action, Msg: fmt.Sprintf("unknown key %q (write e.g. \"j\", \"ctrl+n\", \"down\", \"pgdown\", \"f2\")", k)}
			}
		}
	}
	eachBinding(km, func(action string, b *key.Binding) {
		keys, ok := bindings[action]
		if !ok {
			return
		}
		desc := b.Help().Desc
		if len(keys) == 0 {
			*b = key.NewBinding(key.WithDisabled(), key.WithHelp("", desc))
			return
		}
		*b = key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), desc))
	})
	return checkCollisions(km, bindings)
}

// helpKeys writes keys as the help shows them: "j/down".
func helpKeys(keys []string) string {
	shown := make([]string, len(keys))
	for i, k := range keys {
		switch k {
		case "up":
			k = "↑"
		case "down":
			k = "↓"
		case "left":
			k = "←"
		case "right":
			k = "→"
		case " ":
			k = "space"
		}
		shown[i] = k
	}
	return strings.Join(shown, "/")
}

// exclusiveGroups take every key while open (the filter line), before the
// global keys; every other group is live together with the global keys.
var exclusiveGroups = []string{"filter"}

// liveTogether are pane groups whose keys work at the same time: in a list
// the payment keys and y (copy the selection's IBAN) work too, and in the
// details the payment keys (for the booking or order they show).
var liveTogether = [][2]string{{"list", "payments"}, {"list", "detail"}, {"detail", "payments"}}

func checkCollisions(km *KeyMap, configured map[string][]string) error {
	type owner struct{ action, group string }
	groupOf := func(action string) string { g, _, _ := strings.Cut(action, "."); return g }
	var all []owner
	keysOf := map[string][]string{}
	eachBinding(km, func(action string, b *key.Binding) {
		if b.Enabled() {
			all = append(all, owner{action, groupOf(action)})
			keysOf[action] = b.Keys()
		}
	})
	together := func(g1, g2 string) bool {
		switch {
		case g1 == g2:
			return true
		case g1 != "global" && g2 != "global":
			return slices.ContainsFunc(liveTogether, func(p [2]string) bool {
				return (p[0] == g1 && p[1] == g2) || (p[0] == g2 && p[1] == g1)
			})
		}
		return !slices.Contains(exclusiveGroups, g1) && !slices.Contains(exclusiveGroups, g2)
	}
	for i, a := range all {
		for _, b := range all[i+1:] {
			if !together(a.group, b.group) {
				continue
			}
			_, aSet := configured[a.action]
			_, bSet := configured[b.action]
			if !aSet && !bSet {
				continue // the built-in keys are konto's business
			}
			for _, k := range keysOf[a.action] {
				if slices.Contains(keysOf[b.action], k) {
					blame, other := a.action, b.action
					if !aSet {
						blame, other = b.action, a.action
					}
					return &KeyBindingError{Action: blame, Msg: fmt.Sprintf("key %q is also bound to %s", k, other)}
				}
			}
		}
	}
	return nil
}

// eachBinding calls fn for every key.Binding field of every group of km.
func eachBinding(km *KeyMap, fn func(action string, b *key.Binding)) {
	bindingType := reflect.TypeFor[key.Binding]()
	groups := reflect.ValueOf(km).Elem()
	for i := range groups.NumField() {
		group := groups.Field(i)
		if group.Kind() != reflect.Struct || !groups.Type().Field(i).IsExported() {
			continue
		}
		groupName := snake(groups.Type().Field(i).Name)
		for j := range group.NumField() {
			f := group.Field(j)
			if f.Type() != bindingType || !group.Type().Field(j).IsExported() {
				continue
			}
			fn(groupName+"."+snake(group.Type().Field(j).Name), f.Addr().Interface().(*key.Binding))
		}
	}
}

// snake turns a Go field name into the config's spelling: HalfPageDown →
// half_page_down, CopyIBAN → copy_iban.
func snake(s string) string {
	var b strings.Builder
	runes := []rune(s)
	for i, r := range runes {
		if unicode.IsUpper(r) && i > 0 {
			prevLower := unicode.IsLower(runes[i-1]) || unicode.IsDigit(runes[i-1])
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			if prevLower || (unicode.IsUpper(runes[i-1]) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// namedKeys are the keys with names, as bubbletea spells them.
var namedKeys = []string{
	"enter", "esc", "tab", "space", "backspace", "delete", "insert",
	"up", "down", "left", "right", "home", "end", "pgup", "pgdown",
	"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
}

// validKeyName accepts a printable character or a named key, each with
// ctrl+, alt+ and shift+ in front ("ctrl+alt+n").
func validKeyName(k string) bool {
	base := k
	for {
		rest, ok := cutModifier(base)
		if !ok {
			break
		}
		base = rest
	}
	if base == "" {
		return false
	}
	if r, size := utf8.DecodeRuneInString(base); size == len(base) {
		return unicode.IsPrint(r) && r != utf8.RuneError
	}
	return slices.Contains(namedKeys, base)
}

func cutModifier(k string) (string, bool) {
	for _, mod := range []string{"ctrl+", "alt+", "shift+", "super+", "meta+"} {
		if rest, ok := strings.CutPrefix(k, mod); ok && rest != "" {
			return rest, true
		}
	}
	return k, false
}
