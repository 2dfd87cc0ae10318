package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// A confirm the bank answered 2xx took effect at HTTP level: an answer that
// cannot be read (cut short, not JSON, over the size limit) says nothing
// about the payment. It is an unknown outcome, never a refusal that would
// invite sending the TAN again.
func TestUnreadableConfirmAnswerIsOutcomeUnknown(t *testing.T) {
	huge := func(w http.ResponseWriter) {
		w.WriteHeader(200)
		io.WriteString(w, `{"status":"accepted","note":"`)
		chunk := strings.Repeat("x", 64<<10)
		for written := 0; written <= maxAnswerBytes; written += len(chunk) {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	}
	for name, answer := range map[string]func(http.ResponseWriter){
		"truncated": func(w http.ResponseWriter) { writeJSON(w, 200, `{"status":"accep`) },
		"not JSON":  func(w http.ResponseWriter) { writeJSON(w, 200, `<html>ok</html>`) },
		"too large": huge,
	} {
		t.Run(name, func(t *testing.T) {
			var puts int
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPut {
					puts++
				}
				answer(w)
			})
			c, _ := newTestClient(t, h, BasicAuth("Aladdin", "OpenSesame"))
			p := &PendingTransfer{AccountID: 4711, Transfer: Transfer{Links: TransferLinks{Self: "/api/accounts/4711/transfer/abcctrx"}},
				Request: TransferRequest{Recipient: "Karl Brenner", IBAN: "DE89370400440532013000", Amount: 1250}}
			_, err := c.ConfirmTransfer(context.Background(), p, "123456")
			if !errors.Is(err, ErrOutcomeUnknown) || !MayHaveActed(err) {
				t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
			}
			if errors.Is(err, ErrInvalidTAN) || puts != 1 {
				t.Errorf("err %v after %d PUTs: a confirm is sent once and is no refusal", err, puts)
			}
			if msg := Message(err); !strings.Contains(msg, "answer could not be read") || !strings.Contains(msg, "may or may not") {
				t.Errorf("Message = %q", msg)
			}
		})
	}
}

// A read whose answer cannot be read stays what it was: a bad answer, not a
// payment of unknown outcome.
func TestUnreadableReadIsNoPayment(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `[{"id":`) })
	c, _ := newTestClient(t, h, BasicAuth("Aladdin", "OpenSesame"), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	_, err := c.Accounts(context.Background())
	if !errors.Is(err, ErrBadAnswer) || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("err = %v", err)
	}
}
