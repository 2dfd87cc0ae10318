package common

import (
	"charm.land/bubbles/v2/key"

	"konto/ui/keys"
)

// ConfirmKeys are the keys of the one question konto asks before anything
// it cannot take back (cancel an order, discard a half-filled form): y does
// it, n or esc keeps things as they are. Enter alone does nothing: the habit
// of pressing enter to go on must never be what destroys, nor close the
// question unseen.
type ConfirmKeys struct{ Yes, Keep key.Binding }

// NewConfirmKeys returns the question's keys (k: the session's, y and n/esc
// unless the config rebinds them), Yes named yes ("cancel it") and Keep
// named keep ("keep it").
func NewConfirmKeys(k keys.DialogKeys, yes, keep string) ConfirmKeys {
	return ConfirmKeys{Yes: keys.Named(k.Yes, yes), Keep: keys.Named(k.Keep, keep)}
}

// Question is the question's line, worded the same in every dialog:
// "Cancel this timed order?  y cancel it · n/esc keep it".
func (k ConfirmKeys) Question(q string) string {
	return q + "  " + k.Yes.Help().Key + " " + k.Yes.Help().Desc + " · " + k.Keep.Help().Key + " " + k.Keep.Help().Desc
}

// ShortHelp lists the two keys for the help bar.
func (k ConfirmKeys) ShortHelp() []key.Binding { return []key.Binding{k.Yes, k.Keep} }

// FullHelp is ShortHelp as one group.
func (k ConfirmKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
