package store

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"konto/api"
)

// The damage campaign: a real cache, damaged in every way a disk, a crash
// or a careless hand can (cut at every page boundary and between them, bits
// flipped in the meta pages, page headers, element headers, keys and
// values, nonsense counts in konto's own encoding), each copy opened the
// way konto opens it and used the way konto uses it. Every copy must
// either open and answer (possibly with less data) or be moved aside and
// rebuilt: never a crash, never a huge allocation, never an error from
// OpenCache itself.
//
// Some damage used to kill the process outright (a panic in one of bbolt's
// own goroutines, a fault on the memory map, an allocation of gigabytes),
// which no recover can catch. So the cases run in a child process (this
// test binary again, told so by campaignDirEnv), one after the other,
// noting each start and result in a file: a case that kills the child is
// reported as a crash, and the child starts again after it.
//
// The normal run cuts the file at every page boundary in use and takes
// every sixth of the sampled bit flips (a few seconds);
// KONTO_CACHE_DAMAGE_SWEEP=sample runs all of them (about 900 copies), and
// KONTO_CACHE_DAMAGE_SWEEP=all flips a bit in every byte of the pages in
// use and cuts them at every size (half an hour or so).
const (
	campaignDirEnv   = "KONTO_TEST_CACHE_CAMPAIGN_DIR"
	campaignStartEnv = "KONTO_TEST_CACHE_CAMPAIGN_START"
	campaignSweepEnv = "KONTO_CACHE_DAMAGE_SWEEP"
	// campaignAllocLimit is far above what opening and reading the test cache
	// costs (about a megabyte) and far below a count taken from the file.
	campaignAllocLimit = 64 << 20
)

// Campaign outcomes.
const (
	outcomeOpened    = "opened"     // opened as it was; every read answered
	outcomeReadError = "read-error" // opened as it was; some read failed (cleanly)
	outcomeRebuilt   = "rebuilt"    // moved aside and rebuilt, with a notice
	outcomeOpenError = "open-error" // OpenCache failed: konto would run without a cache
	outcomeCrash     = "crash"      // the process died
	outcomeHang      = "hang"       // the case did not end within campaignCaseDeadline, or its heap outgrew 1 GiB
)

// campaignCaseDeadline is a generous bound against a hang, not a speed check.
const campaignCaseDeadline = 30 * time.Second

type damageCase struct {
	name   string
	damage func(path string) error
}

type caseResult struct {
	outcome string
	alloc   uint64 // bytes allocated while opening and using the copy
	detail  string
}

const (
	campaignAccount      = 4711
	campaignOtherAccount = 4712
)

// buildCampaignCache writes the cache the campaign damages: an owner, two
// accounts, a history of 400 bookings saved in full and 30 more added by an
// incremental sync (a chunk below the first), a second account's shorter
// history, and orders.
func buildCampaignCache(t testing.TB, path string) []byte {
	t.Helper()
	c, err := OpenCache(path, CacheOptions{Timeout: time.Second, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Claim(aliceID); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveAccounts([]api.Account{
		{ID: campaignAccount, IBAN: "DE06110101001000004444", Balance: 1732500},
		{ID: campaignOtherAccount, IBAN: "DE35120300001012765235", Balance: 410000},
	}); err != nil {
		t.Fatal(err)
	}
	all := makeTxs(430, 10000)
	if err := c.SaveTransactions(campaignAccount, all[30:]); err != nil {
		t.Fatal(err)
	}
	if err := c.AddTransactions(campaignAccount, all[:30]); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveTransactions(campaignOtherAccount, makeTxs(60, 500)); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveStandingOrders(campaignAccount, []api.StandingOrder{{ID: 6, Name: "Rent", Amount: 120000}}); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveTimedOrders(campaignAccount, []api.TimedOrderListItem{{ID: "9939482a", RecipientName: "Tax office", Amount: -5000}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// campaignPageSize reads the page size from the first meta page.
func campaignPageSize(base []byte) int {
	return int(binary.LittleEndian.Uint32(base[24:28]))
}

// damageCases lists the damaged copies of base, in a fixed order (the
// parent and the child compute the same list from the same bytes); sweep
// is campaignSweepEnv's value.
func damageCases(base []byte, sweep string) []damageCase {
	ps := campaignPageSize(base)
	pages := len(base) / ps
	var cases []damageCase
	truncate := func(size int) {
		cases = append(cases, damageCase{fmt.Sprintf("truncate to %d", size), func(path string) error {
			return os.Truncate(path, int64(size))
		}})
	}
	flips := 0
	flip := func(off int, what string) {
		if off < 0 || off >= len(base) {
			return
		}
		if flips++; sweep == "" && flips%6 != 1 {
			return
		}
		bit := byte(1) << (off % 8)
		cases = append(cases, damageCase{fmt.Sprintf("flip bit %d at %d (%s)", off%8, off, what), func(path string) error {
			return patchFile(path, off, func(b byte) byte { return b ^ bit })
		}})
	}

	// Only the pages below the high water mark are in use; the rest of the
	// file is room bbolt grew into.
	used := pages
	for _, p := range []int{0, 1} {
		if m, ok := parseBoltMeta(base[p*ps:]); ok && int(m.pgid) < used {
			used = int(m.pgid)
		}
	}

	// Cut short: at every page boundary, and inside pages.
	switch sweep {
	case "all":
		for size := range min(used+1, pages) * ps {
			truncate(size)
		}
	default:
		for p := range min(used+1, pages) {
			truncate(p * ps)
			if sweep != "" || p%4 == 0 {
				truncate(p*ps + ps/2 + p) // odd sizes
			}
		}
		truncate(1)
		truncate(len(base) - 1)
	}

	// Bits flipped.
	if sweep == "all" {
		for off := range used * ps {
			flip(off, "sweep")
		}
	} else {
		// Both meta pages: page header, magic, version, page size, root,
		// freelist, high water mark, transaction id, checksum.
		for _, p := range []int{0, 1} {
			for off := 0; off < 16+64; off += 3 {
				flip(p*ps+off, fmt.Sprintf("meta page %d", p))
			}
		}
		for p := 2; p < used; p++ {
			at := p * ps
			// The page header: id, flags, count, overflow.
			for _, off := range []int{0, 5, 8, 10, 11, 12, 14} {
				flip(at+off, fmt.Sprintf("page %d header", p))
			}
			// The first element headers (pos, sizes, flags or child id).
			for off := 16; off < 16+3*16; off += 5 {
				flip(at+off, fmt.Sprintf("page %d elements", p))
			}
			// Keys and values.
			for off := 16 + 3*16 + p; off < ps; off += ps / 5 {
				flip(at+off, fmt.Sprintf("page %d data", p))
			}
		}
	}

	// konto's own values with nonsense in them.
	for _, bad := range []struct {
		name  string
		value []byte
	}{
		{"a billion", binary.AppendUvarint(nil, 1e9)},
		{"2^62", binary.AppendUvarint(nil, 1<<62)},
		{"no number", bytes.Repeat([]byte{0xff}, 10)},
		{"zero", binary.AppendUvarint(nil, 0)},
		{"empty", []byte{}},
	} {
		cases = append(cases, damageCase{"count: " + bad.name, func(path string) error {
			return patchValue(path, func(tx *bolt.Tx) error {
				return tx.Bucket(bucketTx).Bucket(idKey(campaignAccount)).Put(keyCount, bad.value)
			})
		}})
	}
	for field, name := range []string{"count", "strings", "times", "ints"} {
		for _, n := range []uint64{1e9, 1 << 62, 1 << 63, 999, 1} {
			cases = append(cases, damageCase{fmt.Sprintf("chunk header %s: %d", name, n), func(path string) error {
				return patchChunks(path, func(chunk []byte) []byte { return setChunkHeader(chunk, field, n) })
			}})
		}
	}
	for _, tc := range []struct {
		name string
		fn   func([]byte) []byte
	}{
		{"chunk cut in half", func(c []byte) []byte { return c[:len(c)/2] }},
		{"chunk empty", func([]byte) []byte { return []byte{} }},
		{"chunk of another format", func(c []byte) []byte { c = bytes.Clone(c); c[0] = 9; return c }},
		{"chunk with a trailing byte", func(c []byte) []byte { return append(bytes.Clone(c), 0) }},
	} {
		cases = append(cases, damageCase{tc.name, func(path string) error { return patchChunks(path, tc.fn) }})
	}
	for _, tc := range []struct {
		name          string
		bucket, key   []byte
		value         []byte
		inTxOfAccount bool
	}{
		{"synced time garbage", nil, keySynced, []byte("garbage"), true},
		{"accounts doc cut", bucketAccounts, keyDoc, []byte(`{"syncedAt":"2026-11-25T12:00:00Z","items":[{"id":47`), false},
		{"accounts doc not JSON", bucketAccounts, keyDoc, []byte{0, 1, 2, 3}, false},
		{"standing orders doc garbage", bucketStanding, idKey(campaignAccount), []byte("]]]"), false},
		{"timed orders doc garbage", bucketTimed, idKey(campaignAccount), bytes.Repeat([]byte("["), 100000), false},
		{"format garbage", bucketMeta, keyFormat, []byte("konto-cache/\xff"), false},
		{"owner garbage", bucketMeta, keyOwner, []byte{0xff}, false},
	} {
		cases = append(cases, damageCase{tc.name, func(path string) error {
			return patchValue(path, func(tx *bolt.Tx) error {
				b := tx.Bucket(tc.bucket)
				if tc.inTxOfAccount {
					b = tx.Bucket(bucketTx).Bucket(idKey(campaignAccount))
				}
				return b.Put(tc.key, tc.value)
			})
		}})
	}
	return cases
}

func patchFile(path string, off int, fn func(byte) byte) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	var b [1]byte
	if _, err := f.ReadAt(b[:], int64(off)); err != nil {
		return err
	}
	b[0] = fn(b[0])
	_, err = f.WriteAt(b[:], int64(off))
	return err
}

// patchValue changes the intact copy at path with bbolt itself.
func patchValue(path string, fn func(*bolt.Tx) error) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, NoFreelistSync: true})
	if err != nil {
		return err
	}
	if err := db.Update(fn); err != nil {
		db.Close()
		return err
	}
	return db.Close()
}

// patchChunks replaces every transaction chunk of the campaign's account.
func patchChunks(path string, fn func([]byte) []byte) error {
	return patchValue(path, func(tx *bolt.Tx) error {
		chunks := tx.Bucket(bucketTx).Bucket(idKey(campaignAccount)).Bucket(bucketChunks)
		patched := map[string][]byte{}
		if err := chunks.ForEach(func(k, v []byte) error {
			patched[string(k)] = fn(bytes.Clone(v))
			return nil
		}); err != nil {
			return err
		}
		for k, v := range patched {
			if err := chunks.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// setChunkHeader rewrites one of the four counts of a chunk's header
// (0 count, 1 strings, 2 times, 3 ints), leaving the rest as it was.
func setChunkHeader(chunk []byte, field int, n uint64) []byte {
	out := []byte{chunk[0]}
	rest := chunk[1:]
	for i := range 4 {
		v, size := binary.Uvarint(rest)
		if size <= 0 {
			return chunk
		}
		if i == field {
			v = n
		}
		out = binary.AppendUvarint(out, v)
		rest = rest[size:]
	}
	return append(out, rest...)
}

func TestCacheDamageCampaign(t *testing.T) {
	if dir := os.Getenv(campaignDirEnv); dir != "" {
		runCampaignChild(t, dir)
		return
	}
	sweep := os.Getenv(campaignSweepEnv)
	dir := t.TempDir()
	base := buildCampaignCache(t, filepath.Join(dir, "konto", "default.db"))
	if err := os.WriteFile(filepath.Join(dir, "base.db"), base, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := damageCases(base, sweep)
	results := runCampaign(t, dir, len(cases))

	counts := map[string]int{}
	for i, r := range results {
		counts[r.outcome]++
		switch {
		case r.outcome == outcomeCrash:
			t.Errorf("%s: konto crashed:\n%s", cases[i].name, r.detail)
		case r.outcome == outcomeHang:
			t.Errorf("%s: konto hangs:\n%s", cases[i].name, r.detail)
		case r.outcome == outcomeOpenError:
			t.Errorf("%s: OpenCache failed instead of rebuilding: %s", cases[i].name, r.detail)
		case r.outcome == outcomeReadError:
			t.Errorf("%s: opened, then a read failed: %s", cases[i].name, r.detail)
		case r.outcome == "":
			t.Errorf("%s: no result", cases[i].name)
		}
		if r.alloc > campaignAllocLimit {
			t.Errorf("%s: %s after allocating %d MB", cases[i].name, r.outcome, r.alloc>>20)
		}
	}
	t.Logf("%d damaged copies of a %d-byte cache: %d opened, %d moved aside and rebuilt, %d opened with a failing read, %d failed to open, %d crashed, %d hung",
		len(cases), len(base), counts[outcomeOpened], counts[outcomeRebuilt], counts[outcomeReadError], counts[outcomeOpenError], counts[outcomeCrash], counts[outcomeHang])
}

// runCampaign runs the cases in child processes, starting a new one after
// each crash, and returns what became of each.
func runCampaign(t *testing.T, dir string, n int) []caseResult {
	results := make([]caseResult, n)
	progress := filepath.Join(dir, "progress")
	for start := 0; start < n; {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCacheDamageCampaign$", "-test.count=1")
		// The child's temporary files go below dir: a child that crashed
		// cannot clean up after itself.
		tmp, err := os.MkdirTemp(dir, "child")
		if err != nil {
			t.Fatal(err)
		}
		cmd.Env = append(os.Environ(), campaignDirEnv+"="+dir, campaignStartEnv+"="+strconv.Itoa(start), "TMPDIR="+tmp)
		out, runErr := cmd.CombinedOutput()
		last := readCampaignProgress(t, progress, results)
		if runErr == nil && last < 0 {
			break // every case from start on has a result
		}
		if last < 0 {
			t.Fatalf("campaign child failed outside a case: %v\n%s", runErr, tail(out, 40))
		}
		if results[last].outcome != outcomeHang {
			results[last] = caseResult{outcome: outcomeCrash, detail: crashSummary(out)}
		}
		start = last + 1
	}
	return results
}

// readCampaignProgress fills in the results the progress file holds and
// returns the case started but not finished (-1 if none).
func readCampaignProgress(t *testing.T, path string, results []caseResult) int {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	open := -1
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.SplitN(sc.Text(), "\t", 5)
		i, _ := strconv.Atoi(fields[1])
		switch fields[0] {
		case "start":
			open = i
		case "hang":
			results[i] = caseResult{outcome: outcomeHang, detail: fields[2]}
		case "alloc":
			if open >= 0 {
				heap, _ := strconv.ParseUint(fields[1], 10, 64)
				results[open] = caseResult{outcome: outcomeHang, alloc: heap, detail: "its heap outgrew 1 GiB"}
			}
		case "done":
			alloc, _ := strconv.ParseUint(fields[3], 10, 64)
			detail, _ := strconv.Unquote(fields[4])
			results[i] = caseResult{outcome: fields[2], alloc: alloc, detail: detail}
			open = -1
		}
	}
	_ = os.Remove(path)
	return open
}

// crashSummary is the lines saying why the child died.
func crashSummary(out []byte) string {
	lines := strings.Split(string(out), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") || strings.HasPrefix(l, "unexpected fault") {
			return strings.Join(lines[i:min(len(lines), i+6)], "\n")
		}
	}
	return tail(out, 12)
}

func tail(out []byte, lines int) string {
	l := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return strings.Join(l[max(0, len(l)-lines):], "\n")
}

// runCampaignChild is the child's side: the cases from campaignStartEnv on.
func runCampaignChild(t *testing.T, dir string) {
	base, err := os.ReadFile(filepath.Join(dir, "base.db"))
	if err != nil {
		t.Fatal(err)
	}
	start, _ := strconv.Atoi(os.Getenv(campaignStartEnv))
	progress, err := os.OpenFile(filepath.Join(dir, "progress"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer progress.Close()
	cases := damageCases(base, os.Getenv(campaignSweepEnv))
	work := t.TempDir()
	go guardCampaignChild(progress)
	for i := start; i < len(cases); i++ {
		// Written straight to the file (no buffer), so a crash cannot lose it.
		fmt.Fprintf(progress, "start\t%d\n", i)
		watchdog := time.AfterFunc(campaignCaseDeadline, func() {
			stacks := make([]byte, 1<<20)
			stacks = stacks[:runtime.Stack(stacks, true)]
			fmt.Fprintf(progress, "hang\t%d\t%s\n", i, strings.ReplaceAll(tail(stacks, 40), "\n", " | "))
			os.Exit(3)
		})
		r := runDamageCase(work, base, cases[i])
		watchdog.Stop()
		fmt.Fprintf(progress, "done\t%d\t%s\t%d\t%q\n", i, r.outcome, r.alloc, r.detail)
	}
}

// guardCampaignChild ends the child should its parent be gone (a test run
// that timed out must not leave it running) or its heap grow past what any
// case may take (a case allocating without end would otherwise take the
// machine's memory before its deadline).
func guardCampaignChild(progress *os.File) {
	parent := os.Getppid()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	for range time.Tick(100 * time.Millisecond) {
		if os.Getppid() != parent {
			os.Exit(4)
		}
		metrics.Read(sample)
		if heap := sample[0].Value.Uint64(); heap > 1<<30 {
			fmt.Fprintf(progress, "alloc\t%d\n", heap)
			os.Exit(5)
		}
	}
}

// runDamageCase damages a copy of base and opens and uses it as konto does.
func runDamageCase(dir string, base []byte, dc damageCase) caseResult {
	path := filepath.Join(dir, "default.db")
	defer func() { _ = DeleteCacheFile(path) }()
	if err := os.WriteFile(path, base, 0o600); err != nil {
		return caseResult{outcome: outcomeOpenError, detail: "write the copy: " + err.Error()}
	}
	if err := dc.damage(path); err != nil {
		return caseResult{outcome: outcomeOpenError, detail: "damage the copy: " + err.Error()}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := useDamagedCache(path)
	runtime.ReadMemStats(&after)
	r.alloc = after.TotalAlloc - before.TotalAlloc
	return r
}

// useDamagedCache does what a start of konto does with the cache: open it,
// paint from it, claim it, sync into it and read it again.
func useDamagedCache(path string) (r caseResult) {
	defer func() {
		if p := recover(); p != nil {
			r = caseResult{outcome: outcomeReadError, detail: fmt.Sprintf("panic: %v", p)}
		}
	}()
	c, err := OpenCache(path, CacheOptions{Timeout: time.Second, Now: func() time.Time { return testNow }, noSync: true})
	if err != nil {
		return caseResult{outcome: outcomeOpenError, detail: err.Error()}
	}
	defer c.Close()
	var errs []string
	note := func(what string, err error) {
		if err != nil {
			errs = append(errs, what+": "+err.Error())
		}
	}
	_, err = c.OwnedBy(aliceID)
	note("owned by", err)
	_, _, err = c.LoadAccounts()
	note("load accounts", err)
	for _, id := range []int64{campaignAccount, campaignOtherAccount} {
		_, _, err = c.TransactionsInfo(id)
		note("transactions info", err)
		_, err = c.LoadNewest(id, 50)
		note("load newest", err)
		_, err = c.LoadTransactions(id)
		note("load transactions", err)
		_, err = c.LoadHistory(id, nil)
		note("load history", err)
		_, _, err = c.TransactionsHead(id, 1000)
		note("transactions head", err)
		_, err = c.NewestTransactionIDs(id, 1000)
		note("newest ids", err)
		_, _, err = c.LoadStandingOrders(id)
		note("load standing orders", err)
		_, _, err = c.LoadTimedOrders(id)
		note("load timed orders", err)
	}
	_, _, err = c.Claim(aliceID)
	note("claim", err)
	note("add transactions", c.AddTransactions(campaignAccount, makeTxs(3, 20000)))
	note("save accounts", c.SaveAccounts([]api.Account{{ID: campaignAccount, Balance: 1}}))
	_, err = c.LoadTransactions(campaignAccount)
	note("load transactions after the sync", err)
	switch {
	case c.Notice() != "":
		r.outcome = outcomeRebuilt
		if len(errs) > 0 {
			// A rebuilt cache is empty and new: nothing may fail in it.
			r.outcome, r.detail = outcomeReadError, "after a rebuild: "+strings.Join(errs, "; ")
		}
	case len(errs) > 0:
		r.outcome, r.detail = outcomeReadError, strings.Join(errs, "; ")
	default:
		r.outcome = outcomeOpened
	}
	return r
}

// childTestEnv names the test a child process (inChild) is to run.
const childTestEnv = "KONTO_TEST_CHILD"

// inChild runs fn in a child process (this test binary, running only this
// top-level test), so damage that kills the process fails the test instead
// of ending the whole run.
func inChild(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	if os.Getenv(childTestEnv) == t.Name() {
		fn(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	// Below this test's directory, which outlives a child that crashed.
	cmd.Env = append(os.Environ(), childTestEnv+"="+t.Name(), "TMPDIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("in a child process (%v):\n%s", err, crashSummary(out))
	}
	if !bytes.Contains(out, []byte("--- PASS: "+t.Name())) {
		t.Fatalf("the child process did not run %s:\n%s", t.Name(), tail(out, 12))
	}
}

// A file cut short, at a page boundary or inside a page, used to crash
// every start ("panic: assertion failed: Page expected to be: 35", or a
// fault on the memory map); now it is moved aside and rebuilt, once.
func TestCacheCutShortIsRebuilt(t *testing.T) {
	inChild(t, func(t *testing.T) {
		dir := t.TempDir()
		base := buildCampaignCache(t, filepath.Join(dir, "base.db"))
		ps := campaignPageSize(base)
		m, _ := parseBoltMeta(base[ps:])
		used := int(m.pgid)
		for _, size := range []int{2*ps + ps/2, (used / 2) * ps, used*ps/2 + 1237, (used - 1) * ps} {
			t.Run(strconv.Itoa(size), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "default.db")
				if err := os.WriteFile(path, base[:size], 0o600); err != nil {
					t.Fatal(err)
				}
				c := openTestCache(t, path)
				aside := fmt.Sprintf("%s.corrupt-%d", path, testNow.Unix())
				if c.Notice() != "the offline cache was damaged and has been rebuilt" {
					t.Errorf("Notice = %q, want it to say the cache was rebuilt", c.Notice())
				}
				if got, err := os.ReadFile(aside); err != nil || !bytes.Equal(got, base[:size]) {
					t.Errorf("the cut file was not kept aside: %v", err)
				}
				if txs, err := c.LoadTransactions(campaignAccount); err != nil || txs != nil {
					t.Errorf("rebuilt cache holds %d transactions (%v)", len(txs), err)
				}
				if err := c.SaveTransactions(campaignAccount, makeTxs(5, 5)); err != nil {
					t.Fatalf("rebuilt cache does not work: %v", err)
				}
				// The next start finds a good file and says nothing.
				c.Close()
				if again := openTestCache(t, path); again.Notice() != "" {
					t.Errorf("second start: Notice = %q", again.Notice())
				}
			})
		}
	})
}

// A damaged count (tx/<id>/count) used to size the slice of a whole
// history: a billion made konto die of an allocation of 180 GB.
func TestCacheDamagedCountAllocatesNothingOfIt(t *testing.T) {
	inChild(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "default.db")
		buildCampaignCache(t, path)
		if err := patchValue(path, func(tx *bolt.Tx) error {
			return tx.Bucket(bucketTx).Bucket(idKey(campaignAccount)).Put(keyCount, binary.AppendUvarint(nil, 1e9))
		}); err != nil {
			t.Fatal(err)
		}
		c := openTestCache(t, path)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		txs, err := c.LoadTransactions(campaignAccount)
		runtime.ReadMemStats(&after)
		if err != nil || len(txs) != 430 {
			t.Fatalf("LoadTransactions = %d transactions, %v; want the 430 cached", len(txs), err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
			t.Errorf("loading 430 transactions allocated %d MiB", alloc>>20)
		}
		runtime.ReadMemStats(&before)
		h, err := c.LoadHistory(campaignAccount, nil)
		runtime.ReadMemStats(&after)
		if err != nil || h.Len() != 430 {
			t.Fatalf("LoadHistory = %d transactions, %v; want the 430 cached", h.Len(), err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
			t.Errorf("loading a history of 430 allocated %d MiB", alloc>>20)
		}
		if n, _, err := c.TransactionsInfo(campaignAccount); err != nil || n != 430 {
			t.Errorf("TransactionsInfo = %d, %v; want 430", n, err)
		}
	})
}

// resealChunk gives a chunk whose header was changed its checksum again:
// what a hostile file (or an unlucky one) could hold.
func resealChunk(chunk []byte) []byte {
	if chunk[0] != chunkFormat {
		return chunk
	}
	body := chunk[:len(chunk)-checksumSize]
	return binary.LittleEndian.AppendUint32(bytes.Clone(body), crc32.Checksum(body, castagnoli))
}

func TestChunkCountsAreBoundedByItsBytes(t *testing.T) {
	data := encodeChunk(nil, makeTxs(50, 1000))
	for field, name := range []string{"count", "strings", "times", "ints"} {
		for _, n := range []uint64{uint64(len(data)), uint64(len(data)) * 14, 1e9, 1 << 62} {
			bad := resealChunk(setChunkHeader(data, field, n))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, decodeErr := decodeChunk(bad, nil)
			_, idsErr := chunkIDs(bad, nil)
			_, countErr := chunkCount(bad)
			runtime.ReadMemStats(&after)
			if !errors.Is(decodeErr, errCorruptChunk) || !errors.Is(idsErr, errCorruptChunk) || !errors.Is(countErr, errCorruptChunk) {
				t.Errorf("%s = %d: decode %v, ids %v, count %v; want errCorruptChunk", name, n, decodeErr, idsErr, countErr)
			}
			// The chunk itself is about 5 KB; decoding it properly costs ~70 KB.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<10 {
				t.Errorf("%s = %d: a %d-byte chunk allocated %d KiB", name, n, len(bad), alloc>>10)
			}
		}
	}
}

func TestChunkChecksumFindsAFlippedBit(t *testing.T) {
	data := encodeChunk(nil, makeTxs(50, 1000))
	for i := range data {
		for bit := range 8 {
			d := bytes.Clone(data)
			d[i] ^= 1 << bit
			if txs, err := decodeChunk(d, nil); err == nil {
				t.Fatalf("bit %d of byte %d flipped: decoded %d transactions without noticing", bit, i, len(txs))
			}
		}
	}
}

func TestCacheKeepsTheTwoNewestDamagedCopies(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "default.db")
	for i := range 4 {
		if err := os.WriteFile(path, []byte("damaged"), 0o600); err != nil {
			t.Fatal(err)
		}
		at := testNow.Add(time.Duration(i) * time.Hour)
		c, err := OpenCache(path, CacheOptions{Now: func() time.Time { return at }})
		if err != nil || c.Notice() == "" {
			t.Fatalf("open %d: %v, notice %q", i, err, c.Notice())
		}
		c.Close()
	}
	got, _ := filepath.Glob(path + ".corrupt-*")
	want := []string{
		fmt.Sprintf("%s.corrupt-%d", path, testNow.Add(2*time.Hour).Unix()),
		fmt.Sprintf("%s.corrupt-%d", path, testNow.Add(3*time.Hour).Unix()),
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("copies kept: %v, want %v", got, want)
	}
}

// BenchmarkOpenCache100k is a start's cost of opening a cache of 100k
// transactions: checkBoltFile reads every page in use and checks every
// checksum before bbolt walks the pages again itself.
func BenchmarkOpenCache100k(b *testing.B) { benchmarkOpenCache(b, makeTxs(100_000, 1_000_000)) }

// BenchmarkOpenCache1M runs only with KONTO_BENCH_1M=1.
func BenchmarkOpenCache1M(b *testing.B) { benchmarkOpenCache(b, bench1M(b)) }

func benchmarkOpenCache(b *testing.B, txs []api.Transaction) {
	path := filepath.Join(b.TempDir(), "bench.db")
	c := openTestCache(b, path)
	if err := c.SaveTransactions(1, txs); err != nil {
		b.Fatal(err)
	}
	c.Close()
	if info, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(info.Size())/(1<<20), "file-MiB")
	}
	b.ResetTimer()
	for b.Loop() {
		c, err := OpenCache(path, CacheOptions{})
		if err != nil || c.Notice() != "" {
			b.Fatalf("open: %v %q", err, c.Notice())
		}
		c.Close()
	}
}

func TestCacheThatIsNotAFileIsMovedAside(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func(path string) error
	}{
		{"a directory", func(path string) error { return os.Mkdir(path, 0o700) }},
		{"a link to /dev/zero", func(path string) error { return os.Symlink("/dev/zero", path) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "default.db")
			if err := tc.make(path); err != nil {
				t.Skip(err)
			}
			c := openTestCache(t, path)
			if c.Notice() == "" {
				t.Error("no notice")
			}
			if err := c.SaveAccounts([]api.Account{{ID: 1}}); err != nil {
				t.Fatalf("rebuilt cache: %v", err)
			}
			if info, err := os.Lstat(path); err != nil || !info.Mode().IsRegular() {
				t.Errorf("the cache is not a file now: %v, %v", info, err)
			}
		})
	}
}

// toLegacy rewrites every chunk and document of the cache at path as konto
// wrote them before the checksums, and drops meta/checksums.
func toLegacy(t *testing.T, path string) {
	t.Helper()
	err := patchValue(path, func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Delete(keyChecksums); err != nil {
			return err
		}
		patch := func(b *bolt.Bucket, fn func([]byte) []byte) error {
			old := map[string][]byte{}
			_ = b.ForEach(func(k, v []byte) error {
				if v != nil {
					old[string(k)] = bytes.Clone(v)
				}
				return nil
			})
			for k, v := range old {
				if err := b.Put([]byte(k), fn(v)); err != nil {
					return err
				}
			}
			return nil
		}
		unsealDoc := func(v []byte) []byte { return v[1 : len(v)-checksumSize] }
		for _, name := range [][]byte{bucketAccounts, bucketStanding, bucketTimed} {
			if err := patch(tx.Bucket(name), unsealDoc); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketTx).ForEachBucket(func(acct []byte) error {
			return patch(tx.Bucket(bucketTx).Bucket(acct).Bucket(bucketChunks), func(v []byte) []byte {
				return append([]byte{chunkFormatV1}, v[1:len(v)-checksumSize]...)
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCacheWrittenBeforeTheChecksumsStillOpens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.db")
	buildCampaignCache(t, path)
	c := openTestCache(t, path)
	wantTxs, _ := c.LoadTransactions(campaignAccount)
	wantAccts, _, _ := c.LoadAccounts()
	c.Close()
	toLegacy(t, path)

	sealed := func(c *Cache) bool {
		var has bool
		_ = c.view("test", func(tx *bolt.Tx) error {
			has = tx.Bucket(bucketMeta).Get(keyChecksums) != nil
			return nil
		})
		return has
	}
	c = openTestCache(t, path)
	if c.Notice() != "" {
		t.Fatalf("a cache of an older konto was rebuilt: %q", c.Notice())
	}
	if txs, err := c.LoadTransactions(campaignAccount); err != nil || !reflect.DeepEqual(txs, wantTxs) {
		t.Errorf("LoadTransactions: %d transactions, %v", len(txs), err)
	}
	if accts, _, err := c.LoadAccounts(); err != nil || !reflect.DeepEqual(accts, wantAccts) {
		t.Errorf("LoadAccounts = %v, %v", accts, err)
	}
	if sealed(c) {
		t.Error("meta/checksums set while old values remain")
	}
	// Syncs rewrite everything; the next start finds no old value left.
	for _, id := range []int64{campaignAccount, campaignOtherAccount} {
		if err := c.SaveTransactions(id, makeTxs(10, 100)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.SaveAccounts(wantAccts); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveStandingOrders(campaignAccount, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveTimedOrders(campaignAccount, nil); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c = openTestCache(t, path)
	if c.Notice() != "" || !sealed(c) {
		t.Fatalf("after the rewrite: notice %q, meta/checksums set %v", c.Notice(), sealed(c))
	}
	c.Close()

	// From then on a value without a checksum is damage.
	if err := patchChunks(path, func(v []byte) []byte {
		return append([]byte{chunkFormatV1}, v[1:len(v)-checksumSize]...)
	}); err != nil {
		t.Fatal(err)
	}
	if c = openTestCache(t, path); c.Notice() == "" {
		t.Error("a chunk without its checksum in a file written with checksums was not noticed")
	}
}
