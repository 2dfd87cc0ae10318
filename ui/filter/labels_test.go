package filter

import (
	"errors"
	"slices"
	"testing"

	"konto/store/history"
	"konto/store/rules"
)

// labels go with fixture(): a category, tags, a note or a mark on some.
func labels() []rules.Result {
	l := make([]rules.Result, len(fixture()))
	l[0] = rules.Result{Category: "clients:lagerfeld", Tags: []string{"work", "Steuer"}, Note: "Paid late, reminder sent"}
	l[1] = rules.Result{Category: "food", Tags: []string{"daily"}, Marked: true}
	l[2] = rules.Result{Category: "income", Note: "Müller said thanks"}
	l[4] = rules.Result{Category: "taxes", Tags: []string{"tax"}, Marked: true}
	return l
}

func TestLabelTokens(t *testing.T) {
	ix := NewIndexWithLabels(history.Of(fixture()), berlin(t), labels())
	cases := []struct {
		query string
		want  []int
	}{
		{"cat:food", []int{1}},
		{"CAT:Food", []int{1}},
		{"category:clients", []int{0}},
		{"cat:lagerfeld", []int{0}},
		{"cat:tax", []int{4}},
		{"tag:tax", []int{4}},
		{"tag:steuer", []int{0}},
		{"tag:work tag:steuer", []int{0}},
		{"tag:daily cat:taxes", nil},
		{"note:late", []int{0}},
		{`note:"reminder sent"`, []int{0}},
		{`note:“paid late”`, []int{0}},
		{"note:muller", []int{2}},
		{"marked", []int{1, 4}},
		{"MARKED out", []int{1, 4}},
		{"uncategorised", []int{3, 5, 6, 7}},
		{"uncategorized in", []int{5}},
		{"marked uncategorised", nil},
		{"karl cat:clients", []int{0}},
		{"karl uncat", []int{6}},
	}
	for _, c := range cases {
		q, err := Parse(c.query, testToday)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.query, err)
			continue
		}
		if q.IsEmpty() {
			t.Errorf("%q is empty", c.query)
		}
		got := ix.Match(q)
		if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("%q matched %v, want %v", c.query, got, c.want)
		}
		again, err := Parse(q.String(), testToday)
		if err != nil || !slices.Equal(ix.Match(again), got) {
			t.Errorf("%q: String %q does not match the same (%v)", c.query, q.String(), err)
		}
	}
}

// Without labels every booking is uncategorised, and nothing is tagged,
// noted or marked.
func TestLabelTokensWithoutLabels(t *testing.T) {
	ix := NewIndex(history.Of(fixture()), berlin(t))
	for query, want := range map[string]int{"uncategorised": 8, "marked": 0, "cat:food": 0, "tag:x": 0, "note:y": 0} {
		q, _ := Parse(query, testToday)
		if got := ix.Match(q); len(got) != want {
			t.Errorf("%q matched %d, want %d", query, len(got), want)
		}
	}
	// Fewer labels than bookings: the rest have none.
	short := NewIndexWithLabels(history.Of(fixture()), berlin(t), labels()[:2])
	q, _ := Parse("uncategorised", testToday)
	if got := short.Match(q); !slices.Equal(got, []int{2, 3, 4, 5, 6, 7}) {
		t.Errorf("short labels: %v", got)
	}
}

func TestLabelTokenErrors(t *testing.T) {
	for _, in := range []string{"cat:", "tag:", "note:", `note:""`, "karl cat:"} {
		_, err := Parse(in, testToday)
		var te *TokenError
		if !errors.As(err, &te) || !te.Unfinished {
			t.Errorf("Parse(%q) = %v, want an unfinished token", in, err)
		}
	}
	q, err := Parse(`Cat:Rent note:"a b" tag:x marked uncat`, testToday)
	if err != nil || q.String() != `cat:Rent note:"a b" tag:x marked uncategorised` {
		t.Errorf("String = %q, %v", q.String(), err)
	}
}
