package api_test

// The fault campaign: many transfers through the sandbox with connections
// dropped before and after the bank acted, 5xx answers, and confirms slower
// than the client's timeout, half of them "pay again" twins of the one
// before. Each is sent as konto sends it — an end-to-end id of its own
// (api.NewE2EID), never a resent confirm — and an unknown outcome is settled
// by the checker the dashboard runs in the background (api.CheckPayment with
// api.NextCheckDelay, on the bank's virtual clock, so no test waits half an
// hour), while a twin of an unresolved transfer waits (api.Twin), as the
// review makes it. What konto reported is then compared with what the bank
// booked.
//
// KONTO_FAULT_CAMPAIGN_N sets the number of transfers (default 40).

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"konto/api"
	"konto/api/sandbox"
)

// campaignFaults hit the create (POST) and the confirm (PUT) of transfers,
// and a few reads. latency is on the bank's clock and longer than the
// paying client's timeout: the bank books after the client gave up.
var campaignFaults = strings.Join([]string{
	"503@0.04:POST /api/accounts/*/transfer",
	"drop-before@0.03:POST /api/accounts/*/transfer",
	"drop-after@0.03:POST /api/accounts/*/transfer",
	"latency=2s@0.03:POST /api/accounts/*/transfer",
	"drop-before@0.08:PUT /api/accounts/*/transfer/*",
	"drop-after@0.08:PUT /api/accounts/*/transfer/*",
	"500@0.04:PUT /api/accounts/*/transfer/*",
	"503@0.02:PUT /api/accounts/*/transfer/*",
	"latency=2s@0.06:PUT /api/accounts/*/transfer/*",
	"latency=1s@0.04:PUT /api/accounts/*/transfer/*",
	"503@0.02:GET /api/accounts/*/transactions",
}, ",")

// campaignIntent is one payment a user means to make once.
type campaignIntent struct {
	from      int64
	iban      string
	recipient string
	amount    int64
	twinOf    int // -1, or the intent this one pays again
}

// campaignAttempt is one send of an intent (a new e2eId each time).
type campaignAttempt struct {
	intent    int
	e2eID     string
	confirmed bool      // a confirm was sent
	reported  string    // "booked" or "not booked"
	unknown   bool      // the confirm's outcome was unknown
	sentAt    time.Time // the confirm, on the bank's clock
	settledAt time.Time
}

type campaignPending struct {
	attempt   int
	payment   api.PendingPayment
	nextCheck time.Time
	checks    int
}

func TestFaultCampaign(t *testing.T) {
	n := 40
	if s := os.Getenv("KONTO_FAULT_CAMPAIGN_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 2 {
			t.Fatalf("KONTO_FAULT_CAMPAIGN_N=%q: want a number of at least 2", s)
		}
		n = v
	}
	start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	b := startBank(t, sandbox.Options{Faults: campaignFaults, Transactions: 80, Now: func() time.Time { return start }})
	bank := b.bank
	ctx := context.Background()
	fast := api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 8, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond})
	// The paying client gives up after 400 ms: the latency faults outlast it.
	paying := b.client(t, api.WithHTTPClient(&http.Client{Timeout: 400 * time.Millisecond}))
	reading := b.client(t, fast)

	accounts := bank.Accounts(sandbox.DefaultLogin)
	if len(accounts) < 2 {
		t.Fatalf("the demo user has %d accounts", len(accounts))
	}
	main, other := accounts[0], accounts[1]
	// Money goes back and forth between the user's two accounts, a pair at a
	// time, so neither runs dry however long the campaign.
	rng := rand.New(rand.NewPCG(7, 11))
	intents := make([]campaignIntent, n)
	for i := range intents {
		from, to := main, other
		if (i/2)%2 == 1 {
			from, to = other, main
		}
		in := campaignIntent{from: from.ID, iban: to.IBAN, recipient: "Aladdin Sommer", amount: 1 + rng.Int64N(999), twinOf: -1}
		if i%2 == 1 {
			in = intents[i-1] // pay again: same IBAN, same amount
			in.twinOf = i - 1
		}
		intents[i] = in
	}

	var attempts []campaignAttempt
	var pending []campaignPending
	queue := make([]int, n)
	for i := range queue {
		queue[i] = i
	}
	count := map[string]int{}
	unresolved := func() []api.PendingPayment {
		out := make([]api.PendingPayment, len(pending))
		for i, p := range pending {
			out[i] = p.payment
		}
		return out
	}
	waitedFor := map[int]bool{}

	// send makes one attempt at intent i, as the payment flow does: create,
	// the TAN from the SMS, one confirm. It reports whether the intent is
	// done or needs sending again.
	send := func(i int) (again bool) {
		in := intents[i]
		req := api.TransferRequest{Recipient: in.recipient, IBAN: in.iban, Amount: in.amount,
			Note: api.Ptr(fmt.Sprintf("campaign %d", i)), E2EID: api.Ptr(api.NewE2EID())}
		a := campaignAttempt{intent: i, e2eID: *req.E2EID}
		idx := len(attempts)
		attempts = append(attempts, a)
		p, err := paying.CreateTransfer(ctx, in.from, req)
		if err != nil {
			// No TAN, no payment: the review says so, and enter asks again.
			count["create failed, sent again"]++
			attempts[idx].reported = "not booked"
			return true
		}
		sms, err := reading.SandboxSMS(ctx)
		if err != nil {
			t.Fatalf("SMS: %v", err)
		}
		tan := ""
		for _, s := range sms {
			if s.RequestID == path.Base(p.Transfer.Links.Self) {
				tan = s.TAN
			}
		}
		if tan == "" {
			t.Fatalf("no SMS for %s", p.Transfer.Links.Self)
		}
		attempts[idx].confirmed = true
		attempts[idx].sentAt = bank.Now()
		_, err = paying.ConfirmTransfer(ctx, p, tan)
		switch {
		case err == nil:
			count["confirmed"]++
			attempts[idx].reported, attempts[idx].settledAt = "booked", bank.Now()
			return false
		case api.MayHaveActed(err):
			count["unknown"]++
			attempts[idx].unknown = true
			pp := api.PendingPayment{Kind: api.KindTransfer, AccountID: in.from, E2EID: a.e2eID, Recipient: in.recipient,
				IBAN: in.iban, Amount: in.amount, SentAt: attempts[idx].sentAt, UnknownSince: bank.Now()}
			pending = append(pending, campaignPending{attempt: idx, payment: pp, nextCheck: pp.SentAt})
			return false
		default:
			// The bank refused (it answered): nothing was done.
			count["refused, sent again"]++
			attempts[idx].reported = "not booked"
			return true
		}
	}

	// check runs the checks that are due, as the background tracker does.
	check := func() {
		now := bank.Now()
		for k := 0; k < len(pending); k++ {
			p := &pending[k]
			if p.nextCheck.After(now) {
				continue
			}
			v, err := api.CheckPayment(ctx, reading, p.payment, now, api.CheckWindow)
			p.checks++
			if err != nil {
				count["check could not read"]++
			}
			a := &attempts[p.attempt]
			switch v {
			case api.StillUnknown:
				p.nextCheck = now.Add(api.NextCheckDelay(p.payment.CheckAge(now)))
				continue
			case api.Booked:
				count["unknown, then booked"]++
				if p.checks > 1 {
					count["unknown, booked after the first check (slow bank)"]++
				}
				a.reported = "booked"
			case api.NotBooked:
				count["unknown, then not booked: sent again"]++
				a.reported = "not booked"
				queue = append([]int{a.intent}, queue...)
			}
			a.settledAt = now
			pending = slices.Delete(pending, k, k+1)
			k--
		}
	}

	for len(queue) > 0 || len(pending) > 0 {
		sent := false
		if len(queue) > 0 {
			i := queue[0]
			in := intents[i]
			if _, twin := api.Twin(unresolved(), api.KindTransfer, in.iban, in.amount); twin {
				if !waitedFor[i] {
					waitedFor[i] = true
					count["twin waited for a check"]++
				}
			} else {
				queue = queue[1:]
				if send(i) {
					queue = append([]int{i}, queue...)
				}
				sent = true
			}
		}
		check()
		if sent || len(pending) == 0 {
			continue
		}
		// Nothing to send until a check settles something: time passes to
		// the next check (the bank's clock; a delayed request ends with it).
		next := pending[0].nextCheck
		for _, p := range pending {
			if p.nextCheck.Before(next) {
				next = p.nextCheck
			}
		}
		if d := next.Sub(bank.Now()); d > 0 {
			bank.Advance(d)
		}
	}

	// Let every delayed request end (they are carried out even though the
	// client left), then compare with the bank's own bookings.
	bank.Advance(time.Hour)
	deadline := time.Now().Add(30 * time.Second)
	for bank.Busy() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests still being answered at the bank", bank.Busy())
		}
		time.Sleep(10 * time.Millisecond)
	}
	booked := map[string]int{}
	for _, acc := range []int64{main.ID, other.ID} {
		txs, err := reading.SyncTransactions(ctx, acc, api.SyncOptions{})
		if err != nil {
			t.Fatalf("sync %d: %v", acc, err)
		}
		for _, tx := range txs {
			if tx.Amount < 0 && strings.HasPrefix(api.Str(tx.E2EID), api.E2EIDPrefix) {
				booked[api.Str(tx.E2EID)]++
			}
		}
	}

	perIntent := make([]int, n)
	var falseBooked, falseNotBooked, lateSettled, doubleBookings, lost int
	var slowest time.Duration
	for _, a := range attempts {
		got := booked[a.e2eID]
		if got > 1 {
			t.Errorf("end-to-end id %s booked %d times", a.e2eID, got)
		}
		perIntent[a.intent] += got
		switch {
		case a.reported == "booked" && got == 0:
			falseBooked++
			t.Errorf("attempt %s of intent %d reported booked, but nothing was booked", a.e2eID, a.intent)
		case a.reported == "not booked" && got > 0:
			falseNotBooked++
			t.Errorf("attempt %s of intent %d reported not booked, but it was booked", a.e2eID, a.intent)
		case a.reported == "":
			t.Errorf("attempt %s of intent %d never settled", a.e2eID, a.intent)
		}
		if a.unknown {
			took := a.settledAt.Sub(a.sentAt)
			slowest = max(slowest, took)
			if took > api.CheckWindow+api.MaxCheckDelay {
				lateSettled++
				t.Errorf("attempt %s settled %v after sending, past the window", a.e2eID, took)
			}
		}
	}
	for i, got := range perIntent {
		switch {
		case got > 1:
			doubleBookings++
			t.Errorf("intent %d (%d cents to %s) booked %d times", i, intents[i].amount, intents[i].iban, got)
		case got == 0:
			lost++
			t.Errorf("intent %d was never booked", i)
		}
	}
	t.Logf("%d transfers (%d pay-again twins), %d attempts, %v of bank time; faults %s", n, n/2, len(attempts), bank.Now().Sub(start).Round(time.Second), campaignFaults)
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("  %-40s %d", k, count[k])
	}
	t.Logf("  double bookings %d, reported booked but not %d, reported not booked but booked %d, intents never booked %d, settled past the window %d; slowest unknown settled after %v",
		doubleBookings, falseBooked, falseNotBooked, lost, lateSettled, slowest)
}
