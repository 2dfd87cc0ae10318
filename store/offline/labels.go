package offline

import (
	"konto/store"
	"konto/store/rules"
)

// LoadLabels reads the user's labels kept in the cache for the identity
// served (common.LabelStore).
func (b *Mirror) LoadLabels() (map[int64]rules.Label, error) {
	gen, _ := b.state()
	var out map[int64]rules.Label
	err := b.keep(gen, func(cache *store.Cache) error {
		if cache == nil {
			return errNoCache
		}
		var err error
		out, err = cache.LoadLabels()
		return err
	})
	return out, err
}

// UpdateLabel changes one booking's label in one write (common.LabelStore).
func (b *Mirror) UpdateLabel(id int64, fn func(rules.Label) rules.Label) (rules.Label, error) {
	gen, _ := b.state()
	var out rules.Label
	err := b.keep(gen, func(cache *store.Cache) error {
		if cache == nil {
			return errNoCache
		}
		var err error
		out, err = cache.UpdateLabel(id, fn)
		return err
	})
	return out, err
}
