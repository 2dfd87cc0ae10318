package sandbox

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"konto/api"
	"konto/api/sepa"
)

// DefaultSeed is the seed of `konto --demo` and of a sandbox started without
// --seed, so both show the same bank.
const DefaultSeed int64 = 20180808

// Defaults and fixed rules of the bank.
const (
	DefaultLogin        = "Aladdin"
	DefaultPassword     = "OpenSesame"
	DefaultTransactions = 1200
	DefaultTokenTTL     = time.Hour

	firstAccountID     = 4711
	firstTransactionID = 900000
	refreshTokenTTL    = 30 * 24 * time.Hour
	pageSize           = 50
	tanLength          = 6
	tanLifetime        = 5 * time.Minute
	tanTries           = 3
	maxBodyBytes       = 1 << 20
	basicPerMinute     = 60
	basicBurst         = 20
)

// Options configure a Bank. The zero value is the demo bank.
type Options struct {
	Users        []User        // default: one user Aladdin/OpenSesame, main account id 4711
	Seed         int64         // default DefaultSeed
	Transactions int           // bookings per main account; default DefaultTransactions (two years)
	TokenTTL     time.Duration // auth token lifetime, default 1h (refresh tokens 30 days)
	Faults       string        // fault rules, see ParseFaults
	Hostile      bool          // add 8 incoming bookings with hostile text among the newest (on top of Transactions)
	// Now gives the start of the virtual clock (called once); default time.Now.
	Now func() time.Time
	// Log receives one line per request and one per SMS; nil is silent.
	Log io.Writer
	// BasicPerMinute is the Basic-auth rate limit per user (burst a third of
	// it); 0 means 60, a negative value switches the limit off.
	BasicPerMinute int
}

// User is one login of the bank; the login is sent as `email`.
type User struct {
	Login, Password string
}

// RequestRecord is one request the bank received. Status 0 means the
// connection was dropped by a fault without an answer.
type RequestRecord struct {
	Method string
	Path   string // including the query
	Status int
	Time   time.Time // on the virtual clock
}

// Bank is the sandbox bank. It is an http.Handler and safe for concurrent use.
type Bank struct {
	transactionsPerMain int
	tokenTTL            time.Duration
	hostile             bool
	seed                int64
	clock               *clock
	faults              []FaultRule
	routes              []route
	secret              []byte
	wallClock           func() time.Time // token lifetimes; time.Now except in tests
	basicInterval       time.Duration    // 0: no rate limit
	basicTolerance      time.Duration

	logMu sync.Mutex
	log   io.Writer

	mu            sync.Mutex
	rng           *rand.Rand // TANs, request ids: deterministic per seed and request sequence
	faultRNG      *rand.Rand
	users         map[string]*user
	accounts      map[int64]*account
	accountOrder  []*account // users in order, then their accounts
	byIBAN        map[string]*account
	nextTxID      int64
	nextOrderID   int64
	pending       map[string]*pending
	timed         map[string]*timedOrder
	outbox        []api.SMS
	requests      []RequestRecord
	busy          int               // requests being answered (see Busy)
	refreshTokens map[string]string // live refresh-token ids → login
	revokedAuth   map[string]bool   // revoked auth-token ids
	limiters      map[string]time.Time
}

type user struct {
	login, password string
	name            string // the account holder, as the other side of a payment sees them
	accounts        []*account
}

// holderName is the account holder's name the bank gives a login: the name
// the recipient of their money sees, and the one on the seeded transfers
// between their own accounts. A real bank knows it from the account opening;
// the sandbox takes the words of the login (the part before the @ of an email
// address), capitalised, and adds a family name from a fixed list when the
// login gives only one word: "Aladdin" pays as "Aladdin Sommer",
// "jane.doe@example.com" as "Jane Doe". Only letters are kept, so the name is
// printable text whatever the login holds, and it fits a SEPA name field.
func holderName(login string) string {
	h := fnv.New32a()
	h.Write([]byte(login))
	pick := func(list []string) string { return list[h.Sum32()%uint32(len(list))] }

	local, _, _ := strings.Cut(login, "@")
	words := strings.FieldsFunc(local, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.Is(unicode.M, r) })
	switch len(words) {
	case 0:
		words = []string{pick(holderFirstNames), pick(holderFamilyNames)}
	case 1:
		words = append(words, pick(holderFamilyNames))
	}
	const maxWord = 30 // two words and a space stay within sepa.MaxRecipientLen
	var name []rune
	for i, w := range words {
		r := []rune(w)
		r = r[:min(len(r), maxWord)]
		r[0] = unicode.ToUpper(r[0])
		if i > 0 {
			if len(name)+1+len(r) > sepa.MaxRecipientLen {
				break
			}
			name = append(name, ' ')
		}
		name = append(name, r...)
	}
	return string(name)
}

var (
	holderFirstNames  = []string{"Alex", "Kim", "Robin", "Sascha", "Charlie", "Jona"}
	holderFamilyNames = []string{"Sommer", "Lindner", "Brandt", "Vogel", "Engel", "Seidel", "Lorenz", "Winter"}
)

type account struct {
	id       int64
	owner    *user
	iban     string
	balance  int64
	txs      txList
	standing []*standingOrder
	timed    []*timedOrder
}

// New builds a bank with its seeded history. It fails on bad options (a
// malformed fault spec, a duplicate or malformed user).
func New(opts Options) (*Bank, error) {
	users := opts.Users
	if len(users) == 0 {
		users = []User{{Login: DefaultLogin, Password: DefaultPassword}}
	}
	seen := map[string]bool{}
	for _, u := range users {
		switch {
		case u.Login == "":
			return nil, errors.New("sandbox: a user needs a login")
		case strings.ContainsAny(u.Login, ":\r\n"):
			return nil, fmt.Errorf("sandbox: login %q must not contain ':' or a line break", u.Login)
		case u.Password == "":
			return nil, fmt.Errorf("sandbox: user %q needs a password", u.Login)
		case seen[u.Login]:
			return nil, fmt.Errorf("sandbox: user %q given twice", u.Login)
		}
		seen[u.Login] = true
	}
	faults, err := ParseFaults(opts.Faults)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if opts.Transactions < 0 {
		return nil, fmt.Errorf("sandbox: transactions must not be negative, got %d", opts.Transactions)
	}
	if opts.TokenTTL < 0 {
		return nil, fmt.Errorf("sandbox: token TTL must not be negative, got %s", opts.TokenTTL)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	seed := opts.Seed
	if seed == 0 {
		seed = DefaultSeed
	}
	b := &Bank{
		transactionsPerMain: opts.Transactions,
		tokenTTL:            opts.TokenTTL,
		hostile:             opts.Hostile,
		seed:                seed,
		clock:               newClock(now()),
		faults:              faults,
		secret:              newSecret(),
		wallClock:           time.Now,
		log:                 opts.Log,
		rng:                 rand.New(rand.NewPCG(uint64(seed), 0xBA7C)),
		faultRNG:            rand.New(rand.NewPCG(uint64(seed), 0xFA17)),
		users:               map[string]*user{},
		accounts:            map[int64]*account{},
		byIBAN:              map[string]*account{},
		nextTxID:            firstTransactionID,
		nextOrderID:         1,
		pending:             map[string]*pending{},
		timed:               map[string]*timedOrder{},
		refreshTokens:       map[string]string{},
		revokedAuth:         map[string]bool{},
		limiters:            map[string]time.Time{},
	}
	if b.transactionsPerMain == 0 {
		b.transactionsPerMain = DefaultTransactions
	}
	if b.tokenTTL == 0 {
		b.tokenTTL = DefaultTokenTTL
	}
	perMinute := opts.BasicPerMinute
	if perMinute == 0 {
		perMinute = basicPerMinute
	}
	if perMinute > 0 {
		b.basicInterval = time.Minute / time.Duration(perMinute)
		burst := max(1, perMinute/3)
		if perMinute == basicPerMinute {
			burst = basicBurst
		}
		b.basicTolerance = b.basicInterval * time.Duration(burst-1)
	}
	b.routes = b.routeTable()
	nextAccountID := int64(firstAccountID)
	for i, u := range users {
		usr := &user{login: u.Login, password: u.Password, name: holderName(u.Login)}
		b.users[u.Login] = usr
		if err := b.seedUser(usr, i, &nextAccountID); err != nil {
			return nil, fmt.Errorf("sandbox: seed user %q: %w", u.Login, err)
		}
	}
	return b, nil
}

// Now is the bank's virtual time.
func (b *Bank) Now() time.Time { return b.clock.now() }

// Advance moves the virtual clock forward by d (negative d is ignored) and
// books every standing and timed order that fell due.
func (b *Bank) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	b.clock.advance(d)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.runDue(b.clock.now())
}

// Requests returns every request received so far, oldest first.
func (b *Bank) Requests() []RequestRecord {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.requests)
}

// Busy is the number of requests being answered right now, a delayed one
// (a latency fault) included, also when its client has stopped waiting.
func (b *Bank) Busy() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.busy
}

// Outbox returns every SMS sent so far, newest last.
func (b *Bank) Outbox() []api.SMS {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.outbox)
}

// Accounts returns the accounts of a login (nil for an unknown login).
func (b *Bank) Accounts(login string) []api.Account {
	b.mu.Lock()
	defer b.mu.Unlock()
	u := b.users[login]
	if u == nil {
		return nil
	}
	return u.wireAccounts()
}

// Book books tx on an account now: it assigns the id and booking date (and
// the valuta date for bank transfers if unset) and adjusts the balance by
// tx.Amount. It returns the booked transaction; for an unknown account it
// books nothing and returns tx with ID 0.
func (b *Bank) Book(accountID int64, tx api.Transaction) api.Transaction {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.now()
	b.runDue(now)
	acc := b.accounts[accountID]
	if acc == nil {
		tx.ID = 0
		return tx
	}
	tx.BookingDate = api.TxTime{Time: now}
	return b.book(acc, tx)
}

// book assigns the next id, prepends tx to the account and adjusts the
// balance. The caller holds b.mu and has set the booking date, which must not
// be older than the account's newest booking.
func (b *Bank) book(acc *account, tx api.Transaction) api.Transaction {
	// The wire carries whole seconds; keep what a client will see.
	tx.BookingDate.Time = tx.BookingDate.Truncate(time.Second)
	b.nextTxID++
	tx.ID = b.nextTxID
	acc.txs.push(tx)
	acc.balance += tx.Amount
	return tx
}

func (u *user) wireAccounts() []api.Account {
	out := make([]api.Account, 0, len(u.accounts))
	for _, a := range u.accounts {
		out = append(out, a.wire())
	}
	return out
}

func (a *account) wire() api.Account {
	return api.Account{ID: a.id, IBAN: a.iban, Balance: a.balance, AccountType: api.Ptr("solaris")}
}

// account returns the caller's account by id, nil if unknown or someone else's.
func (u *user) account(id int64) *account {
	for _, a := range u.accounts {
		if a.id == id {
			return a
		}
	}
	return nil
}

// txList keeps an account's bookings newest first with room to grow at the
// front, so a page is a sub-slice and a new booking costs amortised O(1).
type txList struct {
	buf []api.Transaction
	off int
}

func (l *txList) all() []api.Transaction { return l.buf[l.off:] }

func (l *txList) push(tx api.Transaction) {
	if l.off == 0 {
		cur := l.all()
		head := len(cur)/2 + 16
		buf := make([]api.Transaction, head+len(cur))
		copy(buf[head:], cur)
		l.buf, l.off = buf, head
	}
	l.off--
	l.buf[l.off] = tx
}

// setOldestFirst replaces the list with txs given oldest first.
func (l *txList) setOldestFirst(txs []api.Transaction) {
	head := 64
	l.buf = make([]api.Transaction, head+len(txs))
	for i, tx := range txs {
		l.buf[len(l.buf)-1-i] = tx
	}
	l.off = head
}

// find returns the booking with the given id. Ids grow with every booking, so
// a newest-first list is sorted by id descending.
func (l *txList) find(id int64) (api.Transaction, bool) {
	txs := l.all()
	i, found := slices.BinarySearchFunc(txs, id, func(tx api.Transaction, id int64) int {
		switch {
		case tx.ID > id:
			return -1
		case tx.ID < id:
			return 1
		}
		return 0
	})
	if !found {
		return api.Transaction{}, false
	}
	return txs[i], true
}

// logf writes one line to the log, if any.
func (b *Bank) logf(format string, args ...any) {
	if b.log == nil {
		return
	}
	b.logMu.Lock()
	defer b.logMu.Unlock()
	fmt.Fprintf(b.log, format+"\n", args...)
}

// httpHandler asserts at compile time that Bank serves HTTP.
var _ http.Handler = (*Bank)(nil)
