package app

import (
	"konto/store"
	"konto/ui/common"
)

// wireLookahead gives a dashboard session what looking ahead needs from
// the config and the cache: the [[alerts]] rules, the profile's idle time
// for payments, and the cache that remembers what was announced (none
// without a cache: the alerts' memory then lasts this run).
func wireLookahead(c *common.Common, cfg *store.Config, prof store.Profile, cache *store.Cache) {
	if cfg != nil {
		c.Alerts = cfg.Alerts
	}
	c.PaymentsIdle = prof.PaymentsIdle
	if cache != nil {
		c.LookaheadStore = cache
	}
}
