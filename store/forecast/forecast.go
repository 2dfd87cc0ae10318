package forecast

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"konto/api"
	"konto/api/sepa"
	"konto/store/history"
)

// Window lengths in days.
const (
	DefaultDays = 90
	MaxDays     = 3660 // ten years: beyond that a projection says nothing
)

// Source says where a forecast item comes from; the words are those of the
// JSON output.
type Source string

const (
	SourceStandingOrder Source = "standing_order"
	SourceTimedOrder    Source = "timed_order"
	SourceRecurring     Source = "recurring"
)

// Account is what the forecast needs of one account: the account with
// today's balance, its history (any order) and its orders as listed.
type Account struct {
	Account        api.Account
	History        *history.History
	StandingOrders []api.StandingOrder
	TimedOrders    []api.TimedOrderListItem
}

// Options choose the window and which items count.
type Options struct {
	Days int             // how many days from tomorrow; DefaultDays when 0 or less, at most MaxDays
	Off  map[string]bool // keys (Item.ID) of the items the user switched off
}

func (o Options) days() int {
	switch {
	case o.Days <= 0:
		return DefaultDays
	case o.Days > MaxDays:
		return MaxDays
	}
	return o.Days
}

// DayBalance is an account's balance at the end of a day, in cents.
type DayBalance struct {
	Date    Date  `json:"date"`
	Balance int64 `json:"balance"`
}

// Item is one booking the forecast expects. Its ID is the stable key of the
// order or series it comes from ("standing:6", "timed:<uuid>",
// "recurring:4711:notizwerk; hamburg; de:out:monthly"): every occurrence of
// one order shares it, it survives restarts and syncs, and it is what the
// user switches off. Counterparty is the bank's text: sanitise it before
// drawing.
type Item struct {
	Date         Date   `json:"date"`
	Amount       int64  `json:"amount"`
	Counterparty string `json:"counterparty"`
	Source       Source `json:"source"`
	ID           string `json:"id"`

	Account  int64  `json:"-"` // the account it books on
	Transfer int64  `json:"-"` // the user's account on the other side of a transfer between own accounts, else 0
	Interval string `json:"-"` // "monthly", "quarterly", …; "" for a timed order
	Since    Date   `json:"-"` // recurring: the first booking of the series
}

// Origin says in words where an item comes from: "standing order", "timed
// order", "detected monthly since 03/2026".
func (it Item) Origin() string {
	switch it.Source {
	case SourceStandingOrder:
		return "standing order"
	case SourceTimedOrder:
		return "timed order"
	}
	return "detected " + it.Interval + " since " + sinceText(it.Since)
}

// Projection is one account's forecast, or all accounts' together, in the
// shape `konto forecast --json` prints: the day it starts from (today), one
// end-of-day balance for each day from tomorrow, the lowest of them (the
// earliest on a tie), and the items that make it, by date. Items dated today
// are due but not yet booked: they count from the first day.
type Projection struct {
	From   Date         `json:"from"`
	Days   []DayBalance `json:"days"`
	Lowest DayBalance   `json:"lowest"`
	Items  []Item       `json:"items"`

	Account int64  `json:"-"` // 0 for all accounts together
	Balance int64  `json:"-"` // today's balance, the start of the projection
	Off     []Item `json:"-"` // the items switched off, for the list to show
}

// Result is the forecast of every account and of all of them together.
type Result struct {
	Accounts []Projection // in the order given to New
	Total    Projection
}

// Account returns the projection of the account with the given id.
func (r Result) Account(id int64) (Projection, bool) {
	for _, p := range r.Accounts {
		if p.Account == id {
			return p, true
		}
	}
	return Projection{}, false
}

// Forecast is the digested inputs: every order's schedule and every
// recurring series found. Build it once per change of the data; projecting
// (with other switches, another window, a payment under review) is cheap.
// It is not changed after New and safe for concurrent use.
type Forecast struct {
	today    Date
	loc      *time.Location
	accounts []api.Account
	series   []series
}

// series is one order or detected series of one account.
type series struct {
	key          string
	source       Source
	account      int // index into accounts
	other        int // index of the user's account on the other side, -1 if none
	counterparty string
	amount       int64 // signed, for the account
	interval     string
	since        Date

	standing *standingSchedule
	timed    Date
	rec      *recurrence
}

// New digests the accounts' data for today (a day in loc, the bank's time
// zone: Europe/Berlin for Kontist; nil means UTC).
func New(accounts []Account, today Date, loc *time.Location) *Forecast {
	if loc == nil {
		loc = time.UTC
	}
	f := &Forecast{today: today, loc: loc}
	ownIndex := map[string]int{}
	for i, a := range accounts {
		f.accounts = append(f.accounts, a.Account)
		if iban := normIBAN(a.Account.IBAN); iban != "" {
			ownIndex[iban] = i
		}
	}
	fo, z := newFolder(), newDayer(loc)
	for i, a := range accounts {
		x := &explainer{e2e: map[string]bool{}, ibanAmount: map[ibanAmount]bool{}, own: map[string]bool{}}
		for iban, j := range ownIndex {
			if j != i {
				x.own[iban] = true
			}
		}
		byE2E := map[string]int{}
		for j, o := range a.StandingOrders {
			if o.E2EID != nil && *o.E2EID != "" {
				x.e2e[*o.E2EID] = true
				byE2E[*o.E2EID] = j
			}
			if o.Status == api.StatusActive {
				x.ibanAmount[ibanAmount{normIBAN(o.IBAN), o.Amount}] = true
			}
		}
		pastDays := make([][]int, len(a.StandingOrders))
		for k := range a.History.Len() {
			if a.History.Amount(k) >= 0 {
				continue
			}
			if e2e := a.History.Text(k, history.E2EID); e2e != "" {
				if j, ok := byE2E[e2e]; ok {
					pastDays[j] = append(pastDays[j], a.History.Booked(k).Day())
				}
			}
		}
		for j, o := range a.StandingOrders {
			s, ok := newStandingSchedule(o, pastDays[j])
			if !ok {
				continue
			}
			f.series = append(f.series, series{
				key: "standing:" + strconv.FormatInt(o.ID, 10), source: SourceStandingOrder,
				account: i, other: otherSide(ownIndex, o.IBAN, i), counterparty: o.Name,
				amount: -o.Amount, interval: intervalName(o.Reoccurrence), standing: &s,
			})
		}
		for _, o := range a.TimedOrders {
			d, ok := timedDay(o, loc)
			if !ok {
				continue
			}
			f.series = append(f.series, series{
				key: "timed:" + o.ID, source: SourceTimedOrder,
				account: i, other: otherSide(ownIndex, o.RecipientIBAN, i), counterparty: o.RecipientName,
				amount: timedAmount(o), timed: d,
			})
		}
		for _, r := range detect(a.History, x, fo, z, today) {
			s := series{
				key: recurringKey(a.Account.ID, r, r.amount > 0), source: SourceRecurring,
				account: i, other: -1, counterparty: r.name, amount: r.amount,
				interval: r.iv.name, since: r.since, rec: &r,
			}
			if r.amount < 0 {
				s.other = otherSide(ownIndex, r.iban, i)
			}
			f.series = append(f.series, s)
		}
	}
	slices.SortStableFunc(f.series, func(a, b series) int { return cmp.Compare(a.key, b.key) })
	return f
}

// otherSide is the index of the user's account an IBAN belongs to, -1 if
// none (or the paying account itself).
func otherSide(own map[string]int, iban string, self int) int {
	if j, ok := own[normIBAN(iban)]; ok && j != self {
		return j
	}
	return -1
}

// Today is the day the forecast starts from.
func (f *Forecast) Today() Date { return f.today }

// Project computes every account's projection and the total.
func (f *Forecast) Project(opts Options) Result {
	end := f.today + Date(opts.days())
	items := f.items(f.series, end)
	var res Result
	total := make([]int64, opts.days()+1)
	var totalToday int64
	for i, a := range f.accounts {
		p := project(a.ID, a.Balance, f.today, end, items, i, opts.Off)
		res.Accounts = append(res.Accounts, p)
		totalToday += a.Balance
		for d, b := range p.Days {
			total[d+1] += b.Balance
		}
	}
	res.Total = Projection{From: f.today, Balance: totalToday}
	res.Total.Days = make([]DayBalance, 0, len(total)-1)
	for d := 1; d < len(total); d++ {
		res.Total.Days = append(res.Total.Days, DayBalance{Date: f.today + Date(d), Balance: total[d]})
	}
	res.Total.Lowest = lowest(res.Total.Days)
	res.Total.Items, res.Total.Off = []Item{}, nil
	for _, p := range res.Accounts {
		res.Total.Items = append(res.Total.Items, p.Items...)
		res.Total.Off = append(res.Total.Off, p.Off...)
	}
	sortItems(res.Total.Items, f.accounts)
	sortItems(res.Total.Off, f.accounts)
	return res
}

// placed is an item with the index of the account it books on.
type placed struct {
	Item
	index int
}

// items expands the series into the items from today to end, both sides of
// a transfer between own accounts included.
func (f *Forecast) items(ss []series, end Date) []placed {
	var out []placed
	for i := range ss {
		s := &ss[i]
		add := func(d Date) bool {
			if d < f.today {
				return true // already due before today: the bank has booked it or will not
			}
			it := Item{Date: d, Amount: s.amount, Counterparty: s.counterparty, Source: s.source, ID: s.key,
				Account: f.accounts[s.account].ID, Interval: s.interval, Since: s.since}
			if s.other >= 0 {
				it.Transfer = f.accounts[s.other].ID
			}
			out = append(out, placed{it, s.account})
			if s.other >= 0 {
				mirror := it
				mirror.Amount, mirror.Account, mirror.Transfer = -it.Amount, it.Transfer, it.Account
				mirror.Counterparty = s.counterparty
				out = append(out, placed{mirror, s.other})
			}
			return true
		}
		switch {
		case s.standing != nil:
			s.standing.each(f.loc, f.today, end, add)
		case s.rec != nil:
			s.rec.each(f.today, end, add)
		default:
			if s.timed <= end {
				add(s.timed)
			}
		}
	}
	return out
}

// project sums one account's items into its end-of-day balances.
func project(id, balance int64, today, end Date, items []placed, index int, off map[string]bool) Projection {
	p := Projection{From: today, Account: id, Balance: balance, Items: []Item{}}
	delta := make([]int64, int(end-today)+1)
	for _, it := range items {
		if it.index != index {
			continue
		}
		if off[it.ID] {
			p.Off = append(p.Off, it.Item)
			continue
		}
		p.Items = append(p.Items, it.Item)
		delta[it.Date-today] += it.Amount
	}
	p.Days = make([]DayBalance, 0, len(delta)-1)
	running := balance + delta[0]
	for d := 1; d < len(delta); d++ {
		running += delta[d]
		p.Days = append(p.Days, DayBalance{Date: today + Date(d), Balance: running})
	}
	p.Lowest = lowest(p.Days)
	sortItems(p.Items, nil)
	sortItems(p.Off, nil)
	return p
}

// lowest is the lowest end-of-day balance, the earliest of equal ones.
func lowest(days []DayBalance) DayBalance {
	if len(days) == 0 {
		return DayBalance{}
	}
	low := days[0]
	for _, d := range days[1:] {
		if d.Balance < low.Balance {
			low = d
		}
	}
	return low
}

// sortItems orders by date, then account (in the forecast's order), money
// out before money in, then key: a full order, so the unstable sort is
// deterministic.
func sortItems(items []Item, accounts []api.Account) {
	rank := make(map[int64]int, len(accounts))
	for i, a := range accounts {
		rank[a.ID] = i
	}
	slices.SortFunc(items, func(a, b Item) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(rank[a.Account], rank[b.Account]),
			cmp.Compare(a.Amount, b.Amount), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Transfer, b.Transfer))
	})
}

// PaymentKind is the kind of payment under review.
type PaymentKind uint8

const (
	OneOff   PaymentKind = iota // a transfer, booked today
	Standing                    // a new standing order
	Timed                       // a timed order
)

// Payment is a payment under review, as it will be sent to the bank.
type Payment struct {
	Kind    PaymentKind
	Account int64 // the paying account
	Name    string
	IBAN    string
	Amount  int64 // cents, positive: money going out

	At           time.Time  // Standing: firstExecutionDate, Timed: date, as sent; OneOff: unused
	Reoccurrence string     // Standing: api.Monthly, …
	Last         *time.Time // Standing: lastExecutionDate as sent, nil for none
	Refund       bool       // OneOff: paying back an incoming booking
}

// TransferPayment is a transfer from account under review.
func TransferPayment(account int64, req api.TransferRequest) Payment {
	return Payment{Kind: OneOff, Account: account, Name: req.Recipient, IBAN: req.IBAN, Amount: req.Amount}
}

// StandingPayment is a new standing order from account under review.
func StandingPayment(account int64, req api.StandingOrderRequest) Payment {
	p := Payment{Kind: Standing, Account: account, Name: req.Recipient, IBAN: req.IBAN, Amount: req.Amount,
		At: req.FirstExecutionDate.Time, Reoccurrence: req.Reoccurrence}
	if req.LastExecutionDate != nil {
		last := req.LastExecutionDate.Time
		p.Last = &last
	}
	return p
}

// TimedPayment is a timed order from account under review.
func TimedPayment(account int64, req api.TimedOrderRequest) Payment {
	return Payment{Kind: Timed, Account: account, Name: req.Recipient, IBAN: req.IBAN, Amount: req.Amount, At: req.Date.Time}
}

// firstDay is the day a payment first books (in loc).
func (p Payment) firstDay(today Date, loc *time.Location) Date {
	switch p.Kind {
	case Standing:
		return DateOf(scheduleFromRequest(p.At, p.Reoccurrence, p.Last).next, loc)
	case Timed:
		return timedRequestDay(p.At, loc)
	}
	return today
}

// each calls yield with every day the payment books up to the day to.
func (p Payment) each(today, to Date, loc *time.Location, yield func(Date) bool) {
	switch p.Kind {
	case Standing:
		scheduleFromRequest(p.At, p.Reoccurrence, p.Last).each(loc, today, to, yield)
	default:
		if d := p.firstDay(today, loc); d <= to {
			yield(d)
		}
	}
}

// LowestWith is the paying account's lowest end-of-day balance with the
// payment under review added to everything scheduled: what the review says
// as "after this and your scheduled payments: lowest …". The window is the
// one of opts, stretched to the payment's first day if that lies beyond it.
// ok is false when the paying account is not in the forecast.
func (f *Forecast) LowestWith(pay Payment, opts Options) (low DayBalance, ok bool) {
	index := slices.IndexFunc(f.accounts, func(a api.Account) bool { return a.ID == pay.Account })
	if index < 0 {
		return DayBalance{}, false
	}
	end := f.today + Date(opts.days())
	if first := pay.firstDay(f.today, f.loc); first > end {
		end = min(first, f.today+MaxDays)
	}
	items := f.items(f.series, end)
	pay.each(f.today, end, f.loc, func(d Date) bool {
		if d >= f.today {
			items = append(items, placed{Item{Date: d, Amount: -pay.Amount, Counterparty: pay.Name, Account: pay.Account}, index})
		}
		return true
	})
	a := f.accounts[index]
	return project(a.ID, a.Balance, f.today, end, items, index, opts.Off).Lowest, true
}

// ReviewLine is the review's sentence for a lowest point: "after this and
// your scheduled payments: lowest 412,30 € on 15.01.2027". The caller draws
// it in red with a warning when low.Balance < 0.
func ReviewLine(low DayBalance) string {
	return "after this and your scheduled payments: lowest " + sepa.FormatEuro(low.Balance) + " on " + low.Date.full()
}
