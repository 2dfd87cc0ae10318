package sandbox

import (
	"fmt"
	"strconv"

	"konto/api"
)

// GET /api/accounts
func (b *Bank) listAccounts(q *call) (any, *failure) {
	return q.user.wireAccounts(), nil
}

// GET /api/accounts/{id}/transactions?page=N: newest first, 50 a page, pages
// from 1; past the end an empty page with next null.
func (b *Bank) listTransactions(q *call) (any, *failure) {
	acc, bad := accountParam(q)
	if bad != nil {
		return nil, bad
	}
	page := 1
	if s := q.r.URL.Query().Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, invalid("page", "page must be a whole number from 1")
		}
		page = n
	}
	txs := acc.txs.all()
	out := api.TransactionPage{Total: len(txs), Results: []api.Transaction{}}
	// Guard the multiplication: a huge page number is simply past the end.
	if page <= len(txs)/pageSize+1 {
		lo := (page - 1) * pageSize
		hi := min(lo+pageSize, len(txs))
		if lo < hi {
			out.Results = txs[lo:hi]
		}
		if hi < len(txs) {
			next := fmt.Sprintf("/api/accounts/%d/transactions?page=%d", acc.id, page+1)
			out.Next = &next
		}
	}
	return out, nil
}

// GET /api/accounts/{id}/transactions/{txid}
func (b *Bank) getTransaction(q *call) (any, *failure) {
	acc, bad := accountParam(q)
	if bad != nil {
		return nil, bad
	}
	id, err := strconv.ParseInt(q.params[1], 10, 64)
	if err != nil {
		return nil, notFound("transaction")
	}
	tx, ok := acc.txs.find(id)
	if !ok {
		return nil, notFound("transaction")
	}
	return tx, nil
}
