package filter

import (
	"slices"
	"strings"
	"time"

	"konto/store/history"
	"konto/store/rules"
	"konto/store/textfold"
)

// labelConds are the parts of a query about what konto knows of a booking
// beyond the bank's fields (store/rules): its category, tags, note, mark.
type labelConds struct {
	cats, tags, notes []string // folded; each must be contained
	marked            bool
	uncategorised     bool
}

func (c *labelConds) empty() bool {
	return len(c.cats) == 0 && len(c.tags) == 0 && len(c.notes) == 0 && !c.marked && !c.uncategorised
}

// labelIndex is the folded labels of every indexed booking, by slot (oldest
// first, as the Index's columns). Most bookings share their labels with many
// others (a category, no tags, no note), so each slot holds only the position
// of its labels in a table of the distinct ones, kept once: 4 bytes a booking
// instead of the 57 of a column per label.
type labelIndex struct {
	of    []int32     // by slot: position in kinds
	kinds []labelKind // kinds[0] is no label at all
}

// labelKind is one combination of folded labels.
type labelKind struct {
	cat    string   // folded category, "" for none
	tags   []string // folded tags
	note   string   // folded note
	marked bool
}

// labelKey tells labelKinds apart: their tags joined by NUL.
type labelKey struct {
	cat, tags, note string
	marked          bool
}

// NewIndexWithLabels is NewIndex that also knows each booking's category,
// tags, note and mark: labels[i] is h.At(i)'s (rules.Set.ApplyHistory), so the
// tokens cat:, tag:, note:, marked and uncategorised match. A plain Index
// has every booking uncategorised, untagged, without a note, unmarked.
func NewIndexWithLabels(h *history.History, loc *time.Location, labels []rules.Result) *Index {
	ix := NewIndex(h, loc)
	ix.labels = (*labelIndex)(nil).withNewer(0, h.Len(), sliceLabels(labels))
	return ix
}

// NewIndexWithResults is NewIndexWithLabels with the results kept
// compactly (rules.Set.ApplyAllCompact): h's booking i's is the one at
// position res.Len()-1-i, so h may be the newest bookings res holds; older
// ones than res holds are unlabelled.
func NewIndexWithResults(h *history.History, loc *time.Location, res *rules.Results) *Index {
	ix := NewIndex(h, loc)
	ix.labels = (*labelIndex)(nil).withNewer(0, h.Len(), compactLabels(res))
	return ix
}

// newerLabels gives the result of the i-th of the newer bookings (newest
// first) and its id among the distinct results, -1 when not known; ok is
// false when it has none (unlabelled).
type newerLabels func(i int) (l rules.Result, id int, ok bool)

func sliceLabels(labels []rules.Result) newerLabels {
	return func(i int) (rules.Result, int, bool) {
		if i < len(labels) {
			return labels[i], -1, true
		}
		return rules.Result{}, -1, false
	}
}

func compactLabels(res *rules.Results) newerLabels {
	n := res.Len()
	return func(i int) (rules.Result, int, bool) {
		if p := n - 1 - i; p >= 0 {
			id := res.ID(p)
			return res.ByID(id), id, true
		}
		return rules.Result{}, -1, false
	}
}

// withNewer returns li (nil: none labelled) for oldN bookings followed by n
// newer ones labelled by labels (missing ones unlabelled).
// It appends to li's columns: clip them first if another index shares them.
func (li *labelIndex) withNewer(oldN, n int, labels newerLabels) *labelIndex {
	nl := &labelIndex{}
	if li != nil {
		*nl = *li
	} else {
		nl.of, nl.kinds = make([]int32, oldN, oldN+n), []labelKind{{}}
	}
	var f textfold.Folder
	cats := map[string]string{}
	tagsOf := map[string][]string{}
	kindOf := map[labelKey]int32{{}: 0}
	// kindOfID[id] is 1 + the kind of the distinct result id, 0 until met:
	// each distinct result is folded once.
	var kindOfID []int32
	for i := n - 1; i >= 0; i-- {
		l, id, ok := labels(i)
		if !ok {
			nl.of = append(nl.of, 0)
			continue
		}
		if id >= 0 && id < len(kindOfID) && kindOfID[id] != 0 {
			nl.of = append(nl.of, kindOfID[id]-1)
			continue
		}
		c := ""
		if l.Category != "" {
			var ok bool
			if c, ok = cats[l.Category]; !ok {
				c = f.Fold(l.Category)
				cats[l.Category] = c
			}
		}
		var t []string
		tagsKey := ""
		if len(l.Tags) > 0 {
			tagsKey = strings.Join(l.Tags, "\x00")
			var ok bool
			if t, ok = tagsOf[tagsKey]; !ok {
				for _, tag := range l.Tags {
					t = append(t, f.Fold(tag))
				}
				tagsOf[tagsKey] = t
			}
		}
		note := ""
		if l.Note != "" {
			note = f.Fold(l.Note)
		}
		key := labelKey{c, tagsKey, note, l.Marked}
		k, ok := kindOf[key]
		if !ok {
			k = int32(len(nl.kinds))
			kindOf[key] = k
			nl.kinds = append(nl.kinds, labelKind{cat: c, tags: t, note: note, marked: l.Marked})
		}
		if id >= 0 {
			if id >= len(kindOfID) {
				kindOfID = append(kindOfID, make([]int32, id+1-len(kindOfID))...)
			}
			kindOfID[id] = k + 1
		}
		nl.of = append(nl.of, k)
	}
	return nl
}

// withOlder returns li with k unlabelled bookings older than all of its own.
func (li *labelIndex) withOlder(k int) *labelIndex {
	return &labelIndex{of: append(make([]int32, k, k+len(li.of)), li.of...), kinds: slices.Clip(li.kinds)}
}

// clip returns li whose columns copy on their next append.
func (li *labelIndex) clip() *labelIndex {
	if li == nil {
		return nil
	}
	return &labelIndex{of: slices.Clip(li.of), kinds: slices.Clip(li.kinds)}
}

// labelsMatch checks booking i against the query's label conditions.
func (ix *Index) labelsMatch(i int, c *labelConds) bool {
	li := ix.labels
	if li == nil {
		return len(c.cats) == 0 && len(c.tags) == 0 && len(c.notes) == 0 && !c.marked
	}
	l := &li.kinds[li.of[i]]
	if c.marked && !l.marked {
		return false
	}
	if c.uncategorised && l.cat != "" {
		return false
	}
	for _, want := range c.cats {
		if !strings.Contains(l.cat, want) {
			return false
		}
	}
	for _, want := range c.tags {
		found := false
		for _, t := range l.tags {
			if strings.Contains(t, want) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	for _, want := range c.notes {
		if !strings.Contains(l.note, want) {
			return false
		}
	}
	return true
}
