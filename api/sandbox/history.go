package sandbox

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"konto/api"
	"konto/api/sepa"
)

// historyDays is how far back the seeded history reaches.
const historyDays = 730

// eventKind is one kind of seeded booking.
type eventKind uint8

const (
	evRent eventKind = iota
	evHealth
	evPhone
	evGym
	evGymReturn
	evReserveOut
	evReserveIn
	evVAT
	evIncomeTax
	evDonation
	evSavings
	evCoworking
	evSubscription
	evInvoice
	evFiller
	evHostile
)

// event is a seeded booking before it is materialised: small, so that 100k
// of them sort fast; the details are drawn in time order when materialised.
type event struct {
	at   int64 // unix seconds
	kind eventKind
	arg  int32
}

type party struct {
	name, iban string
}

type merchant struct {
	name     string
	min, max int64  // euro cents
	currency string // "" for euro
	rate     int64  // foreign cents per 1000 euro cents
}

type subscription struct {
	merchant
	cents int64 // price in its own currency
}

// generator draws one user's history. Strings shared by many bookings are
// allocated once and shared by pointer: bookings are never mutated in place.
type generator struct {
	b       *Bank
	rng     *rand.Rand
	holder  string
	start   time.Time // first day of the history
	day0    time.Time // the clock's start day; history ends before it
	mainAcc *account
	reserve *account

	sct, sdd, sddReturn, bankAccount, card *string
	holderName                             *string

	clients, smallClients []party
	merchants             []merchant
	subscriptions         []subscription

	landlord, insurer, phone, gym, taxOffice party
	shelter, savingsBank, coworking, oldBank party

	rent, donation, savings, cowork *standingOrder

	invoiceYear, invoiceSeq int
	hostile                 []hostileText
}

func mustIBAN(country, bban string) string {
	iban, err := sepa.MakeIBAN(country, bban)
	if err != nil {
		panic(fmt.Sprintf("sandbox: seeded IBAN %s %s: %v", country, bban, err)) // a typo in the tables below
	}
	return iban
}

// seedUser gives a user a main account (with Transactions bookings) and a tax
// reserve account, standing orders and a scheduled timed order. The caller
// is New, before the bank is shared.
func (b *Bank) seedUser(u *user, index int, nextID *int64) error {
	g := &generator{
		b:           b,
		rng:         rand.New(rand.NewPCG(uint64(b.seed), uint64(index)+1)),
		holder:      u.name,
		day0:        b.clock.startDay(),
		sct:         api.Ptr(bookingCreditTransfer),
		sdd:         api.Ptr(bookingDirectDebit),
		sddReturn:   api.Ptr(bookingDebitReturn),
		bankAccount: api.Ptr(methodBankAccount),
		card:        api.Ptr(methodCreditCard),
		holderName:  api.Ptr(u.name),
	}
	g.start = g.day0.AddDate(0, 0, -historyDays)
	newAccount := func() *account {
		acc := &account{id: *nextID, owner: u}
		acc.iban = mustIBAN("DE", fmt.Sprintf("11010100%010d", 1000000000+acc.id))
		*nextID++
		u.accounts = append(u.accounts, acc)
		b.accounts[acc.id] = acc
		b.byIBAN[acc.iban] = acc
		b.accountOrder = append(b.accountOrder, acc)
		return acc
	}
	g.mainAcc, g.reserve = newAccount(), newAccount()
	g.tables()
	if b.hostile {
		g.hostile = hostileTexts()
	}
	g.standingOrders()

	mainEvents := g.mainEvents(b.transactionsPerMain)
	g.mainAcc.txs.setOldestFirst(g.materialise(g.mainAcc, mainEvents, true))
	g.reserve.txs.setOldestFirst(g.materialise(g.reserve, g.reserveEvents(), true))

	pay := paymentInput{recipient: "Steuerberatung Falkenried", iban: mustIBAN("DE", "200400600123456789"),
		amount: 89250, note: api.Ptr(fmt.Sprintf("Rechnung %d-117 Jahresabschluss", g.day0.Year()))}
	b.addTimedOrder(g.mainAcc, pay, g.day0.AddDate(0, 0, 9).Add(12*time.Hour),
		g.day0.AddDate(0, 0, -1).Add(10*time.Hour+17*time.Minute), api.StatusScheduled)
	return nil
}

func (g *generator) tables() {
	p := func(name, country, bban string) party { return party{name: name, iban: mustIBAN(country, bban)} }
	g.clients = []party{
		p("Müller GmbH", "DE", "370400440532013000"),
		p("Brenner & Söhne KG", "DE", "500105175407324931"),
		p("Nordlicht Medien GmbH", "DE", "200505501011223344"),
		p("Hafenkante Software UG", "DE", "100100100987654321"),
		p("Atelier Lumière SARL", "FR", "30004000031234567890143"),
		p("Studio Fjordlys AS", "NO", "86011117947"),
		p("Donauwelle Consulting GmbH", "AT", "1904300234573201"),
	}
	g.smallClients = []party{
		p("Lektorat Weber", "DE", "430609671234567800"),
		p("Fotostudio Blende Acht", "DE", "760100850012345678"),
		p("Kulturhafen e.V.", "DE", "250500000004711815"),
		p("Kanzlei Morgenstern", "DE", "660908000001234567"),
	}
	g.merchants = []merchant{
		{"Bio-Markt Grünkern; Berlin; DE", 800, 6500, "", 0},
		{"Bäckerei Körnchen; Berlin; DE", 250, 1400, "", 0},
		{"Café Zürich; Zürich; CH", 500, 2500, "CHF", 1070},
		{"Trattoria Da Lucia; Roma; IT", 1800, 6500, "", 0},
		{"Bookshop on the Corner; London; GB", 900, 4000, "GBP", 850},
		{"Coffee Lab; New York; US", 400, 1800, "USD", 1080},
		{"Bürobedarf Schreiber; Berlin; DE", 900, 8900, "", 0},
		{"Tankstelle Nordring; Potsdam; DE", 4000, 9000, "", 0},
		{"Stadtbahn Ticketautomat; Berlin; DE", 300, 990, "", 0},
		{"Buchhandlung Seitenwind; Leipzig; DE", 1200, 4500, "", 0},
		{"Kafé Lingon; Stockholm; SE", 600, 2200, "SEK", 11500},
		{"Hotel Alpenblick; Innsbruck; AT", 9000, 24000, "", 0},
	}
	g.subscriptions = []subscription{
		{merchant{name: "Pixelbox Cloud; San Francisco; US", currency: "USD", rate: 1080}, 1299},
		{merchant{name: "Codeforge; Dublin; IE"}, 2100},
		{merchant{name: "Notizwerk; Hamburg; DE"}, 499},
	}
	g.landlord = p("Hausverwaltung Sonnenhof GmbH", "DE", "120300001020304050")
	g.insurer = p("Gesundheitskasse Nordstern", "DE", "210500000123123123")
	g.phone = p("Funkwelle Mobil GmbH", "DE", "700202700055501234")
	g.gym = p("Fitnesswerk Kreuzberg", "DE", "100900000200300400")
	g.taxOffice = p("Finanzamt Lindenberg", "DE", "100000000010001234")
	g.shelter = p("Tierheim Lindenhof e.V.", "DE", "370205000008088000")
	g.savingsBank = p("Bausparkasse Morgenrot", "DE", "600501010002345678")
	g.coworking = p("Coworking Loft Eins", "DE", "120300000077788899")
	g.oldBank = p(g.holder, "DE", "500400000123456700")
}

// firstOnOrAfter is the first date on day dom of a month accepted by ok that is not before t.
func firstOnOrAfter(t time.Time, dom int, ok func(time.Month) bool) time.Time {
	for m := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC); ; m = m.AddDate(0, 1, 0) {
		d := time.Date(m.Year(), m.Month(), dom, 0, 0, 0, 0, time.UTC)
		if ok(m.Month()) && !d.Before(t) {
			return d
		}
	}
}

func everyMonth(time.Month) bool      { return true }
func quarterMonth(m time.Month) bool  { return m%3 == 1 } // Jan, Apr, Jul, Oct
func taxQuarterEnd(m time.Month) bool { return m%3 == 0 } // Mar, Jun, Sep, Dec

// coworkingEnd is when the seeded coworking order was canceled.
func (g *generator) coworkingEnd() time.Time { return g.day0.AddDate(0, 0, -240) }

func (g *generator) standingOrders() {
	add := func(pty party, amount int64, note, reoccurrence string, next time.Time) *standingOrder {
		o := g.b.addStandingOrder(g.mainAcc, paymentInput{recipient: pty.name, iban: pty.iban, amount: amount,
			note: api.Ptr(note), e2eID: api.Ptr("E-" + hex32(g.rng))}, standingDraft{reoccurrence: reoccurrence, first: next})
		return o
	}
	g.rent = add(g.landlord, 95000, "Miete Büro Kastanienallee 12", api.Monthly, firstOnOrAfter(g.day0, 1, everyMonth))
	g.savings = add(g.savingsBank, 30000, "Bausparvertrag 4711-0815", api.Quarterly, firstOnOrAfter(g.day0, 1, quarterMonth))
	g.cowork = add(g.coworking, 18000, "Flex-Desk Mitgliedschaft", api.Monthly, firstOnOrAfter(g.coworkingEnd(), 25, everyMonth))
	g.cowork.status = api.StatusCanceled
	g.donation = add(g.shelter, 2500, "Spende Patenschaft Hund Bruno", api.Monthly, firstOnOrAfter(g.day0, 15, everyMonth))
}

// monthly appends an event on day dom of every month (filtered by ok) in the
// history window, at the given time of day plus up to jitter minutes.
func (g *generator) monthly(events []event, kind eventKind, dom int, ok func(time.Month) bool, hour, jitter int, until time.Time) []event {
	for m := time.Date(g.start.Year(), g.start.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(until); m = m.AddDate(0, 1, 0) {
		if !ok(m.Month()) {
			continue
		}
		at := time.Date(m.Year(), m.Month(), dom, hour, 0, 0, 0, time.UTC)
		if jitter > 0 {
			at = at.Add(time.Duration(g.rng.IntN(jitter)) * time.Minute)
		}
		if !at.Before(g.start) && at.Before(until) {
			events = append(events, event{at: at.Unix(), kind: kind})
		}
	}
	return events
}

// mainEvents plans n bookings of the main account (the opening deposit
// included) plus the hostile ones, sorted by time.
func (g *generator) mainEvents(n int) []event {
	var ev []event
	ev = g.monthly(ev, evRent, 1, everyMonth, 5, 30, g.day0)
	ev = g.monthly(ev, evHealth, 2, everyMonth, 6, 60, g.day0)
	ev = g.monthly(ev, evPhone, 3, everyMonth, 6, 60, g.day0)
	ev = g.monthly(ev, evGym, 4, everyMonth, 6, 60, g.day0)
	ev = g.monthly(ev, evReserveOut, 5, everyMonth, 8, 0, g.day0)
	ev = g.monthly(ev, evVAT, 10, everyMonth, 7, 90, g.day0)
	ev = g.monthly(ev, evDonation, 15, everyMonth, 5, 30, g.day0)
	ev = g.monthly(ev, evSavings, 1, quarterMonth, 5, 30, g.day0)
	ev = g.monthly(ev, evCoworking, 25, everyMonth, 5, 30, g.coworkingEnd())
	for i, dom := range []int{7, 12, 20} {
		sub := len(ev)
		ev = g.monthly(ev, evSubscription, dom, everyMonth, 9, 600, g.day0)
		for j := sub; j < len(ev); j++ {
			ev[j].arg = int32(i)
		}
	}
	// The gym's debit five months ago came back: a returned direct debit.
	returned := time.Date(g.day0.Year(), g.day0.Month()-5, 6, 9, 41, 0, 0, time.UTC)
	if !returned.Before(g.start) {
		ev = append(ev, event{at: returned.Unix(), kind: evGymReturn})
	}
	for m := time.Date(g.start.Year(), g.start.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(g.day0); m = m.AddDate(0, 1, 0) {
		for range 1 + g.rng.IntN(3) {
			at := m.Add(time.Duration(2+g.rng.IntN(26))*24*time.Hour + time.Duration(9*60+g.rng.IntN(8*60))*time.Minute)
			if !at.Before(g.start) && at.Before(g.day0) {
				ev = append(ev, event{at: at.Unix(), kind: evInvoice})
			}
		}
	}
	sortEvents(ev)

	if n <= 0 {
		return nil
	}
	if fixed := n - 1; fixed < len(ev) {
		ev = ev[len(ev)-fixed:] // the newest
	} else {
		// Everyday card payments and small invoices fill up to n, spread
		// over the window between 07:00 and 22:00.
		for range fixed - len(ev) {
			at := g.start.Add(time.Duration(g.rng.IntN(historyDays))*24*time.Hour + time.Duration(7*3600+g.rng.IntN(15*3600))*time.Second)
			ev = append(ev, event{at: at.Unix(), kind: evFiller})
		}
	}
	for i := range g.hostile {
		at := g.day0.Add(-time.Duration(1+i%3)*24*time.Hour + time.Duration(8+i)*time.Hour + time.Duration(i*7)*time.Minute)
		ev = append(ev, event{at: at.Unix(), kind: evHostile, arg: int32(i)})
	}
	sortEvents(ev)
	return ev
}

func (g *generator) reserveEvents() []event {
	var ev []event
	ev = g.monthly(ev, evReserveIn, 5, everyMonth, 8, 0, g.day0)
	ev = g.monthly(ev, evIncomeTax, 10, taxQuarterEnd, 7, 90, g.day0)
	sortEvents(ev)
	return ev
}

// sortEvents orders by time; ties by kind and arg keep the order deterministic.
func sortEvents(ev []event) {
	slices.SortFunc(ev, func(a, b event) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.kind, b.kind), cmp.Compare(a.arg, b.arg))
	})
}

// materialise turns events into bookings, oldest first, preceded by an opening
// deposit large enough that the balance never goes below zero, assigns ids and
// sets the balance to the sum of all bookings.
func (g *generator) materialise(acc *account, ev []event, deposit bool) []api.Transaction {
	if !deposit {
		return nil
	}
	txs := make([]api.Transaction, 1, len(ev)+1)
	var running, lowest int64
	for _, e := range ev {
		tx := g.booking(e)
		running += tx.Amount
		lowest = min(lowest, running)
		txs = append(txs, tx)
	}
	cushion := 250000 + g.rng.Int64N(500000)
	amount := cushion - lowest
	at := g.start.AddDate(0, 0, -1).Add(9 * time.Hour)
	txs[0] = api.Transaction{
		Amount:        amount,
		Name:          g.holderName,
		IBAN:          api.Ptr(g.oldBank.iban),
		Purpose:       api.Ptr("Übertrag vom bisherigen Geschäftskonto"),
		BookingDate:   api.TxTime{Time: at},
		ValutaDate:    &api.TxTime{Time: at},
		BookingType:   g.sct,
		PaymentMethod: g.bankAccount,
	}
	acc.balance = amount + running
	for i := range txs {
		g.b.nextTxID++
		txs[i].ID = g.b.nextTxID
	}
	return txs
}

// booking draws one event's details.
func (g *generator) booking(e event) api.Transaction {
	at := time.Unix(e.at, 0).UTC()
	month := at.Format("01/2006")
	switch e.kind {
	case evRent:
		return g.order(at, g.rent)
	case evDonation:
		return g.order(at, g.donation)
	case evSavings:
		return g.order(at, g.savings)
	case evCoworking:
		return g.order(at, g.cowork)
	case evHealth:
		return g.debit(at, g.insurer, 48712, "Beitrag "+month+" Kranken- und Pflegeversicherung", "GKN-"+g.holderRef())
	case evPhone:
		return g.debit(at, g.phone, 2999+int64(g.rng.IntN(3))*500, "Rechnung "+month+" Kundennr. 55501234", "FWM-00"+g.holderRef())
	case evGym:
		return g.debit(at, g.gym, 3990, "Mitgliedsbeitrag "+month, "FWK-2019-"+g.holderRef())
	case evGymReturn:
		tx := g.debit(at, g.gym, -3990, "Rücklastschrift Mitgliedsbeitrag "+at.AddDate(0, 0, -2).Format("01/2006")+" (Widerspruch)", "FWK-2019-"+g.holderRef())
		tx.BookingType = g.sddReturn
		return tx
	case evReserveOut:
		return g.transfer(at, party{name: g.holder, iban: g.reserve.iban}, -120000, "Rücklage Steuern "+month, nil)
	case evReserveIn:
		return g.transfer(at, party{name: g.holder, iban: g.mainAcc.iban}, 120000, "Rücklage Steuern "+month, nil)
	case evVAT:
		amount := -(40000 + g.rng.Int64N(110000))
		return g.transfer(at, g.taxOffice, amount, "USt-VA "+month+" StNr 27/123/45678", nil)
	case evIncomeTax:
		return g.transfer(at, g.taxOffice, -280000, fmt.Sprintf("ESt-Vorauszahlung Q%d/%d StNr 27/123/45678", (int(at.Month())+2)/3, at.Year()), nil)
	case evSubscription:
		sub := g.subscriptions[e.arg]
		return g.cardPayment(at, sub.merchant, sub.cents)
	case evInvoice:
		hours := int64(10 + g.rng.IntN(31))
		net := hours * 9500
		return g.invoice(at, g.clients[g.rng.IntN(len(g.clients))], net+net*19/100)
	case evHostile:
		return g.hostileBooking(at, g.hostile[e.arg])
	}
	// evFiller: mostly card payments, some small invoices paid in.
	if g.rng.IntN(100) < 20 {
		return g.invoice(at, g.smallClients[g.rng.IntN(len(g.smallClients))], 8000+g.rng.Int64N(11000))
	}
	m := g.merchants[g.rng.IntN(len(g.merchants))]
	amount := m.min + g.rng.Int64N(m.max-m.min+1)
	if m.currency != "" {
		return g.cardPayment(at, m, amount*m.rate/1000)
	}
	return g.cardPayment(at, m, amount)
}

func (g *generator) holderRef() string { return strconv.FormatInt(g.mainAcc.id, 10) }

func (g *generator) transfer(at time.Time, p party, amount int64, purpose string, e2e *string) api.Transaction {
	name, iban := p.name, p.iban
	return api.Transaction{
		Amount:        amount,
		Name:          &name,
		IBAN:          &iban,
		Purpose:       &purpose,
		E2EID:         e2e,
		BookingDate:   api.TxTime{Time: at},
		ValutaDate:    &api.TxTime{Time: day(at)},
		BookingType:   g.sct,
		PaymentMethod: g.bankAccount,
	}
}

func (g *generator) order(at time.Time, o *standingOrder) api.Transaction {
	return g.transfer(at, party{name: o.name, iban: o.iban}, -o.amount, api.Str(o.note), o.e2eID)
}

func (g *generator) debit(at time.Time, p party, amount int64, purpose, mandate string) api.Transaction {
	tx := g.transfer(at, p, -amount, purpose, nil)
	tx.BookingType = g.sdd
	tx.MandateNumber = &mandate
	return tx
}

// invoice is a client paying an invoice; a third carry the invoice links.
func (g *generator) invoice(at time.Time, p party, amount int64) api.Transaction {
	if at.Year() != g.invoiceYear {
		g.invoiceYear, g.invoiceSeq = at.Year(), 0
	}
	g.invoiceSeq++
	number := fmt.Sprintf("%d-%03d", g.invoiceYear, g.invoiceSeq)
	var e2e *string
	if g.rng.IntN(2) == 0 {
		e2e = api.Ptr("INV-" + number)
	}
	tx := g.transfer(at, p, amount, "Invoice "+number, e2e)
	if g.rng.IntN(3) == 0 {
		n := int64(g.invoiceSeq)
		tx.InvoiceNumber = &n
		tx.InvoicePreviewURL = api.Ptr("https://invoices.konto.example/" + number + "/preview")
		tx.InvoiceDownloadURL = api.Ptr("https://invoices.konto.example/" + number + "/download.pdf")
	}
	return tx
}

// cardPayment is a card booking: no IBAN, no booking type; abroad with the
// original amount in the foreign currency's cents, as a string.
func (g *generator) cardPayment(at time.Time, m merchant, cents int64) api.Transaction {
	name := m.name
	tx := api.Transaction{
		Amount:        -cents,
		Name:          &name,
		BookingDate:   api.TxTime{Time: at},
		PaymentMethod: g.card,
	}
	if m.currency != "" {
		original := strconv.FormatInt(cents, 10)
		currency := m.currency
		tx.Amount = -(cents * 1000 / m.rate)
		tx.OriginalAmount = &original
		tx.ForeignCurrency = &currency
	}
	return tx
}

func (g *generator) hostileBooking(at time.Time, h hostileText) api.Transaction {
	name, purpose := h.name, h.purpose
	amount := 100 + g.rng.Int64N(4900)
	if h.card {
		return api.Transaction{Amount: amount, Name: &name, Purpose: &purpose, BookingDate: api.TxTime{Time: at}, PaymentMethod: g.card}
	}
	return g.transfer(at, party{name: name, iban: mustIBAN("DE", "100100100000000666")}, amount, purpose, nil)
}
