package filter

import (
	"konto/api"
	"konto/store/history"
	"slices"
	"sync"
	"testing"

	"konto/store/rules"
)

// queriesForGrowth cover text, IBANs, types, dates, amounts and labels.
var queriesForGrowth = []string{"karl", "muller", "de06 1101", "de35", "type:card", "date:2026-11", "amt:<-10", "in",
	"cat:food", "tag:tax", "note:late", "marked", "uncategorised", "e"}

func TestPrependAndAppendAgreeWithNewIndex(t *testing.T) {
	txs, l := fixture(), labels()
	loc := berlin(t)
	whole := NewIndexWithLabels(history.Of(txs), loc, l)
	for k := 0; k <= len(txs); k++ {
		// txs[:k] arrive later, on top (newer); txs[k:] later, below (older).
		prepended := NewIndexWithLabels(history.Of(txs[k:]), loc, l[k:]).PrependWithLabels(history.Of(txs), l[:k])
		appended := NewIndexWithLabels(history.Of(txs[:k]), loc, l[:k]).Append(history.Of(txs[k:]))
		for _, s := range queriesForGrowth {
			q, err := Parse(s, testToday)
			if err != nil {
				t.Fatal(err)
			}
			want := whole.Match(q)
			if got := prepended.Match(q); !slices.Equal(got, want) {
				t.Errorf("k=%d %q: prepended %v, want %v", k, s, got, want)
			}
			if q.labels.empty() {
				if got := appended.Match(q); !slices.Equal(got, want) {
					t.Errorf("k=%d %q: appended %v, want %v", k, s, got, want)
				}
			}
		}
	}
}

// compact keeps labels (newest first) as the list does: by position from
// the oldest.
func compact(labels []rules.Result) *rules.Results {
	res := &rules.Results{}
	for i := len(labels) - 1; i >= 0; i-- {
		res.Append(labels[i])
	}
	return res
}

// The compact results index and grow as the slices do: whole, the newest
// of them only, fewer than the bookings, and prepended.
func TestResultsAgreeWithLabels(t *testing.T) {
	txs, l := fixture(), labels()
	loc := berlin(t)
	all := compact(l)
	of := history.Of
	for k := 0; k <= len(txs); k++ {
		pairs := [][2]*Index{
			{NewIndexWithLabels(of(txs), loc, l), NewIndexWithResults(of(txs), loc, all)},
			{NewIndexWithLabels(of(txs[:k]), loc, l[:k]), NewIndexWithResults(of(txs[:k]), loc, all)},
			{NewIndexWithLabels(of(txs), loc, l[:k]), NewIndexWithResults(of(txs), loc, compact(l[:k]))},
			{NewIndexWithLabels(of(txs), loc, l), NewIndexWithResults(of(txs[k:]), loc, compact(l[k:])).PrependWithResults(of(txs), all)},
			{NewIndexWithLabels(of(txs[:k]), loc, nil), NewIndexWithResults(of(txs[:k]), loc, nil)},
		}
		for _, s := range queriesForGrowth {
			q, err := Parse(s, testToday)
			if err != nil {
				t.Fatal(err)
			}
			for c, p := range pairs {
				if want, got := p[0].Match(q), p[1].Match(q); !slices.Equal(got, want) {
					t.Errorf("k=%d case %d %q: results %v, labels %v", k, c, s, got, want)
				}
			}
		}
	}
}

func TestPrependLeavesTheOldIndexAlone(t *testing.T) {
	txs := fixture()
	loc := berlin(t)
	base := NewIndex(history.Of(txs[2:]), loc)
	q, _ := Parse("karl", testToday)
	before := base.Match(q)
	// Two indexes built on one: the second must not write where the first
	// reads, and matches on all three may run at once.
	a := base.Prepend(history.Of(append([]api.Transaction{txs[0]}, txs[2:]...)))
	b := base.Prepend(history.Of(txs[1:]))
	var wg sync.WaitGroup
	results := make([][]int, 3)
	for w, ix := range []*Index{base, a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); results[w] = ix.Match(q) }()
	}
	wg.Wait()
	if !slices.Equal(results[0], before) {
		t.Errorf("base after Prepend: %v, want %v", results[0], before)
	}
	if want := append([]int{0}, shift(before, 1)...); !slices.Equal(results[1], want) {
		t.Errorf("first Prepend: %v, want %v", results[1], want)
	}
	if want := shift(before, 1); !slices.Equal(results[2], want) {
		t.Errorf("second Prepend: %v, want %v", results[2], want)
	}
	if a.Len() != 7 || b.Len() != 7 || base.Len() != 6 {
		t.Errorf("Len = %d, %d, %d", a.Len(), b.Len(), base.Len())
	}
}

func shift(idx []int, by int) []int {
	out := []int{}
	for _, i := range idx {
		out = append(out, i+by)
	}
	return out
}

func TestMatchAfterNarrowsLikeMatch(t *testing.T) {
	txs := generate(3000)
	ix := NewIndex(history.Of(txs), berlin(t))
	var prev Result
	// Typing, erasing and retyping: each step's result must be Match's,
	// narrowed or not.
	for _, s := range []string{"k", "ka", "kar", "karl", "karl ", "karl l", "kar", "m", "mü", "müller out", "müller out amt:<-100",
		"müller amt:<-100", "amt:-1000..-100", "amt:-500..-200", "type:card", "type:card in", "", "z", "zu", "de89 3704", "de89 3704 0044 00"} {
		q, err := Parse(s, testToday)
		if err != nil {
			t.Fatal(err)
		}
		r := ix.MatchAfter(prev, q)
		if want := ix.Match(q); !slices.Equal(r.Matches(), want) {
			t.Errorf("%q after %q: %d matches, want %d", s, prev.query.String(), len(r.Matches()), len(want))
		}
		prev = r
	}
	// A result of another index is not used.
	other := NewIndex(history.Of(txs[:10]), berlin(t))
	q, _ := Parse("karl", testToday)
	if got, want := ix.MatchAfter(other.MatchAfter(Result{}, q), q).Matches(), ix.Match(q); !slices.Equal(got, want) {
		t.Errorf("after another index's result: %d matches, want %d", len(got), len(want))
	}
}

func TestNarrows(t *testing.T) {
	cases := []struct {
		prev, q string
		want    bool
	}{
		{"", "k", true},
		{"k", "ka", true},
		{"ka", "k", false},
		{"karl", "karl amt:<-5", true},
		{"karl amt:<-5", "karl", false},
		{"amt:-100..-10", "amt:-50..-20", true},
		{"amt:-50..-20", "amt:-100..-10", false},
		{"date:2026", "date:2026-11", true},
		{"date:2026-11", "date:2026", false},
		{"in", "in karl", true},
		{"in", "out", false},
		{"type:card", "type:cardtransaction", true},
		{"cat:fo", "cat:food", true},
		{"marked", "cat:food", false},
		{`"a b"`, `"xa bx"`, true},
		{`"a b"`, "ab", false},
		{"a b", "ab", true},
	}
	for _, c := range cases {
		prev, err1 := Parse(c.prev, testToday)
		q, err2 := Parse(c.q, testToday)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if got := q.Narrows(prev); got != c.want {
			t.Errorf("%q.Narrows(%q) = %v, want %v", c.q, c.prev, got, c.want)
		}
	}
}

func TestParallelMatchAgreesWithLinearScan(t *testing.T) {
	if testing.Short() {
		t.Skip("a history big enough to be split among CPUs")
	}
	txs := generate(parallelFrom + 1000)
	loc := berlin(t)
	ix := NewIndex(history.Of(txs), loc)
	for _, s := range []string{"k", "zurich", "invoice 4711", "amt:<-100 gmbh"} {
		q, _ := Parse(s, testToday)
		if got, want := ix.Match(q), linearMatch(txs, loc, q); !slices.Equal(got, want) {
			t.Errorf("%q: %d matches, want %d", s, len(got), len(want))
		}
	}
}
