package keys

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
// global keys; every other dashboard group is live together with the
// global keys.
var exclusiveGroups = []string{"filter"}

// liveTogether are pane groups whose keys work at the same time: in a list
// the payment keys and y (copy the selection's IBAN) work too, in the
// details the payment keys (for the booking or order they show), and in
// the reports tab the list's keys move its cursor (the reports tab offers
// no order keys, so reports.switch_off shares x with payments.cancel_order);
// the label and period keys work in the transactions list and its details.
var liveTogether = [][2]string{{"list", "payments"}, {"list", "detail"}, {"detail", "payments"}, {"list", "reports"},
	{"labels", "list"}, {"labels", "detail"}, {"labels", "payments"},
	{"period", "list"}, {"period", "detail"}, {"period", "payments"}, {"period", "labels"}}

// modalGroups belong to dialogs. An open dialog takes every key, so its keys
// clash neither with the dashboard's nor with another dialog's, only with
// the keys live in the same dialog at the same time: modalContexts.
var modalGroups = []string{"form", "review", "tan", "login", "dialog"}

// modalContexts are the sets of modal actions live at once ("group.*" is
// every action of the group). The TAN dialog has states with keys of their
// own: enter confirms, starts over or closes, one at a time.
var modalContexts = []context{
	{actions: []string{"form.*"}, typing: true},
	{actions: []string{"review.*", "payments.send_anyway"}},
	{actions: []string{"tan.confirm", "tan.abort", "tan.delete", "tan.clear"}, typing: true},
	{actions: []string{"tan.start_over", "tan.abort"}},
	{actions: []string{"tan.close", "tan.abort", "tan.check_again"}},
	// Toggle works on the "keep me logged in" box alone, where nothing is typed.
	{actions: []string{"login.next", "login.prev", "login.submit", "login.keep_logged_in", "login.later"}, typing: true},
	{actions: []string{"login.*"}},
	{actions: []string{"dialog.*"}},
}

// context is a set of actions live at once; typing: a text field takes the
// printable keys there, so an action bound to one could never be pressed.
type context struct {
	actions []string
	typing  bool
}

func (c context) has(action string) bool {
	group, _, _ := strings.Cut(action, ".")
	return slices.Contains(c.actions, action) || slices.Contains(c.actions, group+".*")
}

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
	together := func(a, b owner) bool {
		aModal, bModal := slices.Contains(modalGroups, a.group), slices.Contains(modalGroups, b.group)
		if aModal || bModal {
			return slices.ContainsFunc(modalContexts, func(c context) bool { return c.has(a.action) && c.has(b.action) })
		}
		switch {
		case a.group == b.group:
			return true
		case a.group != "global" && b.group != "global":
			return slices.ContainsFunc(liveTogether, func(p [2]string) bool {
				return (p[0] == a.group && p[1] == b.group) || (p[0] == b.group && p[1] == a.group)
			})
		}
		return !slices.Contains(exclusiveGroups, a.group) && !slices.Contains(exclusiveGroups, b.group)
	}
	for _, a := range all {
		if _, set := configured[a.action]; !set {
			continue
		}
		for _, k := range keysOf[a.action] {
			typed := slices.ContainsFunc(modalContexts, func(c context) bool { return c.typing && c.has(a.action) })
			if typed && typedKey(k) {
				return &KeyBindingError{Action: a.action, Msg: fmt.Sprintf("key %q would be typed into the dialog's field; bind a named key (enter, f2) or one with ctrl+ or alt+", k)}
			}
		}
	}
	for i, a := range all {
		for _, b := range all[i+1:] {
			if !together(a, b) {
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

// typedKey reports a key a text field types: one printable character with
// no modifier but shift, or space.
func typedKey(k string) bool {
	base, _ := strings.CutPrefix(k, "shift+")
	if base == "space" || base == " " {
		return true
	}
	r, size := utf8.DecodeRuneInString(base)
	return size == len(base) && unicode.IsPrint(r)
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
