package store

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"konto/store/alerts"
)

func TestCacheKeepsWhatWasAnnounced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	c := openTestCache(t, path)
	if _, _, err := c.Claim("user-a"); err != nil {
		t.Fatal(err)
	}
	if st, err := c.LoadAlertState(); err != nil || st.Accounts != nil {
		t.Fatalf("empty cache: %+v %v", st, err)
	}
	st := alerts.State{Accounts: map[int64]*alerts.AccountState{4711: {Since: testNow.UTC(), Seen: []int64{1, 2}, Active: []string{"0:balance_below:100:14"}}}}
	var log alerts.Log
	for i := range 120 {
		log.Add(alerts.Notice{At: testNow.Add(time.Duration(i) * time.Second).UTC(), Account: 4711, Text: "n"})
	}
	if err := c.SaveAlertState(st); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveNotices(log); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveForecastOff(map[string]bool{"standing:6": true, "timed:x": false}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c = openTestCache(t, path)
	gotSt, err := c.LoadAlertState()
	if err != nil || !reflect.DeepEqual(gotSt, st) {
		t.Errorf("state %+v %v", gotSt, err)
	}
	gotLog, err := c.LoadNotices()
	if err != nil || len(gotLog.Notices) != alerts.KeepNotices || !gotLog.Notices[0].At.Equal(log.Notices[0].At) {
		t.Errorf("notices: %d %v", len(gotLog.Notices), err)
	}
	off, err := c.LoadForecastOff()
	if err != nil || !reflect.DeepEqual(off, map[string]bool{"standing:6": true}) {
		t.Errorf("off %v %v", off, err)
	}
	// Another login's cache remembers nothing of this one's.
	if _, _, err := c.Claim("user-b"); err != nil {
		t.Fatal(err)
	}
	if st, err := c.LoadAlertState(); err != nil || st.Accounts != nil {
		t.Errorf("after another login: %+v %v", st, err)
	}
	if off, err := c.LoadForecastOff(); err != nil || len(off) != 0 {
		t.Errorf("after another login: %v %v", off, err)
	}
}
