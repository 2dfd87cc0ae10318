package filter

import (
	"slices"
	"strings"
	"time"

	"konto/api"
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
// first, as the Index's columns).
type labelIndex struct {
	cat    []string   // folded category, "" for none
	tags   [][]string // folded tags
	note   []string   // folded note
	marked []bool
}

// NewIndexWithLabels is NewIndex that also knows each booking's category,
// tags, note and mark: labels[i] is txs[i]'s (rules.Set.ApplyAll), so the
// tokens cat:, tag:, note:, marked and uncategorised match. A plain Index
// has every booking uncategorised, untagged, without a note, unmarked.
func NewIndexWithLabels(txs []api.Transaction, loc *time.Location, labels []rules.Result) *Index {
	ix := NewIndex(txs, loc)
	ix.labels = (*labelIndex)(nil).withNewer(0, len(txs), labels)
	return ix
}

// withNewer returns li (nil: none labelled) for oldN bookings followed by n
// newer ones labelled labels (newest first; missing ones unlabelled).
// It appends to li's columns: clip them first if another index shares them.
func (li *labelIndex) withNewer(oldN, n int, labels []rules.Result) *labelIndex {
	nl := &labelIndex{}
	if li != nil {
		*nl = *li
	} else {
		nl.cat, nl.tags, nl.note, nl.marked = make([]string, oldN, oldN+n), make([][]string, oldN, oldN+n), make([]string, oldN, oldN+n), make([]bool, oldN, oldN+n)
	}
	var f textfold.Folder
	cats := map[string]string{}
	tagsOf := map[string][]string{}
	for i := n - 1; i >= 0; i-- {
		var l rules.Result
		if i < len(labels) {
			l = labels[i]
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
		if len(l.Tags) > 0 {
			key := strings.Join(l.Tags, "\x00")
			var ok bool
			if t, ok = tagsOf[key]; !ok {
				for _, tag := range l.Tags {
					t = append(t, f.Fold(tag))
				}
				tagsOf[key] = t
			}
		}
		note := ""
		if l.Note != "" {
			note = f.Fold(l.Note)
		}
		nl.cat = append(nl.cat, c)
		nl.tags = append(nl.tags, t)
		nl.note = append(nl.note, note)
		nl.marked = append(nl.marked, l.Marked)
	}
	return nl
}

// withOlder returns li with k unlabelled bookings older than all of its own.
func (li *labelIndex) withOlder(k int) *labelIndex {
	return &labelIndex{
		cat:    append(make([]string, k, k+len(li.cat)), li.cat...),
		tags:   append(make([][]string, k, k+len(li.tags)), li.tags...),
		note:   append(make([]string, k, k+len(li.note)), li.note...),
		marked: append(make([]bool, k, k+len(li.marked)), li.marked...),
	}
}

// clip returns li whose columns copy on their next append.
func (li *labelIndex) clip() *labelIndex {
	if li == nil {
		return nil
	}
	return &labelIndex{cat: slices.Clip(li.cat), tags: slices.Clip(li.tags), note: slices.Clip(li.note), marked: slices.Clip(li.marked)}
}

// labelsMatch checks booking i against the query's label conditions.
func (ix *Index) labelsMatch(i int, c *labelConds) bool {
	li := ix.labels
	if li == nil {
		return len(c.cats) == 0 && len(c.tags) == 0 && len(c.notes) == 0 && !c.marked
	}
	if c.marked && !li.marked[i] {
		return false
	}
	if c.uncategorised && li.cat[i] != "" {
		return false
	}
	for _, want := range c.cats {
		if !strings.Contains(li.cat[i], want) {
			return false
		}
	}
	for _, want := range c.tags {
		found := false
		for _, t := range li.tags[i] {
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
		if !strings.Contains(li.note[i], want) {
			return false
		}
	}
	return true
}
