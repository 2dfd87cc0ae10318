package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"sync/atomic"
	"time"
)

// clock is the bank's virtual time: the start given by Options.Now, plus the
// real time elapsed since (monotonic), plus everything Advance added.
type clock struct {
	start     time.Time
	realStart time.Time
	advanced  atomic.Int64 // nanoseconds
}

func newClock(start time.Time) *clock {
	return &clock{start: start.UTC(), realStart: time.Now()}
}

func (c *clock) now() time.Time {
	return c.start.Add(time.Since(c.realStart) + time.Duration(c.advanced.Load()))
}

func (c *clock) advance(d time.Duration) { c.advanced.Add(int64(d)) }

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
