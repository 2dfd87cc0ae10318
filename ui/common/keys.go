package common

import "konto/ui/keys"

// The key map lives in ui/keys; these names stay so the code that built
// Common before the move reads as it did.
type (
	KeyMap          = keys.KeyMap
	KeyBindingError = keys.KeyBindingError
)

// DefaultKeyMap returns konto's key bindings (keys.DefaultKeyMap).
func DefaultKeyMap() KeyMap { return keys.DefaultKeyMap() }

// ApplyKeyBindings applies the config's [keys] (keys.ApplyKeyBindings).
func ApplyKeyBindings(km *KeyMap, bindings map[string][]string) error {
	return keys.ApplyKeyBindings(km, bindings)
}
