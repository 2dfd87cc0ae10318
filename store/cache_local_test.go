package store

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"konto/store/rules"
)

func setLabel(l rules.Label) func(rules.Label) rules.Label {
	return func(rules.Label) rules.Label { return l }
}

// Labels are the user's, not the bank's: they survive a restart, a full
// resync and a new login of the same user, and go with a login of another
// user and with logout.
func TestLabelsSurviveResyncNotAnotherUser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.db")
	c := openTestCache(t, path)
	if got, err := c.LoadLabels(); err != nil || len(got) != 0 {
		t.Fatalf("new cache: %v, %v", got, err)
	}
	if _, _, err := c.Claim("user-a"); err != nil {
		t.Fatal(err)
	}
	txs := makeTxs(300, 1000)
	if err := c.SaveTransactions(4711, txs); err != nil {
		t.Fatal(err)
	}
	rent := rules.Label{Category: "rent", Tags: []string{"home"}, Note: "November, paid late", Marked: true}
	if _, err := c.UpdateLabel(1000, setLabel(rent)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateLabel(-5, setLabel(rules.Label{Marked: true})); err != nil {
		t.Fatal(err)
	}
	// A mark toggled by fn sees the current label.
	got, err := c.UpdateLabel(999, func(l rules.Label) rules.Label { l.Marked = !l.Marked; return l })
	if err != nil || !got.Marked {
		t.Fatalf("toggle: %+v, %v", got, err)
	}
	c.Close()

	c = openTestCache(t, path)
	if _, _, err := c.Claim("user-a"); err != nil { // the same user logs in again
		t.Fatal(err)
	}
	if err := c.SaveTransactions(4711, txs[:10]); err != nil { // --resync
		t.Fatal(err)
	}
	all, err := c.LoadLabels()
	want := map[int64]rules.Label{1000: rent, -5: {Marked: true}, 999: {Marked: true}}
	if err != nil || !reflect.DeepEqual(all, want) {
		t.Fatalf("after restart and resync: %+v, %v", all, err)
	}
	if l, err := c.Label(1000); err != nil || !reflect.DeepEqual(l, rent) {
		t.Errorf("Label(1000) = %+v, %v", l, err)
	}
	if l, err := c.Label(1); err != nil || !l.IsZero() {
		t.Errorf("Label(1) = %+v, %v", l, err)
	}

	// A label cleared of everything is not kept.
	if _, err := c.UpdateLabel(999, setLabel(rules.Label{})); err != nil {
		t.Fatal(err)
	}
	if all, _ := c.LoadLabels(); len(all) != 2 {
		t.Errorf("cleared label kept: %+v", all)
	}

	if _, wiped, err := c.Claim("user-b"); err != nil || !wiped {
		t.Fatalf("claim by another user: wiped %v, %v", wiped, err)
	}
	if all, err := c.LoadLabels(); err != nil || len(all) != 0 {
		t.Errorf("another user sees %+v, %v", all, err)
	}
	if _, err := c.UpdateLabel(7, setLabel(rules.Label{Note: "b's"})); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(); err != nil { // logout
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("logout left the file: %v", err)
	}
}

// Sessions sharing the cache change labels without losing each other's.
func TestLabelsConcurrentUpdates(t *testing.T) {
	c := openTestCache(t, filepath.Join(t.TempDir(), "default.db"))
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tag := string(rune('a' + i))
			if _, err := c.UpdateLabel(42, func(l rules.Label) rules.Label {
				l.Tags = append(l.Tags, tag)
				return l
			}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if l, _ := c.Label(42); len(l.Tags) != 20 {
		t.Errorf("%d tags after 20 concurrent adds: %v", len(l.Tags), l.Tags)
	}
}

// A damaged label is found when the file is opened: the cache is rebuilt
// rather than a wrong note shown.
func TestDamagedLabelRebuildsTheCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.db")
	c := openTestCache(t, path)
	if _, err := c.UpdateLabel(1, setLabel(rules.Label{Note: "keep me"})); err != nil {
		t.Fatal(err)
	}
	if err := c.update("damage", func(tx *bolt.Tx) error {
		b, _ := labelsBucket(tx, false)
		v := append([]byte(nil), b.Get(idKey(1))...)
		v[5] ^= 0x01
		return b.Put(idKey(1), v)
	}); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c = openTestCache(t, path)
	if !strings.Contains(c.Notice(), "rebuilt") {
		t.Errorf("notice %q", c.Notice())
	}
	if all, _ := c.LoadLabels(); len(all) != 0 {
		t.Errorf("damaged labels read as %+v", all)
	}
}
