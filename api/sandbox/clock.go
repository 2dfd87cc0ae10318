package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// clock is the bank's virtual time: the start given by Options.Now, plus the
// real time elapsed since (monotonic), plus everything Advance added.
type clock struct {
	start     time.Time
	realStart time.Time
	advanced  atomic.Int64 // nanoseconds

	mu     sync.Mutex
	jumped chan struct{} // closed (and replaced) by each advance
}

func newClock(start time.Time) *clock {
	return &clock{start: start.UTC(), realStart: time.Now(), jumped: make(chan struct{})}
}

func (c *clock) now() time.Time {
	return c.start.Add(time.Since(c.realStart) + time.Duration(c.advanced.Load()))
}

func (c *clock) advance(d time.Duration) {
	c.advanced.Add(int64(d))
	c.mu.Lock()
	close(c.jumped)
	c.jumped = make(chan struct{})
	c.mu.Unlock()
}

// sleepUntil waits until the virtual time reaches t, which real time and
// advance both bring closer, or until ctx ends; it reports whether t came.
func (c *clock) sleepUntil(ctx context.Context, t time.Time) bool {
	for {
		c.mu.Lock()
		jumped := c.jumped
		c.mu.Unlock()
		left := t.Sub(c.now())
		if left <= 0 {
			return true
		}
		timer := time.NewTimer(left)
		select {
		case <-timer.C:
		case <-jumped:
			timer.Stop()
		case <-ctx.Done():
			timer.Stop()
			return false
		}
	}
}

// startDay is midnight (UTC) of the day the clock started: seeded history is
// generated relative to it, so the same seed on the same day gives the same bank.
func (c *clock) startDay() time.Time {
	return c.start.Truncate(24 * time.Hour)
}

// newSecret is the per-bank HS256 key for tokens. It comes from crypto/rand:
// tokens of one sandbox process must not verify in another.
func newSecret() []byte {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic(fmt.Sprintf("sandbox: read random key: %v", err)) // crypto/rand never fails on supported platforms
	}
	return key
}

// randomHex is n random bytes from crypto/rand as hex (token ids).
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("sandbox: read random bytes: %v", err))
	}
	return hex.EncodeToString(b)
}

// hex32 is 32 hex digits from a seeded generator (request ids, e2e ids).
func hex32(r *mrand.Rand) string {
	return fmt.Sprintf("%016x%016x", r.Uint64(), r.Uint64())
}

// uuid is a version-4 UUID from a seeded generator (timed-order ids).
func uuid(r *mrand.Rand) string {
	hi, lo := r.Uint64(), r.Uint64()
	hi = hi&^0xF000 | 0x4000     // version 4
	lo = lo&^(0xC<<60) | 0x8<<60 // RFC 4122 variant
	s := fmt.Sprintf("%016x%016x", hi, lo)
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// tan is a 6-digit TAN, leading zeros kept.
func tan(r *mrand.Rand) string {
	return fmt.Sprintf("%0*d", tanLength, r.IntN(1_000_000))
}
