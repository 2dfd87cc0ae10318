package store

import "konto/store/alerts"

// What konto remembers for looking ahead, next to the bank's data (and
// wiped with it when another login claims the cache):
//
//	lookahead/alerts        JSON {syncedAt, items: [alerts.State]}: what was announced
//	lookahead/notices       JSON {syncedAt, items: [alerts.Log]}: the last alerts.KeepNotices notices
//	lookahead/forecast-off  JSON {syncedAt, items: [item id…]}: forecast items switched off
var (
	bucketLookahead = []byte("lookahead")
	keyAlertState   = []byte("alerts")
	keyNotices      = []byte("notices")
	keyForecastOff  = []byte("forecast-off")
)

// SaveAlertState stores what was announced.
func (c *Cache) SaveAlertState(st alerts.State) error {
	return saveDoc(c, "save alert state", bucketLookahead, keyAlertState, []alerts.State{st})
}

// LoadAlertState is what was announced; the zero State if nothing was.
func (c *Cache) LoadAlertState() (alerts.State, error) {
	items, _, err := loadDoc[alerts.State](c, "load alert state", bucketLookahead, keyAlertState)
	if err != nil || len(items) == 0 {
		return alerts.State{}, err
	}
	return items[0], nil
}

// SaveNotices stores the notice log (the newest alerts.KeepNotices).
func (c *Cache) SaveNotices(log alerts.Log) error {
	log.Add() // trims to KeepNotices
	return saveDoc(c, "save notices", bucketLookahead, keyNotices, []alerts.Log{log})
}

// LoadNotices is the stored notice log, oldest first.
func (c *Cache) LoadNotices() (alerts.Log, error) {
	items, _, err := loadDoc[alerts.Log](c, "load notices", bucketLookahead, keyNotices)
	if err != nil || len(items) == 0 {
		return alerts.Log{}, err
	}
	return items[0], nil
}

// SaveForecastOff stores the ids (forecast.Item.ID) of the forecast items
// the user switched off.
func (c *Cache) SaveForecastOff(off map[string]bool) error {
	ids := []string{}
	for id, isOff := range off {
		if isOff {
			ids = append(ids, id)
		}
	}
	return saveDoc(c, "save forecast switches", bucketLookahead, keyForecastOff, ids)
}

// LoadForecastOff is the set of switched-off forecast item ids (empty,
// never nil).
func (c *Cache) LoadForecastOff() (map[string]bool, error) {
	ids, _, err := loadDoc[string](c, "load forecast switches", bucketLookahead, keyForecastOff)
	off := make(map[string]bool, len(ids))
	for _, id := range ids {
		off[id] = true
	}
	return off, err
}
