package filter

import (
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

// labelIndex is the folded labels of every indexed booking.
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
	n := len(txs)
	li := &labelIndex{cat: make([]string, n), tags: make([][]string, n), note: make([]string, n), marked: make([]bool, n)}
	var f textfold.Folder
	cats := map[string]string{}
	tagsOf := map[string][]string{}
	for i := 0; i < n && i < len(labels); i++ {
		l := &labels[i]
		if l.Category != "" {
			c, ok := cats[l.Category]
			if !ok {
				c = f.Fold(l.Category)
				cats[l.Category] = c
			}
			li.cat[i] = c
		}
		if len(l.Tags) > 0 {
			key := strings.Join(l.Tags, "\x00")
			t, ok := tagsOf[key]
			if !ok {
				for _, tag := range l.Tags {
					t = append(t, f.Fold(tag))
				}
				tagsOf[key] = t
			}
			li.tags[i] = t
		}
		if l.Note != "" {
			li.note[i] = f.Fold(l.Note)
		}
		li.marked[i] = l.Marked
	}
	ix.labels = li
	return ix
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
